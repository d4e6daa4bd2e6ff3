"""The customer's side of the recovery survey: the link opened, the answer stored once, and
the answer brought into Listening as a feedback record linked to the case.

The record is a ``survey`` record on the ``recovery`` channel, source id ``recovery-<id>``,
its CSAT the score and its text the comment (contact details masked like every verbatim);
it is attached to the case and counted like any other (Listening counts, segments). Queuing
its enrichment is the caller's part (``cxgap.jobs``). A score of ``REOPEN_AT_MOST`` or less
reopens the case, if it is still resolved or closed: the loop is not closed yet.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, insert, select
from sqlalchemy.orm import Session

from cxgap.db import listening_counts, segment_members
from cxgap.db.tables import CaseFeedback, CaseRecovery, CaseRow, Feedback, SurveyRateHit, Workspace
from cxgap.errors import ConflictError, FieldProblem, NotFoundError, ValidationError
from cxgap.i18n import translate
from cxgap.schema import MAX_COMMENT_CHARS
from cxgap.services import cases
from cxgap.services.answers import check_rate_limit, client_fingerprint
from cxgap.services.case_recovery import REOPEN_AT_MOST, SCORES, token_digest
from cxgap.services.contact_masking import stored_text
from cxgap.services.survey_feedback import comment_text
from cxgap.services.workspaces import bump_revision
from cxgap.webhooks import store as webhooks

SOURCE_TYPE = "survey"
CHANNEL = "recovery"
QUESTION_KEY = "case_recovery.public.question"


# A used or expired link is a ConflictError said by one of these (errors.py is full).
ANSWERED = "case_recovery.unavailable.answered.body"
EXPIRED = "case_recovery.unavailable.expired.body"


@dataclass(frozen=True)
class RecoveryLink:
    """What the public page needs: plain values, readable after a rollback."""

    recovery_id: int
    brand: str
    subject: str
    language: str
    answered: bool
    expired: bool


def _found(session: Session, token: str, *, locked: bool = False) -> CaseRecovery:
    query = select(CaseRecovery).where(CaseRecovery.token_hash == token_digest(token))
    # Two answers sent at once: the second waits for the first to commit, then sees it.
    recovery = session.scalar(query.with_for_update() if locked else query)
    if recovery is None:
        raise NotFoundError("This recovery survey link is not valid")
    return recovery


def open_link(session: Session, token: str, now: datetime | None = None) -> RecoveryLink:
    """The survey a link leads to (404 for an unknown link)."""
    recovery = _found(session, token)
    case = session.get(CaseRow, recovery.case_id)
    workspace = session.get(Workspace, recovery.workspace_id)
    if case is None or workspace is None:
        raise NotFoundError("This recovery survey link is not valid")
    return RecoveryLink(
        recovery_id=recovery.id,
        brand=workspace.name,
        subject=case.subject,
        language=recovery.language,
        answered=recovery.answered_at is not None,
        expired=(now or cases.now_utc()) >= recovery.expires_at,
    )


def checked_answer(score: str | None, comment: str | None) -> tuple[int, str]:
    """The score (1-5, required) and the comment (optional), refused naming the field."""
    problems = []
    value = (score or "").strip()
    number = int(value) if value.isdigit() else None
    if number not in SCORES:
        code = "required" if not value else "range"
        message = "is required" if not value else "must be a whole number from 1 to 5"
        params: dict[str, object] = {} if not value else {"low": 1, "high": 5}
        problems.append(FieldProblem("score", message, value, code=code, params=params))
    text = comment_text(comment)
    if len(text) > MAX_COMMENT_CHARS:
        problems.append(
            FieldProblem("comment", f"is longer than {MAX_COMMENT_CHARS} characters", len(text),
                         code="too_long", params={"limit": MAX_COMMENT_CHARS})
        )  # fmt: skip
    if problems or number is None:
        raise ValidationError(problems, summary="Answer refused")
    return number, text


def answer_recovery(
    session: Session,
    *,
    token: str,
    score: str | None,
    comment: str | None,
    client_ip: str,
    secret: str,
    rate_limit: int,
    now: datetime | None = None,
) -> Feedback:
    """Store the customer's answer once: the recovery row, a feedback record in Listening
    attached to the case, the case's history, and a reopening for a low score."""
    number, text = checked_answer(score, comment)
    # The rate limit's lock first: on SQLite its DELETE takes the write lock before the link
    # is read, so a second answer sent at the same moment reads the first one's commit.
    fingerprint = client_fingerprint(client_ip, secret)
    check_rate_limit(session, fingerprint=fingerprint, limit=rate_limit)
    recovery = _found(session, token, locked=True)
    when = now or cases.now_utc()
    if recovery.answered_at is not None:
        raise ConflictError("This recovery survey was already answered").keyed(ANSWERED)
    if when >= recovery.expires_at:
        raise ConflictError("This recovery survey link has expired").keyed(EXPIRED)
    session.add(SurveyRateHit(client_hash=fingerprint))
    case = session.get(CaseRow, recovery.case_id)
    if case is None:
        raise NotFoundError("This recovery survey link is not valid")
    feedback = _store_feedback(session, recovery, case, number, stored_text(session, text), when)
    recovery.answered_at, recovery.score = when, number
    recovery.comment, recovery.feedback_id = feedback.text, feedback.id
    session.add(CaseFeedback(case_id=case.id, feedback_id=feedback.id, attached_at=when))
    fields = {"score": number, "feedback_id": feedback.id}
    cases.add_event(session, case, "recovery_answer", "customer", public=True,
                    body=feedback.text, fields=fields, at=when)  # fmt: skip
    if number <= REOPEN_AT_MOST and case.status in cases.CLOSED:
        cases.reopen(session, case=case, actor_id=None, at=when)
    session.flush()
    return feedback


def _store_feedback(
    session: Session, recovery: CaseRecovery, case: CaseRow, score: int, text: str, at: datetime
) -> Feedback:
    source_id = f"recovery-{recovery.id}"
    values = {
        "workspace_id": recovery.workspace_id,
        "source_type": SOURCE_TYPE,
        "source_id": source_id,
        "channel": CHANNEL,
        "collected_at": at,
        "text": text,
        "csat": score,
        "customer_ref": case.customer_ref,
        "language_hint": recovery.language,
        "attributes": {"case": str(case.number)},
        "question": translate(QUESTION_KEY, recovery.language),
        "response_key": source_id,
        "text_hash": hashlib.sha256(text.encode()).hexdigest(),
        "created_at": at,
        "updated_at": at,
    }
    scope = and_(Feedback.source_type == SOURCE_TYPE, Feedback.source_id == source_id)
    with listening_counts.changing(session, recovery.workspace_id, scope):
        session.execute(insert(Feedback), [values])
    feedback = session.scalars(
        select(Feedback).where(Feedback.workspace_id == recovery.workspace_id, scope)
    ).one()
    segment_members.refresh_ids(session, recovery.workspace_id, [feedback.id])
    bump_revision(session, recovery.workspace_id)
    webhooks.emit(session, recovery.workspace_id, "feedback.created",
                  {"source": SOURCE_TYPE, "created": 1})  # fmt: skip
    return feedback
