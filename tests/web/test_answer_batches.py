"""Survey answers that arrive together share one transaction (``web/answer_batches.py``),
on SQLite and PostgreSQL: one commit for the batch, every rule of one answer kept (the rate
limit inside the batch, an answer sent again, a failing database), nothing lost."""

from __future__ import annotations

import asyncio
import dataclasses
import secrets
from collections.abc import Coroutine, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

import pytest
from sqlalchemy import event, select
from sqlalchemy.exc import OperationalError

from cxgap.db.revisions import revision_of
from cxgap.db.tables import CustomerResponse, SurveyRateHit
from cxgap.services import campaigns, public_answers
from cxgap.services.core import Cxgap
from cxgap.web.answer_batches import WRITERS_POSTGRESQL, AnswerWriter
from tests.factories import customer_form, make_workspace

pytestmark = pytest.mark.on_postgresql  # the backend changes the path: the survey post's batches

T = TypeVar("T")


def _run(coroutine: Coroutine[Any, Any, T]) -> T:
    """Run on a thread of its own: an earlier test of the same worker (a browser test's
    sync API) may have left an event loop running on this one, where ``asyncio.run``
    refuses."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


@pytest.fixture
def token(cx: Cxgap) -> str:
    with cx.transaction() as session:
        workspace = make_workspace(session)
        return campaigns.create_survey(session, workspace=workspace, key="s", name="S").token


def _answer(token: str, client: str, **fields: object) -> public_answers.NewAnswer:
    form = {k: str(v) for k, v in customer_form(comment=None, **fields).items()}
    return public_answers.NewAnswer(token, form, secrets.token_hex(16), client)


@pytest.fixture
def commits(cx: Cxgap) -> Iterator[list[int]]:
    seen: list[int] = []

    def count(_conn: object) -> None:
        seen.append(1)

    event.listen(cx.engine, "commit", count)
    yield seen
    event.remove(cx.engine, "commit", count)


def _stored(cx: Cxgap) -> list[str]:
    with cx.reading() as session:
        return sorted(session.scalars(select(CustomerResponse.external_id)).all())


def test_a_batch_is_one_transaction(cx: Cxgap, token: str, commits: list[int]) -> None:
    answers = [_answer(token, f"203.0.113.{i}", nps=i) for i in range(6)]
    with cx.reading() as session:
        before = revision_of(session, 1)
    assert AnswerWriter(lambda: cx).store_batch(answers) == [True] * 6
    assert len(commits) == 1
    assert _stored(cx) == sorted(f"web-{a.submission_id}" for a in answers)
    with cx.reading() as session:
        assert revision_of(session, 1) == before + 6  # the caches see all six


def test_the_rate_limit_holds_inside_a_batch(cx: Cxgap, token: str) -> None:
    cx.settings = dataclasses.replace(cx.settings, survey_rate_limit=3)
    answers = [_answer(token, "198.51.100.7") for _ in range(5)]
    assert AnswerWriter(lambda: cx).store_batch(answers) == [True, True, True, False, False]
    assert len(_stored(cx)) == 3
    with cx.reading() as session:  # the two declined answers left no hit: the route counts
        assert len(session.scalars(select(SurveyRateHit.id)).all()) == 3


def test_a_declined_answer_leaves_the_others_in_the_batch(cx: Cxgap, token: str) -> None:
    good = [_answer(token, f"203.0.113.{i}") for i in range(3)]
    wrong = _answer(token, "203.0.113.50", nps=11)  # the route explains it
    assert AnswerWriter(lambda: cx).store_batch([good[0], wrong, *good[1:]]) == [
        True,
        False,
        True,
        True,
    ]
    assert _stored(cx) == sorted(f"web-{a.submission_id}" for a in good)


def test_an_answer_sent_again_in_a_batch_is_stored_alone(
    cx: Cxgap, token: str, commits: list[int]
) -> None:
    # Its key is stored already: the batch is rolled back and each answer stored alone; the
    # one sent again goes to the route (which replaces it), the others are stored once.
    first = _answer(token, "203.0.113.1")
    writer = AnswerWriter(lambda: cx)
    assert writer.store_batch([first]) == [True]
    again = public_answers.NewAnswer(token, first.form, first.submission_id, "203.0.113.1")
    others = [_answer(token, f"203.0.113.{i}") for i in range(2, 5)]
    commits.clear()
    assert writer.store_batch([others[0], again, *others[1:]]) == [True, False, True, True]
    assert len(commits) == 3  # the three others, each alone
    assert _stored(cx) == sorted(f"web-{a.submission_id}" for a in [first, *others])


def test_a_failing_database_fails_the_batch_and_stores_nothing(cx: Cxgap, token: str) -> None:
    def refuse(*_args: object) -> None:
        raise OperationalError("COMMIT", {}, Exception("disk I/O error"))

    event.listen(cx.sessions, "before_commit", refuse)
    try:
        with pytest.raises(OperationalError):
            AnswerWriter(lambda: cx).store_batch([_answer(token, f"10.0.0.{i}") for i in range(3)])
    finally:
        event.remove(cx.sessions, "before_commit", refuse)
    assert _stored(cx) == []


def test_answers_arriving_together_share_a_transaction(
    cx: Cxgap, token: str, commits: list[int]
) -> None:
    # All 17 are queued before a writer runs (one on SQLite, four on PostgreSQL): they go
    # in batches of at most 8. Every one is acknowledged only once committed.
    writer = AnswerWriter(lambda: cx, most=8)
    answers = [_answer(token, f"192.0.2.{i}") for i in range(17)]

    async def all_of_them() -> list[bool]:
        return list(await asyncio.gather(*(writer.store(a) for a in answers)))

    assert _run(all_of_them()) == [True] * 17
    assert len(commits) == 3  # 8, 8 and 1
    assert _stored(cx) == sorted(f"web-{a.submission_id}" for a in answers)


def test_a_failure_reaches_every_answer_of_its_batch(cx: Cxgap, token: str) -> None:
    writer = AnswerWriter(lambda: cx)

    def refuse(*_args: object) -> None:
        raise OperationalError("COMMIT", {}, Exception("disk I/O error"))

    async def three() -> list[object]:
        stores = [writer.store(_answer(token, f"10.9.0.{i}")) for i in range(3)]
        return list(await asyncio.gather(*stores, return_exceptions=True))

    event.listen(cx.sessions, "before_commit", refuse)
    try:
        outcomes = _run(three())
    finally:
        event.remove(cx.sessions, "before_commit", refuse)
    assert [type(o) for o in outcomes] == [OperationalError] * 3
    assert _stored(cx) == []
    assert _run(writer.store(_answer(token, "10.9.0.9"))) is True  # it writes on


def test_postgresql_keeps_several_transactions_in_flight(cx: Cxgap) -> None:
    # SQLite has one writer at a time anyway; on PostgreSQL a single writer per process
    # would wait out every round trip of its batch (measured: 34 answers/s at load 28).
    expected = 1 if cx.engine.dialect.name == "sqlite" else WRITERS_POSTGRESQL
    assert AnswerWriter(lambda: cx)._writers() == expected
