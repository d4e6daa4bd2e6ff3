"""A success is only ever answered for work that is committed (issue 10, "writes confirmed
before they are committed"): the request's session commits before the response is sent, and
a commit that fails answers "nothing was saved, try again" instead of "thank you"."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, event, func, select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from cxgap.db.tables import CustomerResponse
from cxgap.services import accounts, campaigns
from cxgap.services.core import Cxgap
from cxgap.services.workspaces import get_workspace
from tests.factories import customer_form, make_user, make_workspace
from tests.live_http import Respondent, serving
from tests.warm_routes import app_for
from tests.web.conftest import csrf_of

pytestmark = pytest.mark.on_postgresql  # the backend changes the path: transactions


@pytest.fixture
def survey_token(cx: Cxgap) -> str:
    with cx.transaction() as session:
        workspace = make_workspace(session)
        return campaigns.create_survey(session, workspace=workspace, key="pulse", name="P").token


@pytest.fixture
def api_token(cx: Cxgap, survey_token: str) -> str:
    with cx.transaction() as session:
        workspace = get_workspace(session, "acme")
        make_user(session, workspace=workspace, role="analyst")
        return accounts.create_api_token(session, email="ana@example.com", name="test")


def _stored(url: str) -> int:
    """Answers visible from a connection of its own, as another process would see them."""
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://"))
    try:
        with engine.connect() as conn:
            return int(conn.scalar(select(func.count(CustomerResponse.id))) or 0)
    finally:
        engine.dispose()


@dataclass(eq=False)  # hashable: SQLAlchemy keeps listeners in dicts
class FailingCommits:
    """Once ``on``, every commit of the app's sessions fails, as a full disk or a lost
    connection would make it: a real SQLAlchemy event on the app's session factory."""

    on: bool = False
    failed: int = 0

    def __call__(self, _session: Session) -> None:
        if self.on:
            self.failed += 1
            raise OperationalError("COMMIT", {}, Exception("disk I/O error"))


@pytest.fixture
def failing_commits(cx: Cxgap) -> Iterator[FailingCommits]:
    switch = FailingCommits()
    event.listen(cx.sessions, "before_commit", switch)
    yield switch
    event.remove(cx.sessions, "before_commit", switch)


def _open_form(client: TestClient, token: str, lang: str) -> dict[str, str]:
    html = client.get(f"/s/{token}?lang={lang}").text
    sid = html.split('name="submission_id" value="', 1)[1].split('"', 1)[0]
    return {"csrf_token": csrf_of(html), "submission_id": sid}


@pytest.mark.parametrize(
    ("lang", "words"), [("en", "could not be saved"), ("fr", "pas pu être enregistrée")]
)
def test_a_failed_commit_is_never_thanked(
    cx: Cxgap, survey_token: str, failing_commits: FailingCommits, lang: str, words: str
) -> None:
    with TestClient(app_for(cx), follow_redirects=False) as client:
        hidden = _open_form(client, survey_token, lang)
        failing_commits.on = True
        response = client.post(f"/s/{survey_token}", data=customer_form(**hidden))
    assert failing_commits.failed, "the answer's commit did not run"
    assert response.status_code == 503, response.headers.get("location")
    assert "thanks" not in response.headers.get("location", "")
    assert words in response.text
    assert response.headers["retry-after"]
    assert _stored(cx.settings.database_url) == 0


def test_a_failed_commit_is_an_api_error(
    cx: Cxgap, api_token: str, failing_commits: FailingCommits
) -> None:
    """Not ``"stored": 1`` for an answer whose commit failed."""
    with TestClient(app_for(cx), follow_redirects=False) as client:
        failing_commits.on = True
        response = client.post(
            "/api/v1/workspaces/acme/customer-answers",
            json={"answers": [customer_form(response_id="a1")]},
            headers={"authorization": f"Bearer {api_token}"},
        )
    assert failing_commits.failed, "the answers' commit did not run"
    assert response.status_code == 503, response.text
    assert response.json()["error"]["code"] == "store_failed"
    assert _stored(cx.settings.database_url) == 0


def test_the_thank_you_arrives_after_the_commit(cx: Cxgap, survey_token: str) -> None:
    """Commits made slow on purpose (a real event on the app's sessions): the answer must
    be visible from another connection the moment the "thank you" redirect arrives."""

    def slow(_session: Session) -> None:
        time.sleep(0.3)

    event.listen(cx.sessions, "before_commit", slow)
    try:
        with serving(cx) as base:
            respondent = Respondent(base, survey_token)
            response = respondent.send()
            seen = _stored(cx.settings.database_url)
            respondent.close()
    finally:
        event.remove(cx.sessions, "before_commit", slow)
    assert response.status_code == 303 and response.headers["location"].endswith("/thanks")
    assert seen == 1


def test_a_failed_commit_logs_no_answer_and_no_token(
    cx: Cxgap,
    survey_token: str,
    failing_commits: FailingCommits,
    caplog: pytest.LogCaptureFixture,
) -> None:
    with TestClient(app_for(cx), follow_redirects=False) as client:
        hidden = _open_form(client, survey_token, "en")
        failing_commits.on = True
        with caplog.at_level("WARNING", logger="cxgap.web.store_errors"):
            client.post(
                f"/s/{survey_token}",
                data=customer_form(**hidden, comment="Call me at bob@x.example"),
            )
    logged = caplog.text
    assert "POST /s/{token} (OperationalError)" in logged
    assert survey_token not in logged and "bob@x.example" not in logged
