"""Cases: the list and the queue, one case with its history, opening, replies, internal
notes, status changes (leaving resolved/closed reopens) and assignment.

Viewers read; analysts and admins act."""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query, Request
from pydantic import BaseModel, Field

from cxgap import jobs
from cxgap.db.tables import CaseRow, Workspace
from cxgap.services import case_recovery, case_views, cases
from cxgap.services.accounts import Role
from cxgap.services.api_tokens import ApiCaller
from cxgap.web.api.deps import CallerDep, open_workspace
from cxgap.web.api.errors import error_responses
from cxgap.web.api.fields import MAX_ID, NOT_BLANK
from cxgap.web.api.pagination import DEFAULT_LIMIT, CursorQuery, LimitQuery, Page, paginate
from cxgap.web.deps import SessionDep, SettingsDep
from cxgap.web.public_links import public_base

router = APIRouter(prefix="/api/v1/workspaces/{key}")

Priority = Literal["low", "normal", "high", "urgent"]
CaseStatus = Literal["new", "open", "pending_customer", "resolved", "closed"]
MetricStatus = Literal["hit", "missed", "active", "paused"]
Number = Annotated[int, Path(ge=1, le=2**31 - 1, description="The case's number")]
TAG: list[str | Enum] = ["cases"]


class MetricOut(BaseModel):
    due: str | None = Field(description="ISO 8601 with offset; null while paused")
    satisfied_at: str | None
    business_minutes: float = Field(description="Business minutes used")
    status: MetricStatus | None = Field(description="null: the clock never started")
    target: float
    business_minutes_left: float
    warning: bool = Field(description="Still running and 80 % of the target used")
    cycles: int


class SlaOut(BaseModel):
    policy: str | None
    business_minutes_left: float | None = Field(
        description="Least time left on a clock waiting on the company (negative: overdue)"
    )
    warning: bool
    breached: bool
    metrics: dict[str, MetricOut]


class CaseOut(BaseModel):
    number: int
    subject: str
    status: CaseStatus
    priority: Priority
    customer_ref: str | None
    account: str | None
    channel: str | None
    assignee: str | None = Field(description="The assigned member's e-mail")
    team: str | None = Field(description="The assigned team's key")
    feedback_id: int | None = Field(description="The feedback item it was opened from")
    rule_id: int | None = Field(description="The rule that opened it")
    created_at: datetime
    updated_at: datetime
    closed_at: datetime | None
    sla: SlaOut


class EventOut(BaseModel):
    id: int
    at: datetime
    type: str = Field(
        description="created, reply, note, status, assign, priority, reopened, attached, "
        "recovery_ask, recovery_sent, recovery_answer"
    )
    by: str = Field(description="agent, customer or system")
    public: bool
    auto: bool
    actor: str | None
    body: str
    status: str | None
    fields: dict[str, Any]


class AttachedOut(BaseModel):
    id: int
    text: str
    collected_at: datetime
    nps: int | None
    csat: int | None


class CaseDetail(CaseOut):
    events: list[EventOut]
    feedback: list[AttachedOut]
    recoveries: list[RecoveryOut] = Field(description="The recovery surveys sent on closing")


class CaseIn(BaseModel):
    subject: str = Field("", max_length=300, description="Left empty: the verbatim's start")
    feedback_id: int | None = Field(None, ge=1, le=MAX_ID, description="Open from this verbatim")
    customer_ref: str | None = Field(None, max_length=200)
    account: str | None = Field(None, max_length=200)
    priority: Priority = "normal"
    channel: str | None = Field(None, max_length=200)
    body: str = Field("", max_length=20_000, description="A first internal description")


class MessageIn(BaseModel):
    body: str = Field(min_length=1, max_length=20_000, pattern=NOT_BLANK)


class ReplyIn(MessageIn):
    from_customer: bool = Field(False, description="Record a message the customer sent")


class StatusIn(BaseModel):
    status: CaseStatus
    send_survey: bool = Field(
        False, description="On resolving or closing, send the customer the recovery survey"
    )
    email: str | None = Field(
        None, max_length=254, description="The customer's address (default: the customer "
        "reference when it is an e-mail address)",
    )  # fmt: skip
    language: Literal["en", "fr"] | None = Field(
        None, description="The survey's language (default: the verbatim's, else English)"
    )


class RecoveryOut(BaseModel):
    created_at: datetime
    sent_at: datetime | None
    failure: str = Field(description="Why it was not sent: not_configured, opted_out, …")
    expires_at: datetime
    answered_at: datetime | None
    score: int | None = Field(description="CSAT 1-5; 2 or less reopens the case")
    comment: str | None
    language: str
    feedback_id: int | None = Field(description="The answer's feedback record in Listening")


class AssignIn(BaseModel):
    assignee: str | None = Field(None, max_length=254, description="A member's e-mail; '' clears")
    team: str | None = Field(None, max_length=64, description="A team's key; '' clears")
    priority: Priority | None = None


def _now() -> datetime:
    return cases.now_utc()


def _detail(session: SessionDep, workspace: Workspace, case: CaseRow) -> CaseDetail:
    return CaseDetail.model_validate(case_views.detail(session, workspace, case, _now()))


def _acting(
    session: SessionDep, caller: ApiCaller, key: str, number: int
) -> tuple[Workspace, CaseRow]:
    workspace, _ = open_workspace(session, caller, key, Role.ANALYST)
    return workspace, cases.get_case(session, workspace, number)


@router.get(
    "/cases",
    response_model=Page[CaseOut],
    tags=TAG,
    operation_id="list_cases",
    responses=error_responses(),
)
def list_cases(
    key: str,
    session: SessionDep,
    caller: CallerDep,
    status: Annotated[list[CaseStatus] | None, Query(max_length=5)] = None,
    assignee: Annotated[str | None, Query(max_length=254)] = None,
    team: Annotated[str | None, Query(max_length=64)] = None,
    limit: LimitQuery = DEFAULT_LIMIT,
    cursor: CursorQuery = None,
) -> Page[CaseOut]:
    """The workspace's cases, newest first (asked only for resolved or closed cases, the most
    recently closed first), with their SLA as of now."""
    workspace, _ = open_workspace(session, caller, key, Role.VIEWER)
    assignee_id = cases.member_by_email(session, workspace.id, assignee).id if assignee else None
    team_id = cases.team_by_key(session, workspace.id, team).id if team else None
    rows = cases.list_cases(
        session, workspace, statuses=tuple(status or ()), assignee_id=assignee_id, team_id=team_id
    )
    page, after = paginate(rows, limit=limit, cursor=cursor)
    items = [
        CaseOut.model_validate(c) for c in case_views.summaries(session, workspace, page, _now())
    ]
    return Page[CaseOut](items=items, next=after)


@router.get(
    "/cases/queue",
    response_model=Page[CaseOut],
    tags=TAG,
    operation_id="case_queue",
    responses=error_responses(),
)
def case_queue(
    key: str,
    session: SessionDep,
    caller: CallerDep,
    status: Annotated[list[CaseStatus] | None, Query(max_length=5)] = None,
    assignee: Annotated[str | None, Query(max_length=254)] = None,
    team: Annotated[str | None, Query(max_length=64)] = None,
    limit: LimitQuery = DEFAULT_LIMIT,
    cursor: CursorQuery = None,
) -> Page[CaseOut]:
    """The open cases, least business time left first (the most overdue on top), then
    those waiting on the customer; narrowed like the list (statuses, assignee, team), and
    asked for ``resolved`` or ``closed``, those after the open ones, most recently closed
    first — the queue page's filters."""
    workspace, _ = open_workspace(session, caller, key, Role.VIEWER)
    assignee_id = cases.member_by_email(session, workspace.id, assignee).id if assignee else None
    team_id = cases.team_by_key(session, workspace.id, team).id if team else None
    rows = case_views.queue(
        session,
        workspace,
        _now(),
        assignee_id=assignee_id,
        team_id=team_id,
        statuses=tuple(status or ()),
    )
    page, after = paginate(rows, limit=limit, cursor=cursor)
    return Page[CaseOut](items=[CaseOut.model_validate(c) for c in page], next=after)


@router.get(
    "/cases/{number}",
    response_model=CaseDetail,
    tags=TAG,
    operation_id="get_case",
    responses=error_responses(),
)
def get_case(key: str, number: Number, session: SessionDep, caller: CallerDep) -> CaseDetail:
    """One case, its full history (public replies and internal notes) and its feedback."""
    workspace, _ = open_workspace(session, caller, key, Role.VIEWER)
    return _detail(session, workspace, cases.get_case(session, workspace, number))


@router.post(
    "/cases",
    response_model=CaseDetail,
    status_code=201,
    tags=TAG,
    operation_id="create_case",
    responses=error_responses(),
)
def create_case(key: str, body: CaseIn, session: SessionDep, caller: CallerDep) -> CaseDetail:
    """Open a case, from a verbatim when ``feedback_id`` is given. A verbatim of a customer
    who already has an open case is attached to it: that case is answered."""
    workspace, _ = open_workspace(session, caller, key, Role.ANALYST)
    case, _ = cases.open_case(
        session,
        workspace=workspace,
        subject=body.subject,
        feedback_id=body.feedback_id,
        customer_ref=body.customer_ref,
        account=body.account,
        priority=body.priority,
        channel=body.channel,
        body=body.body,
        actor_id=caller.principal.user_id,
    )
    return _detail(session, workspace, case)


@router.post(
    "/cases/{number}/replies",
    response_model=CaseDetail,
    tags=TAG,
    operation_id="reply_to_case",
    responses=error_responses(),
)
def reply_to_case(
    key: str, number: Number, body: ReplyIn, session: SessionDep, caller: CallerDep
) -> CaseDetail:
    """A public reply to the customer (it answers the SLA's response clocks), or with
    ``from_customer`` a message the customer sent."""
    workspace, case = _acting(session, caller, key, number)
    cases.reply(session, case=case, body=body.body, actor_id=caller.principal.user_id,
                from_customer=body.from_customer)  # fmt: skip
    return _detail(session, workspace, case)


@router.post(
    "/cases/{number}/notes",
    response_model=CaseDetail,
    tags=TAG,
    operation_id="add_case_note",
    responses=error_responses(),
)
def add_case_note(
    key: str, number: Number, body: MessageIn, session: SessionDep, caller: CallerDep
) -> CaseDetail:
    """An internal note: members see it, the customer never does; it answers no clock."""
    workspace, case = _acting(session, caller, key, number)
    cases.reply(session, case=case, body=body.body, actor_id=caller.principal.user_id, public=False)
    return _detail(session, workspace, case)


@router.post(
    "/cases/{number}/status",
    response_model=CaseDetail,
    tags=TAG,
    operation_id="set_case_status",
    responses=error_responses(),
)
def set_case_status(
    request: Request,
    key: str,
    number: Number,
    body: StatusIn,
    session: SessionDep,
    settings: SettingsDep,
    caller: CallerDep,
) -> CaseDetail:
    """Change the status; from resolved or closed to an open status reopens the case. With
    ``send_survey``, resolving or closing sends the customer the recovery survey (refused,
    and nothing changed, without an address or when the customer opted out of e-mail)."""
    workspace, case = _acting(session, caller, key, number)
    actor = caller.principal.user_id
    cases.set_status(session, case=case, status=body.status, actor_id=actor)
    if body.send_survey:
        recovery, _ = case_recovery.request_recovery(
            session, case=case, secret=settings.resolved_secret_key(), email=body.email,
            language=body.language, actor_id=actor,
        )  # fmt: skip
        jobs.send_recovery(session, recovery.id, workspace.id, public_base(request, settings))
    return _detail(session, workspace, case)


@router.post(
    "/cases/{number}/assign",
    response_model=CaseDetail,
    tags=TAG,
    operation_id="assign_case",
    responses=error_responses(),
)
def assign_case(
    key: str, number: Number, body: AssignIn, session: SessionDep, caller: CallerDep
) -> CaseDetail:
    """Assign a member and/or a team, and/or change the priority."""
    workspace, case = _acting(session, caller, key, number)
    actor = caller.principal.user_id
    if body.assignee is not None or body.team is not None:
        given = cases.assign(
            session, case=case, assignee_email=body.assignee, team_key=body.team, actor_id=actor
        )
        if given is not None:
            jobs.notify_assignee(session, case.id, workspace.id, "assigned")
    elif body.priority is None:
        cases.assign(session, case=case, assignee_email=None, team_key=None, actor_id=actor)
    if body.priority is not None:
        cases.set_priority(session, case=case, priority=body.priority, actor_id=actor)
    return _detail(session, workspace, case)
