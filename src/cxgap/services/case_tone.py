"""The tone check of a reply drafted on a case: the case's channel, what the customer said
(their verbatims and messages, read by the analyzer for their mood) and the time the SLA
leaves (the first response's due time, then the next response's), handed to the tone library.
Nothing is stored."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from cxgap.db.tables import CaseEvent, CaseFeedback, CaseRow, Feedback
from cxgap.services import case_sla
from cxgap.services.replies import DRAFT_LIMIT, ReplyCheck, ReplyRequest, check_reply
from cxgap.sla.clock import Status
from cxgap.sla.policy import Metric
from cxgap.text.protocols import TextAnalyzer
from cxgap.tone.model import CHANNELS

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
) -> ReplyCheck:
    """The guidance and findings for ``text`` as a reply to ``case``."""
    channel = case.channel if case.channel in CHANNELS else DEFAULT_CHANNEL
    zone = case_sla.zone_of(session, case.workspace_id)
    request = ReplyRequest(
        text=text,
        channel=channel,
        due=reply_due(session, case, now),
        now=now,
        timezone=zone.key,
        customer_messages=customer_messages(session, case),
    )
    return check_reply(request, analyzer=analyzer)
