"""Cases (issue 12): opened by hand or by rules, assigned, answered, closed and reopened.

Every change writes a :class:`CaseEvent` that is never edited afterwards: the history shown
to members and the status changes the SLA engine derives its pauses from (``case_sla``).
A case is *open* while its status is not ``resolved`` or ``closed``; a customer has at most
one open case, so a new match for them is attached to it (event ``attached``).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from cxgap.db.tables import (
    CaseEvent,
    CaseFeedback,
    CaseRow,
    Feedback,
    User,
    Workspace,
)
from cxgap.errors import FieldProblem, NotFoundError, ValidationError
from cxgap.services.case_people import member_by_email as member_by_email
from cxgap.services.case_people import team_by_key as team_by_key
from cxgap.webhooks import store as webhooks

PRIORITIES = ("low", "normal", "high", "urgent")
STATUSES = ("new", "open", "pending_customer", "resolved", "closed")
CLOSED = frozenset({"resolved", "closed"})
MAX_SUBJECT = 300
MAX_BODY = 20_000
SUBJECT_FROM_VERBATIM = 80


def now_utc() -> datetime:
    return datetime.now(UTC)


def checked_choice(field: str, value: str, allowed: tuple[str, ...]) -> str:
    if value not in allowed:
        message = f"must be one of {', '.join(allowed)}"
        raise ValidationError(
            [FieldProblem(field, message, value, code="choice", params={"allowed": allowed})],
            summary="Case refused",
        )
    return value


def checked_text(field: str, value: str, limit: int, *, required: bool) -> str:
    clean = value.strip()
    if required and not clean:
        raise ValidationError.single(field, "is required", value, code="required")
    if len(clean) > limit:
        raise ValidationError.single(
            field, f"is longer than {limit} characters", len(clean), code="too_long",
            params={"limit": limit},
        )  # fmt: skip
    return clean


def _feedback(session: Session, workspace: Workspace, feedback_id: int) -> Feedback:
    row = session.get(Feedback, feedback_id)
    if row is None or row.workspace_id != workspace.id:
        raise NotFoundError(f"No feedback {feedback_id} in workspace {workspace.key!r}")
    return row


def open_case_of(session: Session, workspace_id: int, customer_ref: str) -> CaseRow | None:
    """The customer's open case, if they have one (the oldest if several were opened by hand)."""
    return session.scalars(
        select(CaseRow)
        .where(
            CaseRow.workspace_id == workspace_id,
            CaseRow.customer_ref == customer_ref,
            CaseRow.status.not_in(CLOSED),
        )
        .order_by(CaseRow.id)
        .limit(1)
    ).first()


def next_number(session: Session, workspace_id: int) -> int:
    query = select(func.max(CaseRow.number)).where(CaseRow.workspace_id == workspace_id)
    return int(session.scalar(query) or 0) + 1


def add_event(
    session: Session,
    case: CaseRow,
    type_: str,
    author: str,
    *,
    at: datetime | None = None,
    **values: object,
) -> None:
    """Record ``type_`` on ``case`` (never edited afterwards) and mark the case updated."""
    when = at or now_utc()
    session.add(CaseEvent(case_id=case.id, at=when, type=type_, author=author, **values))
    case.updated_at = when


def open_case(
    session: Session,
    *,
    workspace: Workspace,
    subject: str = "",
    feedback_id: int | None = None,
    customer_ref: str | None = None,
    account: str | None = None,
    priority: str = "normal",
    channel: str | None = None,
    body: str = "",
    actor_id: int | None = None,
    rule_id: int | None = None,
    team_id: int | None = None,
    at: datetime | None = None,
) -> tuple[CaseRow, bool]:
    """Open a case (by hand, or by a rule when ``rule_id`` is given), from a verbatim when
    ``feedback_id`` is given. A verbatim of a customer who has an open case is attached to
    that case instead: returns the case and whether it is new."""
    checked_choice("priority", priority, PRIORITIES)
    body = checked_text("body", body, MAX_BODY, required=False)
    source = None if feedback_id is None else _feedback(session, workspace, feedback_id)
    if source is not None:
        customer_ref = customer_ref or source.customer_ref
        channel = channel or source.channel
        subject = subject.strip() or subject_of(source)
        existing = customer_ref and open_case_of(session, workspace.id, customer_ref)
        if existing:
            attach_feedback(session, case=existing, feedback_id=source.id, at=at)
            return existing, False
    subject = checked_text("subject", subject, MAX_SUBJECT, required=True)
    when = at or now_utc()
    case = CaseRow(
        workspace_id=workspace.id,
        number=next_number(session, workspace.id),
        subject=subject,
        customer_ref=(customer_ref or "").strip()[:200] or None,
        account=(account or "").strip()[:200] or None,
        priority=priority,
        status="new",
        channel=channel,
        feedback_id=feedback_id,
        rule_id=rule_id,
        team_id=team_id,
        created_at=when,
        updated_at=when,
        breached=[],
    )
    session.add(case)
    session.flush()
    author = "agent" if actor_id is not None else "system"
    fields = {"rule_id": rule_id} if rule_id is not None else {}
    add_event(
        session, case, "created", author, actor_id=actor_id, body=body, fields=fields, at=when
    )
    if source is not None:
        session.add(CaseFeedback(case_id=case.id, feedback_id=source.id, attached_at=when))
    session.flush()
    webhooks.emit(session, workspace.id, "case.created", case_data(case))
    return case, True


def subject_of(feedback: Feedback) -> str:
    first_line = " ".join(feedback.text.split())
    if len(first_line) > SUBJECT_FROM_VERBATIM:
        first_line = first_line[: SUBJECT_FROM_VERBATIM - 1].rstrip() + "…"
    return first_line or f"Feedback {feedback.source_id}"


def case_data(case: CaseRow) -> dict[str, object]:
    """What the webhooks say about a case: no verbatim, no e-mail."""
    return {
        "case": case.number,
        "status": case.status,
        "priority": case.priority,
        "customer_ref": case.customer_ref,
        "account": case.account,
        "channel": case.channel,
    }


def attach_feedback(
    session: Session, *, case: CaseRow, feedback_id: int, at: datetime | None = None
) -> None:
    """The customer spoke again: the item joins the case, as a customer message."""
    known = session.scalar(
        select(CaseFeedback.id).where(
            CaseFeedback.case_id == case.id, CaseFeedback.feedback_id == feedback_id
        )
    )
    if known is not None:
        return
    when = at or now_utc()
    session.add(CaseFeedback(case_id=case.id, feedback_id=feedback_id, attached_at=when))
    add_event(
        session, case, "attached", "customer", public=True, fields={"feedback_id": feedback_id},
        at=when,
    )  # fmt: skip
    session.flush()


def get_case(session: Session, workspace: Workspace, number: int) -> CaseRow:
    case = session.scalars(
        select(CaseRow).where(CaseRow.workspace_id == workspace.id, CaseRow.number == number)
    ).first()
    if case is None:
        raise NotFoundError(f"No case {number} in workspace {workspace.key!r}").keyed(
            "cases.error.no_case", number=number
        )
    return case


def list_cases(
    session: Session,
    workspace: Workspace,
    *,
    statuses: tuple[str, ...] = (),
    assignee_id: int | None = None,
    team_id: int | None = None,
    limit: int = 500,
) -> list[CaseRow]:
    for status in statuses:
        checked_choice("status", status, STATUSES)
    query = select(CaseRow).where(CaseRow.workspace_id == workspace.id)
    if statuses:
        query = query.where(CaseRow.status.in_(statuses))
    if assignee_id is not None:
        query = query.where(CaseRow.assignee_id == assignee_id)
    if team_id is not None:
        query = query.where(CaseRow.team_id == team_id)
    order: list[ColumnElement[Any]] = [CaseRow.number.desc()]
    if statuses and CLOSED.issuperset(statuses):  # past cases: the most recently closed first
        order = [CaseRow.closed_at.is_(None), CaseRow.closed_at.desc(), *order]
    return list(session.scalars(query.order_by(*order).limit(limit)))


def history(session: Session, case: CaseRow) -> list[CaseEvent]:
    query = select(CaseEvent).where(CaseEvent.case_id == case.id)
    return list(session.scalars(query.order_by(CaseEvent.at, CaseEvent.id)))


def reply(
    session: Session,
    *,
    case: CaseRow,
    body: str,
    actor_id: int | None,
    public: bool = True,
    from_customer: bool = False,
    at: datetime | None = None,
) -> None:
    """A public reply to the customer (``public``) or an internal note; ``from_customer``
    records a message the customer sent (by mail, by phone) to the case."""
    text = checked_text("body", body, MAX_BODY, required=True)
    when = at or now_utc()
    if from_customer:
        add_event(session, case, "reply", "customer", public=True, body=text, at=when)
    elif public:
        add_event(
            session, case, "reply", "agent", public=True, actor_id=actor_id, body=text, at=when
        )
        if case.status == "new":  # answered: the case is being worked on
            _status_event(session, case, "open", None, when)
    else:
        add_event(
            session, case, "note", "agent", public=False, actor_id=actor_id, body=text, at=when
        )
    if from_customer and case.status == "pending_customer":
        _status_event(session, case, "open", None, when)
    session.flush()


def _status_event(
    session: Session, case: CaseRow, status: str, actor_id: int | None, at: datetime
) -> None:
    author = "system" if actor_id is None else "agent"
    add_event(session, case, "status", author, actor_id=actor_id, status=status, at=at)
    case.status = status


def set_status(
    session: Session,
    *,
    case: CaseRow,
    status: str,
    actor_id: int | None,
    at: datetime | None = None,
) -> None:
    """Change the status; leaving ``resolved``/``closed`` for an open status is a reopening."""
    checked_choice("status", status, STATUSES)
    if status == case.status:
        return
    when = at or now_utc()
    if case.status in CLOSED and status not in CLOSED:
        reopen(session, case=case, actor_id=actor_id, at=when, status=status)
        return
    was_open = case.status not in CLOSED
    _status_event(session, case, status, actor_id, when)
    if status in CLOSED:
        case.closed_at = case.closed_at or when
        if was_open:
            webhooks.emit(session, case.workspace_id, "case.closed", case_data(case))
    session.flush()


def reopen(
    session: Session,
    *,
    case: CaseRow,
    actor_id: int | None,
    body: str = "",
    status: str = "open",
    at: datetime | None = None,
) -> None:
    if case.status not in CLOSED:
        raise ValidationError.single(
            "status", "only a resolved or closed case can be reopened", case.status,
            code="reopen",
        )  # fmt: skip
    text = checked_text("body", body, MAX_BODY, required=False)
    author = "system" if actor_id is None else "agent"
    when = at or now_utc()
    add_event(
        session, case, "reopened", author, actor_id=actor_id, status=status, body=text, at=when
    )
    case.status, case.closed_at = status, None
    session.flush()


def set_priority(
    session: Session,
    *,
    case: CaseRow,
    priority: str,
    actor_id: int | None,
    at: datetime | None = None,
) -> None:
    """Change the priority; the event keeps the old one (``from``) so that the SLA engine
    applies each priority's policy from when it was set."""
    checked_choice("priority", priority, PRIORITIES)
    if priority == case.priority:
        return
    fields = {"priority": priority, "from": case.priority}
    add_event(session, case, "priority", "agent", actor_id=actor_id, fields=fields, at=at)
    case.priority = priority
    session.flush()


def assign(
    session: Session,
    *,
    case: CaseRow,
    assignee_email: str | None,
    team_key: str | None,
    actor_id: int | None,
) -> User | None:
    """Give the case to a member of the workspace and/or a team (``""`` clears either; the
    unchanged one is not recorded); returns the newly assigned member, if any."""
    if assignee_email is None and team_key is None:
        raise ValidationError.single("assignee", "give an assignee or a team", "", code="required")
    fields: dict[str, object] = {}
    user = None
    if assignee_email is not None:
        user = (
            member_by_email(session, case.workspace_id, assignee_email) if assignee_email else None
        )
        user_id = None if user is None else user.id
        if user_id != case.assignee_id:
            case.assignee_id = user_id
            fields["assignee"] = None if user is None else user.email
    if team_key is not None:
        team = team_by_key(session, case.workspace_id, team_key) if team_key else None
        team_id = None if team is None else team.id
        if team_id != case.team_id:
            case.team_id = team_id
            fields["team"] = None if team is None else team.key
    if fields:
        add_event(session, case, "assign", "agent", actor_id=actor_id, fields=fields)
        session.flush()
    return user if "assignee" in fields else None
