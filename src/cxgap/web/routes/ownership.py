"""Ownership pages (issue 13, "no silos"): which teams own each pillar and each journey
touchpoint (viewers read, analysts and admins assign), and a team's weekly digest."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from cxgap.db.tables import utcnow
from cxgap.services import ownership, ownership_digest, teams
from cxgap.services.accounts import Role
from cxgap.web.deps import CsrfDep, SessionDep, UserDep, open_workspace
from cxgap.web.render import locale_of, page

router = APIRouter(prefix="/w/{key}")
SubjectKey = Annotated[str, Form(max_length=200)]


@router.get("/ownership", response_class=HTMLResponse)
def ownership_page(request: Request, key: str, session: SessionDep, user: UserDep) -> Response:
    """The pillars, then the touchpoints by journey and stage, each with its owning teams."""
    workspace, role = open_workspace(session, user, key, Role.VIEWER)
    subjects = ownership.owned_subjects(session, workspace)
    context = {
        "workspace": workspace,
        "role": role,
        "can_edit": role in (Role.ANALYST, Role.ADMIN),
        "pillars": [s for s in subjects if s.kind == "pillar"],
        "groups": ownership.stage_groups(session, workspace),
        "teams": [t for t, _ in teams.teams_of(session, workspace)],
    }
    return page(request, "ownership.html", context)


@router.post("/ownership")
def set_owners(
    key: str,
    session: SessionDep,
    user: UserDep,
    _csrf: CsrfDep,
    kind: Annotated[str, Form(max_length=16)] = "",
    subject: SubjectKey = "",
    teams: Annotated[list[str], Form(max_length=200)] = [],  # noqa: B006
) -> Response:
    """Make the ticked teams (and only them) the subject's owners."""
    workspace, _ = open_workspace(session, user, key, Role.ANALYST)
    ownership.set_owners(session, workspace=workspace, kind=kind, key=subject, team_keys=teams)
    return RedirectResponse(f"/w/{key}/ownership#{kind}-{subject}", status_code=303)


@router.get("/teams/{team_key}/digest", response_class=HTMLResponse)
def digest_page(
    request: Request, key: str, team_key: str, session: SessionDep, user: UserDep
) -> Response:
    """What moved this week in what the team owns (the letter its members get weekly)."""
    workspace, role = open_workspace(session, user, key, Role.VIEWER)
    digest = ownership_digest.team_digest(
        session, workspace=workspace, team_key=team_key, now=utcnow()
    )
    locale = locale_of(request)
    context = {
        "workspace": workspace,
        "role": role,
        "team": digest.team,
        "rows": digest.rows(locale),
        "moved": digest.moved,
        "period": digest.period(locale),
    }
    return page(request, "team_digest.html", context)
