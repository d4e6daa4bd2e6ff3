"""The survey rate limit holds when one client posts many answers at the same moment."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import create_engine, func, select
from sqlalchemy.orm import Session
from sqlalchemy.pool import NullPool

from cxgap.db.tables import CustomerResponse, CustomerSurvey
from cxgap.errors import RateLimitedError
from cxgap.services import answers, campaigns
from cxgap.services.core import Cxgap
from tests.factories import customer_form, make_workspace

LIMIT = 20
CONCURRENT = 32


def test_concurrent_answers_from_one_client_stop_exactly_at_the_limit(cx: Cxgap) -> None:
    # The attack: 32 posts from one address at once. Before the lock, PostgreSQL let 22 to
    # 31 of them through: each counted the hits before the others had committed theirs.
    with cx.transaction() as session:
        workspace = make_workspace(session)
        survey_id = campaigns.create_survey(session, workspace=workspace, key="p", name="P").id
    start = threading.Barrier(CONCURRENT)
    form = {key: str(value) for key, value in customer_form().items()}
    # One connection per request, as 32 server threads would have (the app's pool holds 15).
    engine = create_engine(
        cx.settings.database_url, poolclass=NullPool, connect_args=_connect_args(cx)
    )

    def post(number: int) -> str:
        with Session(engine) as session:
            try:
                with session.begin():
                    survey = session.get(CustomerSurvey, survey_id)
                    assert survey is not None
                    submission = answers.PublicSubmission(
                        form=form, submission_id=f"visit-{number}", client_ip="203.0.113.9"
                    )
                    start.wait(timeout=60)
                    answers.submit_customer_answer(
                        session, survey=survey, submission=submission, secret="s", rate_limit=LIMIT
                    )
            except RateLimitedError:
                return "refused"
            return "stored"

    try:
        with ThreadPoolExecutor(CONCURRENT) as pool:
            outcomes = list(pool.map(post, range(CONCURRENT)))
    finally:
        engine.dispose()
    assert outcomes.count("stored") == LIMIT
    assert outcomes.count("refused") == CONCURRENT - LIMIT
    with cx.reading() as session:
        assert session.scalar(select(func.count(CustomerResponse.id))) == LIMIT


def _connect_args(cx: Cxgap) -> dict[str, object]:
    if cx.settings.database_url.startswith("sqlite"):
        return {"timeout": 60, "check_same_thread": False}  # the database is in WAL mode
    return {}
