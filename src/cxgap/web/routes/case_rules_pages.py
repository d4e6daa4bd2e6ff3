"""The pages that set up cases: the rules that open them (in order, switched on and off,
applied to older feedback after a preview), the recovery survey's default and the teams
(added, renamed, their members changed, removed).
Registered before ``cases`` so that ``/rules`` is not read as a case number."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from cxgap.mail.message import long_date
from cxgap.services import case_backfill, case_recovery, case_rules, cases, teams
from cxgap.services.accounts import Role
from cxgap.services.case_rules import RuleInput
from cxgap.web.deps import CsrfDep, CxDep, SessionDep, UserDep, current_user, open_workspace
from cxgap.web.render import locale_of, page
from cxgap.web.routes.cases import Short, Ticked, base_context

router = APIRouter(prefix="/w/{key}/cases")


@router.get("/rules", response_class=HTMLResponse)
def rules_page(
    request: Request,
    key: str,
    session: SessionDep,
    user: UserDep,
    since: Annotated[str, Query(max_length=10)] = "",
    opened: Annotated[int | None, Query(ge=0, le=10**9)] = None,
    attached: Annotated[int | None, Query(ge=0, le=10**9)] = None,
) -> Response:
    """The rules that open cases, in the order they are tried, and the teams; with ``since``,
    what applying the rules to the feedback collected since that day would do."""
    workspace, role = open_workspace(session, user, key, Role.ANALYST)
    preview, since_shown = None, ""
    if since:
        day = case_backfill.read_since(since)
        preview = case_backfill.preview_rules_since(session, workspace, day)
        since_shown = long_date(datetime(day.year, day.month, day.day), locale_of(request))
    done = None if opened is None else {"opened": opened, "attached": attached or 0}
    context = base_context(session, workspace, role, user) | {
        "rules": case_rules.rules_of(session, workspace),
        "topics": case_rules.rule_topics(session, workspace),
        "team_rows": teams.teams_of(session, workspace),
        "survey_ticked": case_recovery.sends_on_close(session, workspace.id),
        "since": since,
        "since_shown": since_shown,
        "preview": preview,
        "applied": done,
    }
    return page(request, "case_rules.html", context)


@router.post("/rules/apply")
def apply_rules(
    request: Request,
    key: str,
    cx: CxDep,
    _csrf: CsrfDep,
    since: Annotated[str, Form(max_length=10)] = "",
) -> Response:
    """Apply the rules to the feedback collected since a day (previewed on the rules page),
    in batches of their own transactions; then the page says what was done."""
    with cx.transaction() as session:
        open_workspace(session, current_user(request, session), key, Role.ANALYST)
    day = case_backfill.read_since(since)
    done = case_backfill.apply_rules_since(cx, workspace_key=key, since=day)
    query = f"opened={done.opened}&attached={done.attached}"
    return RedirectResponse(f"/w/{key}/cases/rules?{query}#apply", status_code=303)


@router.post("/rules")
def add_rule(
    key: str,
    session: SessionDep,
    user: UserDep,
    _csrf: CsrfDep,
    name: Short = "",
    nps_max: Annotated[str, Form(max_length=4)] = "",
    csat_max: Annotated[str, Form(max_length=4)] = "",
    topic: Annotated[str, Form(max_length=64)] = "",
    critical_touchpoint: Annotated[str, Form(max_length=8)] = "",
    priority: Annotated[str, Form(max_length=16)] = "normal",
    team: Annotated[str, Form(max_length=64)] = "",
) -> Response:
    workspace, _ = open_workspace(session, user, key, Role.ANALYST)
    conditions: dict[str, object] = {
        "nps_max": _whole(nps_max),
        "csat_max": _whole(csat_max),
        "topic": topic or None,
        "critical_touchpoint": bool(critical_touchpoint),
    }
    rule = RuleInput(name, conditions, priority=priority, team_key=team or None)
    case_rules.save_rule(session, workspace=workspace, rule=rule)
    return RedirectResponse(f"/w/{key}/cases/rules", status_code=303)


def _whole(value: str) -> object:
    """A whole number as typed; anything else is handed on for the rule check to name."""
    value = value.strip()
    if not value:
        return None
    return int(value) if value.lstrip("-").isdigit() else value


@router.post("/rules/{rule_id}/{action}")
def change_rule(
    key: str, rule_id: int, action: str, session: SessionDep, user: UserDep, _csrf: CsrfDep
) -> Response:
    """Move a rule up or down, switch it on or off, or delete it."""
    workspace, _ = open_workspace(session, user, key, Role.ANALYST)
    if action in ("up", "down"):
        case_rules.move_rule(session, workspace=workspace, rule_id=rule_id, up=action == "up")
    elif action == "toggle":
        case_rules.toggle_rule(session, workspace=workspace, rule_id=rule_id)
    elif action == "delete":
        case_rules.delete_rule(session, workspace=workspace, rule_id=rule_id)
    else:
        cases.checked_choice("action", action, ("up", "down", "toggle", "delete"))
    return RedirectResponse(f"/w/{key}/cases/rules", status_code=303)


@router.post("/recovery-default")
def recovery_default(
    key: str, session: SessionDep, user: UserDep, _csrf: CsrfDep, send_on_close: Ticked = ""
) -> Response:
    """Whether closing a case ticks "send the recovery survey" by default."""
    workspace, _ = open_workspace(session, user, key, Role.ANALYST)
    case_recovery.set_send_on_close(session, workspace=workspace, on=bool(send_on_close))
    return RedirectResponse(f"/w/{key}/cases/rules#recovery", status_code=303)


@router.post("/teams")
def add_team(
    key: str,
    session: SessionDep,
    user: UserDep,
    _csrf: CsrfDep,
    team_key: Annotated[str, Form(max_length=64)] = "",
    name: Short = "",
    members: Annotated[list[str], Form(max_length=200)] = [],  # noqa: B006
) -> Response:
    workspace, _ = open_workspace(session, user, key, Role.ANALYST)
    teams.create_team(session, workspace=workspace, key=team_key, name=name)
    for email in members:
        teams.add_team_member(session, workspace=workspace, team_key=team_key, email=email)
    return RedirectResponse(f"/w/{key}/cases/rules#teams", status_code=303)


@router.post("/teams/{team_key}")
def change_team(
    key: str,
    team_key: str,
    session: SessionDep,
    user: UserDep,
    _csrf: CsrfDep,
    name: Short = "",
    members: Annotated[list[str], Form(max_length=200)] = [],  # noqa: B006
) -> Response:
    """Rename the team and make the ticked members (and only them) its members."""
    workspace, _ = open_workspace(session, user, key, Role.ANALYST)
    teams.rename_team(session, workspace=workspace, team_key=team_key, name=name)
    teams.set_team_members(session, workspace=workspace, team_key=team_key, emails=members)
    return RedirectResponse(f"/w/{key}/cases/rules#team-{team_key}", status_code=303)


@router.post("/teams/{team_key}/delete")
def remove_team(
    key: str, team_key: str, session: SessionDep, user: UserDep, _csrf: CsrfDep
) -> Response:
    """Delete the team: its cases and rules keep no team; their history says who had it."""
    workspace, _ = open_workspace(session, user, key, Role.ANALYST)
    teams.delete_team(session, workspace=workspace, team_key=team_key)
    return RedirectResponse(f"/w/{key}/cases/rules#teams", status_code=303)
