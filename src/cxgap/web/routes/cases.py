"""The cases pages: the queue (time left, SLA per metric, warnings at 80 %), a case with its
history and its actions, the rules that open cases and the teams they go to.

Viewers read the queue and the cases; analysts and admins act on them and edit the rules
(the issue asks for rules "the analyst edits").
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from cxgap import jobs
from cxgap.db.tables import CaseRow, Workspace
from cxgap.services import (
    case_recovery,
    case_sla,
    case_tone,
    case_views,
    cases,
    idea_links,
    teams,
)
from cxgap.services.accounts import Principal, Role, list_members
from cxgap.tone.report import findings_view
from cxgap.web.case_reply_box import reply_box
from cxgap.web.deps import (
    CsrfDep,
    SessionDep,
    SettingsDep,
    UserDep,
    open_workspace,
)
from cxgap.web.local_times import LocalTimes
from cxgap.web.public_links import public_base
from cxgap.web.render import locale_of, page, translate_for

router = APIRouter(prefix="/w/{key}/cases")
Short = Annotated[str, Form(max_length=300)]
Text = Annotated[str, Form(max_length=20_000)]
Filter = Annotated[str, Query(max_length=254)]
Email = Annotated[str, Form(max_length=254)]
Language = Annotated[str, Form(max_length=5)]
Ticked = Annotated[str, Form(max_length=8)]
# Said on the case page after a verbatim of Listening opened a case or joined one.
FROM_FEEDBACK = ("opened", "attached")


def base_context(
    session: SessionDep, workspace: Workspace, role: Role, user: Principal
) -> dict[str, object]:
    """What every case page shows around its content (the rules page too)."""
    return {
        "workspace": workspace,
        "role": role,
        "user": user,
        "can_act": role in (Role.ANALYST, Role.ADMIN),
        "members": [u.email for u, _ in list_members(session, workspace)],
        "teams": [t for t, _ in teams.teams_of(session, workspace)],
        "priorities": cases.PRIORITIES,
        "statuses": cases.STATUSES,
        # the history and the due times in the workspace's zone (UTC on hover)
        "local_time": LocalTimes(case_sla.zone_of(session, workspace.id)),
    }


@router.get("", response_class=HTMLResponse)
def queue_page(
    request: Request,
    key: str,
    session: SessionDep,
    user: UserDep,
    status: Filter = "",
    assignee: Filter = "",
    team: Filter = "",
) -> Response:
    """The open cases, least time left first; or the cases of one status."""
    workspace, role = open_workspace(session, user, key, Role.VIEWER)
    assignee_id = cases.member_by_email(session, workspace.id, assignee).id if assignee else None
    team_id = cases.team_by_key(session, workspace.id, team).id if team else None
    statuses = (cases.checked_choice("status", status, cases.STATUSES),) if status else ()
    rows = case_views.queue(
        session, workspace, cases.now_utc(), assignee_id=assignee_id, team_id=team_id,
        statuses=statuses,
    )  # fmt: skip
    asked = {"status": status, "assignee": assignee, "team": team}
    context = base_context(session, workspace, role, user) | {"rows": rows, "asked": asked}
    return page(request, "cases.html", context)


@router.post("")
def open_case(
    key: str,
    session: SessionDep,
    user: UserDep,
    _csrf: CsrfDep,
    subject: Short = "",
    customer_ref: Short = "",
    priority: Annotated[str, Form(max_length=16)] = "normal",
    feedback_id: Annotated[int | None, Form(ge=1, le=2**63 - 1)] = None,
    body: Text = "",
) -> Response:
    """Open a case by hand (from a verbatim when ``feedback_id`` is given)."""
    workspace, _ = open_workspace(session, user, key, Role.ANALYST)
    case, _ = cases.open_case(
        session, workspace=workspace, subject=subject, feedback_id=feedback_id,
        customer_ref=customer_ref or None, priority=priority, body=body, actor_id=user.user_id,
    )  # fmt: skip
    return RedirectResponse(f"/w/{key}/cases/{case.number}", status_code=303)


@router.get("/{number}", response_class=HTMLResponse)
def case_page(
    request: Request,
    key: str,
    number: int,
    session: SessionDep,
    user: UserDep,
    template: Annotated[str, Query(max_length=32)] = "",
) -> Response:
    """The case; ``?template=refund`` puts that reply template in the box (no script)."""
    workspace, role = open_workspace(session, user, key, Role.VIEWER)
    case = cases.get_case(session, workspace, number)
    box = None
    if role in (Role.ANALYST, Role.ADMIN):  # the reply box is theirs only
        box = reply_box(
            session, case, locale=locale_of(request), agent_name=user.name, template=template
        )
    detail = case_views.detail(session, workspace, case, cases.now_utc())
    extra = {"case": detail, "box": box, "draft": box.draft if box else None}
    context = base_context(session, workspace, role, user) | extra
    context |= _survey_defaults(session, case)
    context["linked_ideas"] = idea_links.ideas_linked_to(session, case=case)
    if (said := request.query_params.get("from_feedback")) in FROM_FEEDBACK:
        context["flash"] = translate_for(locale_of(request), f"case_recovery.from_feedback.{said}",
                                         number=case.number)  # fmt: skip
    return page(request, "case.html", context)


def _survey_defaults(session: SessionDep, case: CaseRow) -> dict[str, object]:
    """The recovery survey's address and language as the case suggests them."""
    return {
        "survey_email": case_recovery.suggested_email(session, case),
        "survey_ticked": case_recovery.sends_on_close(session, case.workspace_id),
        "survey_language": case_recovery.customer_language(session, case, None),
    }


def _send_survey(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    case: CaseRow,
    user: Principal,
    email: str,
    language: str,
) -> None:
    recovery, _ = case_recovery.request_recovery(
        session, case=case, secret=settings.resolved_secret_key(), email=email or None,
        language=language or None, actor_id=user.user_id,
    )  # fmt: skip
    jobs.send_recovery(session, recovery.id, case.workspace_id, public_base(request, settings))


@router.post("/{number}/reply")
def reply(
    request: Request,
    key: str,
    number: int,
    session: SessionDep,
    user: UserDep,
    _csrf: CsrfDep,
    body: Text = "",
    visibility: Annotated[str, Form(max_length=16)] = "public",
    action: Annotated[str, Form(max_length=16)] = "send",
) -> Response:
    """A public reply to the customer, or an internal note; with ``action=check``, the tone
    check of the draft shown on the case page, nothing sent or stored."""
    workspace, role = open_workspace(session, user, key, Role.ANALYST)
    case = cases.get_case(session, workspace, number)
    public = cases.checked_choice("visibility", visibility, ("public", "internal")) == "public"
    if cases.checked_choice("action", action, ("send", "check")) == "check":
        now = cases.now_utc()
        box = reply_box(session, case, locale=locale_of(request), agent_name=user.name)
        checked = case_tone.check_case_reply(
            session, case, body, now, profile=box.persona.profile, known_values=box.known_values
        )
        tone = findings_view(body, checked.findings, checked.guidance, locale_of(request))
        detail = case_views.detail(session, workspace, case, now)
        extra = {"case": detail, "tone": tone, "draft": body, "draft_public": public, "box": box}
        return page(request, "case.html", base_context(session, workspace, role, user) | extra)
    cases.reply(session, case=case, body=body, actor_id=user.user_id, public=public)
    return RedirectResponse(f"/w/{key}/cases/{number}#history", status_code=303)


@router.post("/{number}/status")
def set_status(
    request: Request,
    key: str,
    number: int,
    session: SessionDep,
    settings: SettingsDep,
    user: UserDep,
    _csrf: CsrfDep,
    status: Annotated[str, Form(max_length=20)] = "",
    send_survey: Ticked = "",
    survey_email: Email = "",
    survey_language: Language = "",
) -> Response:
    """Change the status; from resolved or closed to an open status reopens the case. With
    ``send_survey`` ticked, resolving or closing sends the customer the recovery survey."""
    workspace, _ = open_workspace(session, user, key, Role.ANALYST)
    case = cases.get_case(session, workspace, number)
    cases.set_status(session, case=case, status=status, actor_id=user.user_id)
    if send_survey:
        _send_survey(request, session, settings, case, user, survey_email, survey_language)
    return RedirectResponse(f"/w/{key}/cases/{number}", status_code=303)


@router.post("/{number}/recovery")
def send_recovery(
    request: Request,
    key: str,
    number: int,
    session: SessionDep,
    settings: SettingsDep,
    user: UserDep,
    _csrf: CsrfDep,
    survey_email: Email = "",
    survey_language: Language = "",
) -> Response:
    """Send the recovery survey of a case already resolved or closed."""
    workspace, _ = open_workspace(session, user, key, Role.ANALYST)
    case = cases.get_case(session, workspace, number)
    _send_survey(request, session, settings, case, user, survey_email, survey_language)
    return RedirectResponse(f"/w/{key}/cases/{number}#recovery", status_code=303)


@router.post("/{number}/assign")
def assign(
    key: str,
    number: int,
    session: SessionDep,
    user: UserDep,
    _csrf: CsrfDep,
    assignee: Annotated[str, Form(max_length=254)] = "",
    team: Annotated[str, Form(max_length=64)] = "",
    priority: Annotated[str, Form(max_length=16)] = "",
) -> Response:
    """Assign a member and a team (empty: nobody), and set the priority."""
    workspace, _ = open_workspace(session, user, key, Role.ANALYST)
    case = cases.get_case(session, workspace, number)
    given = cases.assign(
        session, case=case, assignee_email=assignee, team_key=team, actor_id=user.user_id
    )
    if given is not None:
        jobs.notify_assignee(session, case.id, workspace.id, "assigned")
    if priority:
        cases.set_priority(session, case=case, priority=priority, actor_id=user.user_id)
    return RedirectResponse(f"/w/{key}/cases/{number}", status_code=303)


@router.post("/{number}/reopen")
def reopen(
    key: str, number: int, session: SessionDep, user: UserDep, _csrf: CsrfDep, body: Text = ""
) -> Response:
    workspace, _ = open_workspace(session, user, key, Role.ANALYST)
    case = cases.get_case(session, workspace, number)
    cases.reopen(session, case=case, actor_id=user.user_id, body=body)
    return RedirectResponse(f"/w/{key}/cases/{number}", status_code=303)
