"""The rules that open cases over the API: list, add, replace, delete, reorder, and apply
them to older feedback (with a dry run). Analysts and admins, as on the rules page."""

from __future__ import annotations

from datetime import date
from enum import Enum
from typing import Annotated, Literal

from fastapi import APIRouter, Path, Request, Response
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from cxgap import audit
from cxgap.services import case_backfill, case_rule_views, case_rules
from cxgap.services.accounts import Role
from cxgap.services.case_rules import RuleInput
from cxgap.web.api.deps import CallerApartDep, CallerDep, open_workspace
from cxgap.web.api.errors import error_responses
from cxgap.web.api.fields import MAX_ID, NOT_BLANK
from cxgap.web.audit_hooks import note_deletion
from cxgap.web.deps import CxDep, SessionDep

router = APIRouter(prefix="/api/v1/workspaces/{key}/case-rules")
TAG: list[str | Enum] = ["case rules"]
Priority = Literal["low", "normal", "high", "urgent"]
RuleId = Annotated[int, Path(ge=1, le=MAX_ID, description="The rule's id")]


class ConditionsIn(BaseModel):
    """All the conditions given must hold; give at least one."""

    nps_max: int | None = Field(None, description="NPS at most this (0–10)")
    csat_max: int | None = Field(None, description="CSAT at most this (1–5)")
    topic: str | None = Field(None, max_length=64, description="A negative verbatim on this topic")
    critical_touchpoint: bool = Field(
        False, description="About a touchpoint a journey marks as a moment of truth or critical"
    )


class RuleIn(BaseModel):
    name: str = Field(max_length=200, pattern=NOT_BLANK)
    conditions: ConditionsIn
    priority: Priority = "normal"
    team: str | None = Field(None, max_length=64, description="The team's key cases go to")
    enabled: bool = True


class RuleOut(BaseModel):
    id: int
    position: int = Field(description="1: tried first")
    name: str
    enabled: bool
    conditions: dict[str, int | str | bool]
    priority: Priority
    team: str | None


class OrderIn(BaseModel):
    rules: list[Annotated[int, Field(ge=1, le=MAX_ID)]] = Field(
        max_length=1000, description="Every rule id of the workspace once, in the new order"
    )


class ApplyIn(BaseModel):
    since: date = Field(description="Feedback collected from this day (calendar's time zone)")
    dry_run: bool = Field(False, description="Only count what would happen")


class ApplyOut(BaseModel):
    since: date
    matched: int = Field(description="Feedback items a rule matches that no case held")
    opened: int = Field(description="Cases opened (or that would be)")
    attached: int = Field(description="Items attached to their customer's open case")
    batches: int
    dry_run: bool


def _rule_input(body: RuleIn) -> RuleInput:
    conditions: dict[str, object] = body.conditions.model_dump()
    return RuleInput(body.name, conditions, body.priority, body.team or None, body.enabled)


@router.get(
    "",
    response_model=list[RuleOut],
    tags=TAG,
    operation_id="list_case_rules",
    responses=error_responses(),
)
def list_case_rules(key: str, session: SessionDep, caller: CallerDep) -> list[RuleOut]:
    """The rules in the order they are tried; the first that matches an item opens its case."""
    workspace, _ = open_workspace(session, caller, key, Role.ANALYST)
    return [RuleOut.model_validate(r) for r in case_rule_views.rules_data(session, workspace)]


@router.post(
    "",
    response_model=RuleOut,
    status_code=201,
    tags=TAG,
    operation_id="create_case_rule",
    responses=error_responses(),
)
def create_case_rule(key: str, body: RuleIn, session: SessionDep, caller: CallerDep) -> RuleOut:
    """Add a rule, tried last; a refused one names the field and the value."""
    workspace, _ = open_workspace(session, caller, key, Role.ANALYST)
    rule = case_rules.save_rule(session, workspace=workspace, rule=_rule_input(body))
    return RuleOut.model_validate(case_rule_views.one_rule_data(session, workspace, rule.id))


@router.put(
    "/order",
    response_model=list[RuleOut],
    tags=TAG,
    operation_id="reorder_case_rules",
    responses=error_responses(),
)
def reorder_case_rules(
    key: str, body: OrderIn, session: SessionDep, caller: CallerDep
) -> list[RuleOut]:
    """Put the rules in a new order (every rule id once)."""
    workspace, _ = open_workspace(session, caller, key, Role.ANALYST)
    case_rules.reorder_rules(session, workspace=workspace, rule_ids=body.rules)
    return [RuleOut.model_validate(r) for r in case_rule_views.rules_data(session, workspace)]


@router.post(
    "/apply",
    response_model=ApplyOut,
    tags=TAG,
    operation_id="apply_case_rules",
    responses=error_responses(),
)
async def apply_case_rules(key: str, body: ApplyIn, cx: CxDep, caller: CallerApartDep) -> ApplyOut:
    """Apply the enabled rules to the feedback collected since a day: cases opened, or items
    attached to their customer's open case; items already on a case are left alone, so a
    second run opens nothing. In batches, each committed on its own. ``dry_run`` counts."""
    with cx.transaction() as session:
        workspace, _ = open_workspace(session, caller, key, Role.ANALYST)
        if body.dry_run:
            preview = case_backfill.preview_rules_since(session, workspace, body.since)
            return ApplyOut.model_validate(preview.as_dict())
    done = await run_in_threadpool(
        lambda: case_backfill.apply_rules_since(cx, workspace_key=key, since=body.since)
    )
    return ApplyOut.model_validate(done.as_dict())


@router.put(
    "/{rule_id}",
    response_model=RuleOut,
    tags=TAG,
    operation_id="put_case_rule",
    responses=error_responses(),
)
def put_case_rule(
    key: str, rule_id: RuleId, body: RuleIn, session: SessionDep, caller: CallerDep
) -> RuleOut:
    """Replace a rule (its place in the order is kept)."""
    workspace, _ = open_workspace(session, caller, key, Role.ANALYST)
    case_rules.rule_by_id(session, workspace, rule_id)
    case_rules.save_rule(session, workspace=workspace, rule=_rule_input(body), rule_id=rule_id)
    return RuleOut.model_validate(case_rule_views.one_rule_data(session, workspace, rule_id))


@router.delete(
    "/{rule_id}",
    status_code=204,
    response_class=Response,
    tags=TAG,
    operation_id="delete_case_rule",
    responses=error_responses(),
)
def delete_case_rule(
    request: Request, key: str, rule_id: RuleId, session: SessionDep, caller: CallerDep
) -> Response:
    """Delete a rule; the cases it opened stay."""
    workspace, _ = open_workspace(session, caller, key, Role.ANALYST)
    case_rules.delete_rule(session, workspace=workspace, rule_id=rule_id)
    note_deletion(request, session, caller.principal, workspace, audit.Target("case_rule", rule_id))
    return Response(status_code=204)
