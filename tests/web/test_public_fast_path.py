"""The short path of a survey answer (``web/public_fast_path.py``, ``services/public_answers``):
the same answers stored as by the full route, in a handful of statements, with every rule
still holding (CSRF, validation, rate limit, an answer sent again, a failed store)."""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from urllib.parse import parse_qsl, urlencode

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from cxgap.db.revisions import revision_of
from cxgap.db.tables import (
    CustomerPillarScore,
    CustomerResponse,
    Feedback,
    Job,
    SurveyRateHit,
    Workspace,
)
from cxgap.services import campaigns, public_answers
from cxgap.services.core import Cxgap
from cxgap.web.public_fast_path import _form_fields
from tests.factories import customer_form, make_workspace
from tests.warm_routes import app_for
from tests.web.conftest import csrf_of

pytestmark = pytest.mark.on_postgresql  # the backend changes the path: the survey post's own SQL

# 7 on SQLite (survey, keys, rate claim, response, scores, revision, a rate purge at most
# once a minute) + PostgreSQL's advisory lock. The full route takes 14.
MOST_STATEMENTS = 8


@pytest.fixture
def tokens(cx: Cxgap) -> tuple[str, str]:
    """Two surveys of one workspace: one answered by each path."""
    with cx.transaction() as session:
        workspace = make_workspace(session)
        return tuple(  # type: ignore[return-value]
            campaigns.create_survey(session, workspace=workspace, key=k, name=k).token
            for k in ("fast", "full")
        )


@contextmanager
def _client(cx: Cxgap, *, fast: bool = True, **settings: object) -> Iterator[TestClient]:
    own = Cxgap(dataclasses.replace(cx.settings, survey_fast_path=fast, **settings))
    try:
        with TestClient(app_for(own), follow_redirects=False) as client:
            yield client
    finally:
        own.dispose()


def _hidden(client: TestClient, token: str) -> dict[str, str]:
    html = client.get(f"/s/{token}").text
    sid = html.split('name="submission_id" value="', 1)[1].split('"', 1)[0]
    return {"csrf_token": csrf_of(html), "submission_id": sid}


def _post(client: TestClient, token: str, **fields: object) -> int:
    client.cookies.clear()  # a new visitor each time
    form = customer_form(**_hidden(client, token), **fields)
    return client.post(f"/s/{token}", data=form).status_code


@contextmanager
def _statements(cx: Cxgap, client: TestClient) -> Iterator[list[str]]:
    seen: list[str] = []
    engine = client.app.state.cx.engine  # type: ignore[attr-defined]

    def count(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", count)


def test_a_plain_answer_costs_a_handful_of_statements(cx: Cxgap, tokens: tuple[str, str]) -> None:
    fast, full = tokens
    for use_fast, token in ((True, fast), (False, full)):
        with _client(cx, fast=use_fast) as client:
            hidden = _hidden(client, token)  # the form's own reads are not counted
            with _statements(cx, client) as seen:
                form = customer_form(**hidden, comment="")
                assert client.post(f"/s/{token}", data=form).status_code == 303
            if use_fast:
                assert len(seen) <= MOST_STATEMENTS, seen
            else:  # the bound above is one the full route does not meet
                assert len(seen) > MOST_STATEMENTS + 4


def _stored(cx: Cxgap, token: str) -> list[tuple[object, ...]]:
    """Everything an answer left, without ids, keys and times (which differ by nature)."""
    with cx.reading() as session:
        survey = campaigns.survey_by_token(session, token)
        responses = session.scalars(
            select(CustomerResponse)
            .where(CustomerResponse.survey_id == survey.id)
            .order_by(CustomerResponse.nps, CustomerResponse.id)
        ).all()
        rows: list[tuple[object, ...]] = []
        for r in responses:
            scores = session.execute(
                select(
                    CustomerPillarScore.pillar_id,
                    CustomerPillarScore.importance,
                    CustomerPillarScore.performance,
                    CustomerPillarScore.birth_year,
                    CustomerPillarScore.segment_key,
                )
                .where(CustomerPillarScore.response_id == r.id)
                .order_by(CustomerPillarScore.pillar_id)
            ).all()
            feedback = session.execute(
                select(Feedback.text, Feedback.nps, Feedback.attributes, Feedback.question).where(
                    Feedback.source_id == r.external_id
                )
            ).all()
            row = (r.source, r.language, r.nps, r.csat, r.ces, r.birth_year, r.segment_key)
            rows.append((*row, r.comment, r.consent, r.customer_ref, scores, feedback))
        return rows


ANSWERS = [
    {"nps": 9, "comment": ""},
    {"nps": 3, "comment": "Write to bob@example.com or call +33 6 12 34 56 78, nothing works"},
    {"nps": 7, "csat": None, "ces": None, "birth_year": None, "comment": "  Fine\r\nthanks "},
    {"nps": 0, "segment": "home", "comment": "Trop cher", "consent": None},
    {"nps": 10, "importance": 1, "performance": 5, "comment": "é ü 日本"},
]


def test_both_paths_store_the_same_answers(cx: Cxgap, tokens: tuple[str, str]) -> None:
    fast, full = tokens
    with cx.transaction() as session:
        jobs_before = len(session.scalars(select(Job.id)).all())
    for use_fast, token in ((True, fast), (False, full)):
        with _client(cx, fast=use_fast) as client:
            assert [_post(client, token, **answer) for answer in ANSWERS] == [303] * len(ANSWERS)
    stored_fast, stored_full = _stored(cx, fast), _stored(cx, full)
    assert len(stored_fast) == len(ANSWERS)
    assert stored_fast == stored_full
    assert "bob@example.com" not in repr(stored_fast)  # contacts masked on both paths
    with cx.transaction() as session:  # the comments queued their enrichment
        assert len(session.scalars(select(Job.id)).all()) > jobs_before


def test_every_answer_moves_the_workspace_revision(cx: Cxgap, tokens: tuple[str, str]) -> None:
    # Results, overlay and topic caches are keyed by it: they must see each new answer.
    def revision() -> tuple[int, int]:
        with cx.reading() as session:
            workspace = session.scalars(select(Workspace)).one()
            return revision_of(session, workspace.id), workspace.data_revision

    before, row_before = revision()
    with _client(cx) as client:
        assert _post(client, tokens[0]) == 303
        assert _post(client, tokens[0]) == 303
    after, row_after = revision()
    assert after == before + 2
    assert row_after == row_before  # counted in the shards, not on the workspace's row


def test_the_rate_limit_holds_on_the_short_path(cx: Cxgap, tokens: tuple[str, str]) -> None:
    with _client(cx, survey_rate_limit=3) as client:
        codes = [_post(client, tokens[0]) for _ in range(5)]
    assert codes == [303, 303, 303, 429, 429]
    assert len(_stored(cx, tokens[0])) == 3


def test_an_answer_sent_again_replaces_the_first(cx: Cxgap, tokens: tuple[str, str]) -> None:
    # Back, change a score, send again: the key is stored already, the full route replaces it.
    with _client(cx) as client:
        hidden = _hidden(client, tokens[0])
        first = client.post(f"/s/{tokens[0]}", data=customer_form(**hidden, nps=2))
        again = client.post(f"/s/{tokens[0]}", data=customer_form(**hidden, nps=6))
    assert (first.status_code, again.status_code) == (303, 303)
    assert [row[2] for row in _stored(cx, tokens[0])] == [6]


def test_a_refused_form_comes_back_with_what_was_typed(cx: Cxgap, tokens: tuple[str, str]) -> None:
    # The short path read the body and declined: the route gets the same body and explains.
    with _client(cx) as client:
        hidden = _hidden(client, tokens[0])
        form = customer_form(**hidden, nps=11, comment="Mon long commentaire")
        refused = client.post(f"/s/{tokens[0]}?lang=fr", data=form)
        forged = client.post(f"/s/{tokens[0]}", data={**form, "nps": 5, "csrf_token": "x"})
    assert refused.status_code == 422
    assert "Mon long commentaire" in refused.text
    assert "compris entre 0 et 10" in refused.text
    assert forged.status_code == 403
    assert _stored(cx, tokens[0]) == []
    with cx.reading() as session:  # nothing of the declined answers was kept
        assert session.scalars(select(SurveyRateHit.id)).all() == []


def test_a_bot_is_answered_as_a_person_and_stored_nowhere(
    cx: Cxgap, tokens: tuple[str, str]
) -> None:
    with _client(cx) as client:
        assert _post(client, tokens[0], website="http://spam.example") == 303
    assert _stored(cx, tokens[0]) == []


def test_concurrent_answers_of_one_client_stop_at_the_limit(
    cx: Cxgap, tokens: tuple[str, str]
) -> None:
    limit, concurrent = 5, 16
    start = threading.Barrier(concurrent)
    form = {key: str(value) for key, value in customer_form(comment="").items()}

    def post(number: int) -> str:
        answer = public_answers.NewAnswer(tokens[0], form, f"{number:032x}", "203.0.113.9")
        with cx.sessions() as session:
            start.wait(timeout=60)
            stored = public_answers.store_new_answer(session, answer, secret="s", rate_limit=limit)
            if stored is None:
                session.rollback()
                return "declined"
            session.commit()
            return "stored"

    with ThreadPoolExecutor(concurrent) as pool:
        outcomes = list(pool.map(post, range(concurrent)))
    assert outcomes.count("stored") == limit
    assert len(_stored(cx, tokens[0])) == limit


def test_a_session_is_unused_after_a_decline(cx: Cxgap, tokens: tuple[str, str]) -> None:
    # A closed survey is declined before any write: the route then shows the closed page.
    with cx.transaction() as session:
        campaigns.survey_by_token(session, tokens[0]).is_open = False
    answer = public_answers.NewAnswer(tokens[0], {}, "0" * 32, "203.0.113.1")
    with Session(cx.engine) as session:
        assert public_answers.store_new_answer(session, answer, secret="s", rate_limit=5) is None
        assert not session.new and not session.dirty


FORM = [(b"content-type", b"application/x-www-form-urlencoded")]


@pytest.mark.parametrize(
    "fields",
    [
        {"nps": "8", "comment": "é ü 日本 + & = %20 ; x"},
        {"empty": "", "a b": "c+d", "nps": "1"},
    ],
)
def test_the_body_is_read_as_the_route_reads_it(fields: dict[str, str]) -> None:
    body = urlencode(fields).encode()
    as_the_route = dict(parse_qsl(body.decode(), keep_blank_values=True))
    assert _form_fields({"headers": FORM}, body) == as_the_route


@pytest.mark.parametrize(
    ("headers", "body"),
    [
        (FORM, b"nps=8&consent"),  # a name without a value: the full parser's call
        (FORM, b"nps=8;csat=4"),  # another separator
        (FORM, b"comment=%ff"),  # not UTF-8
        (FORM, "comment=é".encode()),  # not encoded
        ([(b"content-type", b"multipart/form-data; boundary=x")], b"--x--"),
    ],
)
def test_other_bodies_go_to_the_route(headers: list[tuple[bytes, bytes]], body: bytes) -> None:
    assert _form_fields({"headers": headers}, body) is None
