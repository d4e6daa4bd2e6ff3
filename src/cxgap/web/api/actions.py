"""Action plans: the list (filtered) and creation, one action with its steps and comments,
edits (status included), deletion, comments and steps.

Viewers read; analysts and admins act (as on cases)."""

from __future__ import annotations

from datetime import date, datetime
from enum import Enum
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query, Request, Response
from pydantic import BaseModel, Field

from cxgap.db.tables import ActionRow, Workspace
from cxgap.services import (
    action_checks,
    action_gaps,
    action_notes,
    action_outcomes,
    action_plans,
    action_views,
)
from cxgap.services.accounts import Role
from cxgap.services.action_plans import ActionFilter
from cxgap.services.api_tokens import ApiCaller
from cxgap.web.api.deps import CallerDep, open_workspace
from cxgap.web.api.errors import error_responses
from cxgap.web.api.fields import NOT_BLANK
from cxgap.web.api.pagination import DEFAULT_LIMIT, CursorQuery, LimitQuery, Page, paginate
from cxgap.web.deps import SessionDep
from cxgap.web.security import client_address

router = APIRouter(prefix="/api/v1/workspaces/{key}/actions")

Status = Literal["not_started", "in_progress", "on_hold", "done", "cancelled"]
SubjectKind = Literal["pillar", "topic", "touchpoint", "driver", "persona", "segment"]
MetricName = Literal["nps", "csat", "ces", "pillar", "topic_negative_share", "touchpoint_sentiment"]
ActionId = Annotated[int, Path(ge=1, le=2**31 - 1, description="The action's id")]
TAG: list[str | Enum] = ["actions"]


class TargetIo(BaseModel):
    metric: MetricName
    pillar: str | None = Field(None, max_length=200, description="For the metric pillar")
    topic: str | None = Field(None, max_length=200, description="For topic_negative_share")
    touchpoint: str | None = Field(None, max_length=200, description="For touchpoint_sentiment")
    segment: str | None = Field(None, max_length=200, description="Only this segment's customers")


class StepOut(BaseModel):
    id: int
    title: str
    owner: str | None
    due_date: str | None
    done: bool
    late: bool


class CommentOut(BaseModel):
    id: int
    author: str | None
    body: str
    at: datetime


class ActionOut(BaseModel):
    id: int
    title: str
    description: str
    subject_kind: SubjectKind | None = Field(description="What the action is tied to")
    subject_key: str | None
    owner: str | None = Field(description="The owner's e-mail")
    team: str | None = Field(description="The team's key")
    start_date: str | None
    due_date: str | None
    status: Status
    progress: int = Field(ge=0, le=100)
    late: bool = Field(description="Past its due date (workspace's time zone), not done")
    target: TargetIo | None = Field(description="The metric the action should move")
    created_at: datetime
    updated_at: datetime


class ActionDetail(ActionOut):
    steps: list[StepOut]
    comments: list[CommentOut]


class ActionPatch(BaseModel):
    """Only the fields sent change; null or '' clears an optional one."""

    title: str | None = Field(None, max_length=300)
    description: str | None = Field(None, max_length=20_000)
    subject_kind: SubjectKind | None = None
    subject_key: str | None = Field(None, max_length=200)
    owner: str | None = Field(None, max_length=254, description="A member's e-mail")
    team: str | None = Field(None, max_length=64, description="A team's key")
    start_date: date | None = None
    due_date: date | None = None
    status: Status | None = Field(None, description="done sets the progress to 100")
    progress: int | None = Field(None, ge=0, le=100)
    target: TargetIo | None = Field(None, description="null clears it")


class ActionIn(ActionPatch):
    title: str = Field(max_length=300, min_length=1, pattern=NOT_BLANK)


class CommentIn(BaseModel):
    body: str = Field(min_length=1, max_length=20_000, pattern=NOT_BLANK)


class StepIn(BaseModel):
    title: str = Field(min_length=1, max_length=300, pattern=NOT_BLANK)
    owner: str | None = Field(None, max_length=254)
    due_date: date | None = None


class StepPatch(BaseModel):
    done: bool


def _values(body: ActionPatch) -> dict[str, Any]:
    given = body.model_dump(exclude_unset=True)
    if "target" in given:
        goal = given.pop("target") or {}
        given |= {name: goal.get(name) for name in action_plans.TARGET_FIELDS}
    return given


def _detail(session: SessionDep, workspace: Workspace, action: ActionRow) -> ActionDetail:
    today = action_gaps.today_of(session, workspace)
    return ActionDetail.model_validate(action_views.detail(session, action, today))


def _acting(
    session: SessionDep, caller: ApiCaller, key: str, action_id: int
) -> tuple[Workspace, ActionRow]:
    workspace, _ = open_workspace(session, caller, key, Role.ANALYST)
    return workspace, action_plans.get_action(session, workspace, action_id)


@router.get("", response_model=Page[ActionOut], tags=TAG, operation_id="list_actions",
            responses=error_responses())  # fmt: skip
def list_actions(
    key: str,
    session: SessionDep,
    caller: CallerDep,
    status: Annotated[list[Status] | None, Query(max_length=5)] = None,
    owner: Annotated[str | None, Query(max_length=254)] = None,
    team: Annotated[str | None, Query(max_length=64)] = None,
    subject_kind: SubjectKind | None = None,
    subject_key: Annotated[str | None, Query(max_length=200)] = None,
    late: bool = False,
    limit: LimitQuery = DEFAULT_LIMIT,
    cursor: CursorQuery = None,
) -> Page[ActionOut]:
    """The workspace's actions, nearest due date first; ``late`` keeps those past their due
    date and not done."""
    workspace, _ = open_workspace(session, caller, key, Role.VIEWER)
    today = action_gaps.today_of(session, workspace)
    where = ActionFilter(
        statuses=tuple(status or ()),
        owner_id=action_checks.member(session, workspace.id, "owner", owner).id if owner else None,
        team_id=action_checks.team(session, workspace.id, team).id if team else None,
        subject_kind=subject_kind, subject_key=subject_key, late_on=today if late else None,
    )  # fmt: skip
    rows = action_plans.list_actions(session, workspace, where)
    page, after = paginate(rows, limit=limit, cursor=cursor)
    items = [ActionOut.model_validate(a) for a in action_views.summaries(session, page, today)]
    return Page[ActionOut](items=items, next=after)


@router.post("", response_model=ActionDetail, status_code=201, tags=TAG,
             operation_id="create_action", responses=error_responses())  # fmt: skip
def create_action(
    request: Request, key: str, body: ActionIn, session: SessionDep, caller: CallerDep
) -> ActionDetail:
    """Plan an action, tied to what it should move, with the metric it targets."""
    workspace, _ = open_workspace(session, caller, key, Role.ANALYST)
    action = action_plans.create_action(
        session, workspace=workspace, values=_values(body), actor_id=caller.principal.user_id,
        address=client_address(request),
    )  # fmt: skip
    return _detail(session, workspace, action)


@router.get("/{action_id}", response_model=ActionDetail, tags=TAG, operation_id="get_action",
            responses=error_responses())  # fmt: skip
def get_action(
    key: str, action_id: ActionId, session: SessionDep, caller: CallerDep
) -> ActionDetail:
    """One action with its steps and comments."""
    workspace, _ = open_workspace(session, caller, key, Role.VIEWER)
    return _detail(session, workspace, action_plans.get_action(session, workspace, action_id))


GRAIN_HELP = "week or month; by default the one whose series has enough periods"


class ImpactOut(BaseModel):
    """An action's impact on its target metric (docs/actions.md): the series from its data,
    the analysis at the start date, the difference-in-differences against an untouched
    control, the outcome, and the reason when there is no verdict yet."""

    target: dict[str, Any] | None
    start: date | None
    period: str
    series: list[dict[str, Any]]
    control: dict[str, Any] | None
    control_series: list[dict[str, Any]]
    impact: dict[str, Any] | None
    did: dict[str, Any] | None
    moved: Literal["better", "worse", "no_change", "not_enough_data", "not_started"]
    reason: dict[str, str] | None


@router.get("/{action_id}/impact", response_model=ImpactOut, tags=TAG,
            operation_id="get_action_impact", responses=error_responses())  # fmt: skip
def get_action_impact(
    key: str,
    action_id: ActionId,
    session: SessionDep,
    caller: CallerDep,
    grain: Annotated[Literal["week", "month"] | None, Query(description=GRAIN_HELP)] = None,
) -> ImpactOut:
    """Whether the action moved its target metric since its start date, per week or month."""
    workspace, _ = open_workspace(session, caller, key, Role.VIEWER)
    action = action_plans.get_action(session, workspace, action_id)
    value = action_outcomes.impact_json(session, workspace, action, grain=grain)
    return ImpactOut.model_validate(value)


@router.patch("/{action_id}", response_model=ActionDetail, tags=TAG,
              operation_id="update_action", responses=error_responses())  # fmt: skip
def update_action(
    request: Request,
    key: str,
    action_id: ActionId,
    body: ActionPatch,
    session: SessionDep,
    caller: CallerDep,
) -> ActionDetail:
    """Change the fields sent (the status too: done sets the progress to 100)."""
    workspace, action = _acting(session, caller, key, action_id)
    action_plans.update_action(
        session, action=action, values=_values(body), actor_id=caller.principal.user_id,
        address=client_address(request),
    )  # fmt: skip
    return _detail(session, workspace, action)


@router.delete("/{action_id}", status_code=204, response_class=Response, tags=TAG,
               operation_id="delete_action", responses=error_responses())  # fmt: skip
def delete_action(
    request: Request, key: str, action_id: ActionId, session: SessionDep, caller: CallerDep
) -> Response:
    """Delete an action with its steps and comments."""
    _, action = _acting(session, caller, key, action_id)
    action_plans.delete_action(session, action=action, actor_id=caller.principal.user_id,
                               address=client_address(request))  # fmt: skip
    return Response(status_code=204)


@router.post("/{action_id}/comments", response_model=ActionDetail, status_code=201, tags=TAG,
             operation_id="comment_action", responses=error_responses())  # fmt: skip
def comment_action(
    key: str, action_id: ActionId, body: CommentIn, session: SessionDep, caller: CallerDep
) -> ActionDetail:
    """Add a comment."""
    workspace, action = _acting(session, caller, key, action_id)
    action_notes.add_comment(session, action=action, body=body.body,
                             author_id=caller.principal.user_id)  # fmt: skip
    return _detail(session, workspace, action)


@router.post("/{action_id}/steps", response_model=ActionDetail, status_code=201, tags=TAG,
             operation_id="add_action_step", responses=error_responses())  # fmt: skip
def add_step(
    key: str, action_id: ActionId, body: StepIn, session: SessionDep, caller: CallerDep
) -> ActionDetail:
    """Add a step (a sub-action)."""
    workspace, action = _acting(session, caller, key, action_id)
    action_notes.add_step(session, action=action, title=body.title, owner=body.owner,
                          due_date=body.due_date, actor_id=caller.principal.user_id)  # fmt: skip
    return _detail(session, workspace, action)


@router.patch("/{action_id}/steps/{step_id}", response_model=ActionDetail, tags=TAG,
              operation_id="update_action_step", responses=error_responses())  # fmt: skip
def update_step(
    key: str,
    action_id: ActionId,
    step_id: Annotated[int, Path(ge=1, le=2**31 - 1)],
    body: StepPatch,
    session: SessionDep,
    caller: CallerDep,
) -> ActionDetail:
    """Mark a step done or not done."""
    workspace, action = _acting(session, caller, key, action_id)
    action_notes.set_step_done(session, action=action, step_id=step_id, done=body.done,
                               actor_id=caller.principal.user_id)  # fmt: skip
    return _detail(session, workspace, action)
