"""The honeypot's catches: held apart and flagged ``bot`` with their reason, never counted in
answers; rate limits still hold; a flood keeps at most a cap per survey and hour, the rest
counted. On SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from cxgap.db.tables import BotAnswer, BotAnswerHour, CustomerResponse, Feedback
from cxgap.errors import RateLimitedError
from cxgap.services import bot_answers
from cxgap.services.answers import PublicSubmission, submit_customer_answer
from cxgap.services.campaigns import create_survey, survey_by_token
from cxgap.services.core import Cxgap
from cxgap.services.workspaces import get_workspace
from tests.factories import customer_form, make_workspace

BOT = customer_form(website="http://spam.example", comment="Cheap pills at spam.example", nps=10)


@pytest.fixture
def survey_cx(cx: Cxgap) -> Cxgap:
    with cx.transaction() as session:
        workspace = make_workspace(session)
        create_survey(session, workspace=workspace, key="s", name="Survey", token="survey-token")
    return cx


def post(cx: Cxgap, form: dict[str, object], *, limit: int = 1000, unit: str | None = None) -> None:
    with cx.transaction() as session:
        stored = submit_customer_answer(
            session,
            survey=survey_by_token(session, "survey-token"),
            submission=PublicSubmission(form, "s1", "10.0.0.9", unit=unit),
            secret="k",
            rate_limit=limit,
        )
        assert stored is None  # the bot is thanked; nothing joins the answers


def count(cx: Cxgap, column: object) -> int:
    with cx.reading() as session:
        return int(session.scalar(select(func.count(column))) or 0)


def summary(cx: Cxgap) -> bot_answers.BotSummary:
    with cx.reading() as session:
        return bot_answers.summary(session, get_workspace(session, "acme"))


def test_a_honeypot_post_is_held_apart_flagged_with_its_reason(survey_cx: Cxgap) -> None:
    post(survey_cx, BOT, unit="Lyon Part-Dieu")
    assert count(survey_cx, CustomerResponse.id) == 0  # in no figure
    assert count(survey_cx, Feedback.id) == 0  # nor in Listening
    found = summary(survey_cx)
    assert (found.held, found.dropped) == (1, 0)
    (held,) = found.newest
    assert (held.reason, held.agent, held.nps, held.survey) == (
        "honeypot",
        "Lyon Part-Dieu",
        10,
        "Survey",
    )
    assert held.comment == "Cheap pills at spam.example"
    with survey_cx.reading() as session:
        fields = session.scalars(select(BotAnswer.fields)).one()
    assert "website" not in fields and "csrf_token" not in fields  # the trap's value not kept


def test_a_flood_keeps_the_hourly_cap_and_counts_the_rest(
    survey_cx: Cxgap, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(bot_answers, "HELD_PER_HOUR", 3)
    for _ in range(7):
        post(survey_cx, BOT)
    found = summary(survey_cx)
    assert (found.held, found.dropped, found.total) == (3, 4, 7)
    assert count(survey_cx, BotAnswer.id) == 3


def test_bots_still_count_against_the_rate_limit(survey_cx: Cxgap) -> None:
    post(survey_cx, BOT, limit=2)
    post(survey_cx, BOT, limit=2)
    with pytest.raises(RateLimitedError):
        post(survey_cx, BOT, limit=2)
    assert summary(survey_cx).total == 2


def test_held_posts_past_their_keeping_time_go_when_a_new_hour_starts(survey_cx: Cxgap) -> None:
    old = datetime(2026, 1, 5, 10, 30, tzinfo=UTC)
    with survey_cx.transaction() as session:
        survey = survey_by_token(session, "survey-token")
        assert bot_answers.hold(session, survey=survey, form=BOT, now=old)
        later = old + timedelta(days=bot_answers.KEEP_DAYS, hours=2)
        assert bot_answers.hold(session, survey=survey, form=BOT, now=later)
    assert count(survey_cx, BotAnswer.id) == 1  # the old one gone
    assert count(survey_cx, BotAnswerHour.id) == 2  # its hour still counted
    assert summary(survey_cx).total == 2
