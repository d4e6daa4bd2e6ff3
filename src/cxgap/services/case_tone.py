"""The tone check of a reply drafted on a case: the case's channel, what the customer said
(their verbatims and messages, read by the analyzer for their mood), the time the SLA
leaves (the first response's due time, then the next response's), the support hours that
promises are counted on (those of the account's tier when it has its own, else the
workspace calendar, in their zone) and the case's persona
(its address form and preferred length, services.case_persona), handed to the tone library.
Nothing is stored."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from cxgap.db.tables import CaseEvent, CaseFeedback, CaseRow, Feedback
from cxgap.services import case_sla
from cxgap.services.case_persona import case_persona
from cxgap.services.replies import DRAFT_LIMIT, ReplyCheck, ReplyRequest, check_reply
from cxgap.sla.clock import Status
from cxgap.sla.policy import Metric
from cxgap.text.protocols import TextAnalyzer
from cxgap.tone.model import CHANNELS, ToneProfile

# A case opened from a survey or a review is answered by e-mail unless it came another way.
DEFAULT_CHANNEL = "email"
CUSTOMER_MESSAGES = 5  # the latest ones: the customer's mood now, not a month ago


def customer_messages(session: Session, case: CaseRow) -> list[str]:
    """What the customer said on the case, oldest first: the verbatims attached to it, then
    their own messages; the latest few."""
    verbatims = session.scalars(
        select(Feedback.text)
        .join(CaseFeedback, CaseFeedback.feedback_id == Feedback.id)
        .where(CaseFeedback.case_id == case.id, Feedback.text.is_not(None))
        .order_by(Feedback.collected_at, Feedback.id)
    )
    messages = session.scalars(
        select(CaseEvent.body)
        .where(
            CaseEvent.case_id == case.id,
            CaseEvent.type == "reply",
            CaseEvent.author == "customer",
        )
        .order_by(CaseEvent.at, CaseEvent.id)
    )
    said = [text[:DRAFT_LIMIT] for text in [*verbatims, *messages] if text and text.strip()]
    return said[-CUSTOMER_MESSAGES:]


def reply_due(session: Session, case: CaseRow, now: datetime) -> datetime | None:
    """When the reply is due: the first response's due time while it runs, else the next
    response's; None when no response clock is running."""
    result = case_sla.evaluate_rows(session, case.workspace_id, [case], now)[0]
    for metric in (Metric.FIRST_RESPONSE, Metric.NEXT_RESPONSE):
        measured = result.metrics.get(metric)
        clock = None if measured is None else measured.clock
        running = clock is not None and clock.status in (Status.ACTIVE, Status.MISSED)
        if running and clock is not None and clock.satisfied_at is None:
            return clock.due
    return None


def check_case_reply(
    session: Session,
    case: CaseRow,
    text: str,
    now: datetime,
    *,
    analyzer: TextAnalyzer | None = None,
    profile: ToneProfile | None = None,
    known_values: Sequence[str] = (),
) -> ReplyCheck:
    """The guidance and findings for ``text`` as a reply to ``case``, addressed as the
    case's persona likes (``profile``; found from the case when not given,
    services.case_persona). ``known_values`` are the customer's own details (an order
    reference), never taken for jargon."""
    channel = case.channel if case.channel in CHANNELS else DEFAULT_CHANNEL
    # the hours the case's clocks run on: its tier's (and their zone) when it has its own
    calendar = case_sla.calendar_of(session, case)
    if profile is None:
        profile = case_persona(session, case).profile
    request = ReplyRequest(
        text=text,
        channel=channel,
        address=profile.address,
        length=profile.length,
        due=reply_due(session, case, now),
        now=now,
        timezone=calendar.zone.key,
        calendar=calendar,
        customer_messages=customer_messages(session, case),
        known_values=tuple(known_values),
    )
    return check_reply(request, analyzer=analyzer)
