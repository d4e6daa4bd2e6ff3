"""The action plan pages: the list (filters, late and progress shown), the form to plan or
edit an action (tied to a pillar, topic, touchpoint…, with its target metric), and one action
with its status, progress, steps and comments.

Viewers read; analysts and admins plan and act (as on cases)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from cxgap.db.tables import ActionRow, Workspace
from cxgap.errors import ValidationError
from cxgap.impact.target import Metric
from cxgap.services import (
    action_checks,
    action_gaps,
    action_notes,
    action_plans,
    action_reminders,
    action_views,
    idea_links,
    teams,
)
from cxgap.services.accounts import Principal, Role, list_members
from cxgap.services.action_plans import ActionFilter
from cxgap.services.impact_grain import check_grain, impact_by_grain
from cxgap.services.journeys import list_personas
from cxgap.services.taxonomy import list_topics
from cxgap.services.workspaces import pillars_of, segments_of
from cxgap.web.deps import CsrfDep, SessionDep, UserDep, open_workspace
from cxgap.web.render import locale_of, page
from cxgap.web.security import client_address

router = APIRouter(prefix="/w/{key}/actions")
Filter = Annotated[str, Query(max_length=254)]
Short = Annotated[str, Form(max_length=300)]
Key = Annotated[str, Form(max_length=254)]
Text = Annotated[str, Form(max_length=20_000)]
Day = Annotated[str, Form(max_length=10)]
FORM_FIELDS = (
    "title", "description", "subject_kind", "subject_key", "owner", "team", "start_date",
    "due_date", "status", "progress", "metric", "pillar", "topic", "touchpoint", "segment",
)  # fmt: skip


def _choices(session: SessionDep, workspace: Workspace) -> dict[str, object]:
    """What the filters and the form offer."""
    return {
        "members": [u.email for u, _ in list_members(session, workspace)],
        "teams": [t for t, _ in teams.teams_of(session, workspace)],
        "statuses": action_plans.STATUSES,
        "kinds": action_plans.SUBJECT_KINDS,
        "metrics": [m.value for m in Metric],
    }


def _names(session: SessionDep, workspace: Workspace, locale: str) -> dict[str, dict[str, str]]:
    """The names of what an action can be tied to, by kind and key, in the reader's language."""
    french = locale == "fr"
    return {
        "pillar": {
            p.key: p.name_fr if french else p.name_en for p in pillars_of(session, workspace)
        },
        "topic": {
            t.key: t.name_fr if french else t.name_en
            for t in list_topics(session, workspace, include_retired=False)
        },
        "segment": {
            s.key: s.name_fr if french else s.name_en for s in segments_of(session, workspace)
        },
        "persona": {p.key: p.name for p in list_personas(session, workspace=workspace)},
    }


def _context(
    session: SessionDep, workspace: Workspace, role: Role, user: Principal, locale: str = "en"
) -> dict[str, object]:
    return {
        "names": _names(session, workspace, locale),
        "workspace": workspace,
        "role": role,
        "user": user,
        "can_act": role in (Role.ANALYST, Role.ADMIN),
        **_choices(session, workspace),
    }


@router.get("", response_class=HTMLResponse)
def list_page(
    request: Request,
    key: str,
    session: SessionDep,
    user: UserDep,
    status: Filter = "",
    owner: Filter = "",
    team: Filter = "",
    kind: Filter = "",
    late: Filter = "",
    subject: Filter = "",
) -> Response:
    """The action plan, nearest due date first."""
    workspace, role = open_workspace(session, user, key, Role.VIEWER)
    today = action_gaps.today_of(session, workspace)
    if kind:
        action_checks.choice("kind", kind, action_plans.SUBJECT_KINDS)
    where = ActionFilter(
        statuses=(action_checks.choice("status", status, action_plans.STATUSES),) if status else (),
        owner_id=action_checks.member(session, workspace.id, "owner", owner).id if owner else None,
        team_id=action_checks.team(session, workspace.id, team).id if team else None,
        subject_kind=kind or None, subject_key=subject or None,
        late_on=today if late else None,
    )  # fmt: skip
    rows = action_views.summaries(
        session, action_plans.list_actions(session, workspace, where), today
    )
    asked = {"status": status, "owner": owner, "team": team, "kind": kind, "late": late,
             "subject": subject}  # fmt: skip
    context = _context(session, workspace, role, user, locale_of(request)) | {
        "rows": rows, "asked": asked,
        "remind_days": action_reminders.days_before(session, workspace.id),
    }  # fmt: skip
    return page(request, "actions.html", context)


def _form_page(
    request: Request,
    session: SessionDep,
    workspace: Workspace,
    role: Role,
    user: Principal,
    values: dict[str, str],
    *,
    action_id: int | None = None,
    error: ValidationError | None = None,
) -> Response:
    context = _context(session, workspace, role, user, locale_of(request)) | {
        "values": values,
        "action_id": action_id,
        "problems": error.problems if error else [],
        "pillars": pillars_of(session, workspace),
        "topics": list_topics(session, workspace, include_retired=False),
        "personas": list_personas(session, workspace=workspace),
        "segments": segments_of(session, workspace),
    }
    return page(request, "action_form.html", context, status_code=422 if error else 200)


@router.get("/new", response_class=HTMLResponse)
def new_page(
    request: Request,
    key: str,
    session: SessionDep,
    user: UserDep,
    pillar: Filter = "",
    topic: Filter = "",
    touchpoint: Filter = "",
) -> Response:
    """The form, tied beforehand from a link: ``?pillar=`` (its performance targeted),
    ``?topic=`` (its share of negative mentions), ``?touchpoint=`` (its sentiment)."""
    workspace, role = open_workspace(session, user, key, Role.ANALYST)
    values = {"status": "not_started", "progress": "0"}
    if pillar:
        values |= {
            "subject_kind": "pillar",
            "subject_key": pillar,
            "metric": "pillar",
            "pillar": pillar,
        }
    elif topic:
        values |= {"subject_kind": "topic", "subject_key": topic,
                   "metric": "topic_negative_share", "topic": topic}  # fmt: skip
    elif touchpoint:
        values |= {"subject_kind": "touchpoint", "subject_key": touchpoint,
                   "metric": "touchpoint_sentiment", "touchpoint": touchpoint}  # fmt: skip
    return _form_page(request, session, workspace, role, user, values)


def _submitted(**fields: str) -> dict[str, str]:
    return {name: fields.get(name, "") for name in FORM_FIELDS}


@router.post("")
def create(
    request: Request,
    key: str,
    session: SessionDep,
    user: UserDep,
    _csrf: CsrfDep,
    title: Short = "",
    description: Text = "",
    subject_kind: Key = "",
    subject_key: Key = "",
    owner: Key = "",
    team: Key = "",
    start_date: Day = "",
    due_date: Day = "",
    status: Key = "not_started",
    progress: Key = "0",
    metric: Key = "",
    pillar: Key = "",
    topic: Key = "",
    touchpoint: Key = "",
    segment: Key = "",
) -> Response:
    """Plan the action, then show it."""
    workspace, role = open_workspace(session, user, key, Role.ANALYST)
    values = _submitted(
        title=title, description=description, subject_kind=subject_kind,
        subject_key=subject_key, owner=owner, team=team, start_date=start_date,
        due_date=due_date, status=status, progress=progress, metric=metric, pillar=pillar,
        topic=topic, touchpoint=touchpoint, segment=segment,
    )  # fmt: skip
    try:
        with session.begin_nested():  # a refusal leaves nothing behind
            action = action_plans.create_action(
                session, workspace=workspace, values=values, actor_id=user.user_id,
                address=client_address(request),
            )  # fmt: skip
    except ValidationError as error:
        return _form_page(request, session, workspace, role, user, values, error=error)
    return RedirectResponse(f"/w/{key}/actions/{action.id}", status_code=303)


@router.post("/reminders")
def save_reminders(
    key: str,
    session: SessionDep,
    user: UserDep,
    _csrf: CsrfDep,
    days: Annotated[int, Form(ge=0, le=action_reminders.MAX_DAYS)] = action_reminders.DEFAULT_DAYS,
) -> Response:
    """How many days before the due date owners are reminded."""
    workspace, _ = open_workspace(session, user, key, Role.ANALYST)
    action_reminders.set_days_before(session, workspace, days)
    return RedirectResponse(f"/w/{key}/actions", status_code=303)


def _values_of(detail: dict[str, object]) -> dict[str, str]:
    target = detail.get("target")
    flat = {**detail, **(target if isinstance(target, dict) else {})}
    return {name: "" if flat.get(name) is None else str(flat.get(name)) for name in FORM_FIELDS}


@router.get("/{action_id}", response_class=HTMLResponse)
def detail_page(
    request: Request, key: str, action_id: int, session: SessionDep, user: UserDep
) -> Response:
    """One action: what it is tied to, its target, status, progress, steps and comments."""
    workspace, role = open_workspace(session, user, key, Role.VIEWER)
    action = action_plans.get_action(session, workspace, action_id)
    today = action_gaps.today_of(session, workspace)
    grain = check_grain(request.query_params.get("grain"))
    impact = impact_by_grain(session, workspace, action, today=today, grain=grain)
    context = _context(session, workspace, role, user, locale_of(request)) | {
        "action": action_views.detail(session, action, today), "impact_view": impact,
        "linked_ideas": idea_links.ideas_linked_to(session, action=action),
    }  # fmt: skip
    return page(request, "action.html", context)


@router.get("/{action_id}/edit", response_class=HTMLResponse)
def edit_page(
    request: Request, key: str, action_id: int, session: SessionDep, user: UserDep
) -> Response:
    workspace, role = open_workspace(session, user, key, Role.ANALYST)
    action = action_plans.get_action(session, workspace, action_id)
    detail = action_views.detail(session, action, action_gaps.today_of(session, workspace))
    return _form_page(request, session, workspace, role, user, _values_of(detail),
                      action_id=action.id)  # fmt: skip


@router.post("/{action_id}")
def update(
    request: Request,
    key: str,
    action_id: int,
    session: SessionDep,
    user: UserDep,
    _csrf: CsrfDep,
    title: Short = "",
    description: Text = "",
    subject_kind: Key = "",
    subject_key: Key = "",
    owner: Key = "",
    team: Key = "",
    start_date: Day = "",
    due_date: Day = "",
    status: Key = "",
    progress: Key = "0",
    metric: Key = "",
    pillar: Key = "",
    topic: Key = "",
    touchpoint: Key = "",
    segment: Key = "",
) -> Response:
    """Save the form (every field: an empty one clears it)."""
    workspace, role = open_workspace(session, user, key, Role.ANALYST)
    action = action_plans.get_action(session, workspace, action_id)
    values = _submitted(
        title=title, description=description, subject_kind=subject_kind,
        subject_key=subject_key, owner=owner, team=team, start_date=start_date,
        due_date=due_date, status=status, progress=progress, metric=metric, pillar=pillar,
        topic=topic, touchpoint=touchpoint, segment=segment,
    )  # fmt: skip
    try:
        with session.begin_nested():  # a refusal leaves the action as it was
            action_plans.update_action(
                session, action=action, values=values, actor_id=user.user_id,
                address=client_address(request),
            )  # fmt: skip
    except ValidationError as error:
        return _form_page(request, session, workspace, role, user, values, action_id=action_id,
                          error=error)  # fmt: skip
    return RedirectResponse(f"/w/{key}/actions/{action_id}", status_code=303)


def _acting(session: SessionDep, user: Principal, key: str, action_id: int) -> ActionRow:
    workspace, _ = open_workspace(session, user, key, Role.ANALYST)
    return action_plans.get_action(session, workspace, action_id)


@router.post("/{action_id}/status")
def set_status(
    request: Request,
    key: str,
    action_id: int,
    session: SessionDep,
    user: UserDep,
    _csrf: CsrfDep,
    status: Key = "",
    progress: Key = "",
) -> Response:
    """The status and the progress, from the action's page."""
    action = _acting(session, user, key, action_id)
    values: dict[str, object] = {"status": status} if status else {}
    if progress.strip():
        values["progress"] = progress
    action_plans.update_action(session, action=action, values=values, actor_id=user.user_id,
                               address=client_address(request))  # fmt: skip
    return RedirectResponse(f"/w/{key}/actions/{action_id}", status_code=303)


@router.post("/{action_id}/steps")
def add_step(
    key: str,
    action_id: int,
    session: SessionDep,
    user: UserDep,
    _csrf: CsrfDep,
    title: Short = "",
    owner: Key = "",
    due_date: Day = "",
) -> Response:
    action = _acting(session, user, key, action_id)
    action_notes.add_step(session, action=action, title=title, owner=owner or None,
                          due_date=due_date, actor_id=user.user_id)  # fmt: skip
    return RedirectResponse(f"/w/{key}/actions/{action_id}#steps", status_code=303)


@router.post("/{action_id}/steps/{step_id}")
def toggle_step(
    key: str,
    action_id: int,
    step_id: int,
    session: SessionDep,
    user: UserDep,
    _csrf: CsrfDep,
    done: Annotated[str, Form(max_length=5)] = "",
) -> Response:
    action = _acting(session, user, key, action_id)
    action_notes.set_step_done(session, action=action, step_id=step_id, done=done == "1",
                               actor_id=user.user_id)  # fmt: skip
    return RedirectResponse(f"/w/{key}/actions/{action_id}#steps", status_code=303)


@router.post("/{action_id}/comments")
def comment(
    key: str, action_id: int, session: SessionDep, user: UserDep, _csrf: CsrfDep, body: Text = ""
) -> Response:
    action = _acting(session, user, key, action_id)
    action_notes.add_comment(session, action=action, body=body, author_id=user.user_id)
    return RedirectResponse(f"/w/{key}/actions/{action_id}#comments", status_code=303)


@router.post("/{action_id}/delete")
def delete(
    request: Request, key: str, action_id: int, session: SessionDep, user: UserDep, _csrf: CsrfDep
) -> Response:
    action = _acting(session, user, key, action_id)
    action_plans.delete_action(session, action=action, actor_id=user.user_id,
                               address=client_address(request))  # fmt: skip
    return RedirectResponse(f"/w/{key}/actions", status_code=303)
