"""Answers the public survey's honeypot caught (a hidden ``website`` field people never see,
that form-filling bots fill): held apart, flagged ``bot`` with their reason, never counted.

They go to ``bot_answers``, not ``customer_responses``: no result, chart, export, Listening
verbatim or integrity figure reads them, whether the analyst shows results with or without
flagged answers; the integrity page lists them so that nothing is dropped silently. A flood
cannot grow the database without bound: at most ``HELD_PER_HOUR`` posts are kept per survey
and hour, the rest only counted (``bot_answer_hours``), and held posts older than
``KEEP_DAYS`` go when a survey's next hour starts (docs/integrity.md).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from cxgap.db.tables import BotAnswer, BotAnswerHour, CustomerSurvey, Workspace
from cxgap.services.contact_masking import stored_text

HELD_PER_HOUR = 50
KEEP_DAYS = 90
SHOWN = 50  # the newest held posts the integrity page lists
MAX_FIELDS = 80
MAX_VALUE_CHARS = 500
# Never kept: the form's machinery, and the trap's own value (often a spam address).
_NOT_KEPT = frozenset({"csrf_token", "submission_id", "started", "website", "language"})


@dataclass(frozen=True)
class HeldBot:
    received_at: datetime
    survey: str
    reason: str
    agent: str | None
    nps: int | None
    comment: str


@dataclass(frozen=True)
class BotSummary:
    held: int
    dropped: int
    newest: tuple[HeldBot, ...]

    @property
    def total(self) -> int:
        return self.held + self.dropped


def hold(
    session: Session,
    *,
    survey: CustomerSurvey,
    form: Mapping[str, object],
    reason: str = "honeypot",
    agent: str | None = None,
    duration_seconds: float | None = None,
    now: datetime | None = None,
) -> bool:
    """Keep a caught post if its survey's hour has room; count it either way. True: kept."""
    moment = now or datetime.now(UTC)
    hour_id = _hour_row(session, survey.id, moment.replace(minute=0, second=0, microsecond=0))
    claimed = session.execute(
        update(BotAnswerHour)
        .where(BotAnswerHour.id == hour_id, BotAnswerHour.held < HELD_PER_HOUR)
        .values(held=BotAnswerHour.held + 1)
    )
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        session.execute(
            update(BotAnswerHour)
            .where(BotAnswerHour.id == hour_id)
            .values(dropped=BotAnswerHour.dropped + 1)
        )
        return False
    fields = _kept_fields(form)
    if "comment" in fields:  # masked as a customer's comment would be
        fields["comment"] = stored_text(session, fields["comment"])
    session.add(
        BotAnswer(
            workspace_id=survey.workspace_id,
            survey_id=survey.id,
            received_at=moment,
            reason=reason,
            agent=agent,
            nps=_nps(fields.get("nps")),
            duration_seconds=duration_seconds,
            fields=fields,
        )
    )
    session.flush()
    return True


def summary(session: Session, workspace: Workspace) -> BotSummary:
    """How many posts the honeypot caught in the workspace's surveys, and the newest kept."""
    surveys = select(CustomerSurvey.id).where(CustomerSurvey.workspace_id == workspace.id)
    held, dropped = session.execute(
        select(
            func.coalesce(func.sum(BotAnswerHour.held), 0),
            func.coalesce(func.sum(BotAnswerHour.dropped), 0),
        ).where(BotAnswerHour.survey_id.in_(surveys))
    ).one()
    rows = session.execute(
        select(BotAnswer, CustomerSurvey.name)
        .join(CustomerSurvey, CustomerSurvey.id == BotAnswer.survey_id)
        .where(BotAnswer.workspace_id == workspace.id)
        .order_by(BotAnswer.received_at.desc(), BotAnswer.id.desc())
        .limit(SHOWN)
    )
    newest = tuple(
        HeldBot(
            row.received_at,
            name,
            row.reason,
            row.agent,
            row.nps,
            str(row.fields.get("comment", "")),
        )
        for row, name in rows
    )
    return BotSummary(int(held), int(dropped), newest)


def _hour_row(session: Session, survey_id: int, hour: datetime) -> int:
    """The id of the survey's row for ``hour``, made when missing (two bots racing to make
    it: the loser reads the winner's)."""
    find = select(BotAnswerHour.id).where(
        BotAnswerHour.survey_id == survey_id, BotAnswerHour.hour == hour
    )
    found = session.scalar(find)
    if found is not None:
        return int(found)
    try:
        with session.begin_nested():
            row = BotAnswerHour(survey_id=survey_id, hour=hour, held=0, dropped=0)
            session.add(row)
            session.flush()
            new_id = row.id
    except IntegrityError:
        return int(session.scalars(find).one())
    # A new hour for this survey: the held posts past their keeping time go.
    session.execute(
        delete(BotAnswer).where(
            BotAnswer.survey_id == survey_id,
            BotAnswer.received_at < hour - timedelta(days=KEEP_DAYS),
        )
    )
    return int(new_id)


def _kept_fields(form: Mapping[str, object]) -> dict[str, str]:
    kept: dict[str, str] = {}
    for name, value in form.items():
        if name in _NOT_KEPT or len(kept) >= MAX_FIELDS:
            continue
        kept[str(name)[:64]] = str(value)[:MAX_VALUE_CHARS]
    return kept


def _nps(value: str | None) -> int | None:
    if value is None or not value.strip().isdigit():
        return None
    number = int(value.strip())
    return number if 0 <= number <= 10 else None
