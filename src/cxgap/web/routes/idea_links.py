"""An idea's team page (``/w/{key}/ideas/{idea_id}``) and its links to action plans and cases
(``docs/community.md``): viewers read the idea with the linked plans' status and progress and
the cases' state; analysts and admins link and unlink, and accept the suggestion to move the
idea to a ``completed`` status once a linked plan is done (the same status change as the
board's team page, so its followers get the same e-mails)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from cxgap.errors import ValidationError
from cxgap.services import idea_links, idea_pages
from cxgap.services.accounts import Role
from cxgap.services.idea_evidence_pages import evidence_of
from cxgap.web.deps import CsrfDep, SessionDep, SettingsDep, UserDep, open_workspace
from cxgap.web.render import locale_of, page
from cxgap.web.routes.idea_admin import move_idea

router = APIRouter(prefix="/w/{key}/ideas/{idea_id}")

KindField = Annotated[str, Form(max_length=16)]
Target = Annotated[int, Form(ge=1, le=2**31 - 1)]


def _back(key: str, idea_id: int) -> RedirectResponse:
    return RedirectResponse(f"/w/{key}/ideas/{idea_id}#links", status_code=303)


@router.get("", response_class=HTMLResponse)
def team_idea(
    request: Request, key: str, idea_id: int, session: SessionDep, user: UserDep
) -> Response:
    """The idea as the team sees it: status, votes, history, and what it is linked to."""
    workspace, role = open_workspace(session, user, key, Role.VIEWER)
    view = idea_pages.idea_view(session, workspace, idea_id)
    linked = idea_links.links_of(session, workspace, idea_id)
    can_act = role.level >= Role.ANALYST.level
    context = {
        "user": user,
        "workspace": workspace,
        "role": role,
        "can_act": can_act,
        "idea": view,
        "links": linked,
        "choices": idea_links.choices(session, workspace, linked) if can_act else None,
        "status_names": idea_pages.status_names(session, workspace, locale_of(request)),
        # idea_evidence: the verbatims that ask for it, with the three closest
        "evidence": evidence_of(session, workspace, idea_id, locale_of(request), examples=3),
    }
    return page(request, "community/team_idea.html", context)


@router.post("/links")
def add_link(
    key: str,
    idea_id: int,
    session: SessionDep,
    user: UserDep,
    _csrf: CsrfDep,
    kind: KindField = "",
    target: Annotated[str, Form(max_length=20)] = "",
) -> Response:
    """``kind`` ``action_plan`` with the plan's id, or ``case`` with the case's number."""
    workspace, _ = open_workspace(session, user, key, Role.ANALYST)
    idea_links.link(
        session,
        workspace=workspace,
        idea_id=idea_id,
        kind=kind,
        target=_target(kind, target),
        user_id=user.user_id,
    )
    return _back(key, idea_id)


def _target(kind: str, value: str) -> int:
    """The picked plan id or case number, refused naming the field when it is not one."""
    field = "case" if kind == "case" else "plan"
    if not value.strip().isdigit() or not 1 <= int(value) < 2**31:
        raise ValidationError.single(field, "must be picked from the list", value, code="required")
    return int(value)


@router.post("/links/delete")
def remove_link(
    key: str,
    idea_id: int,
    session: SessionDep,
    user: UserDep,
    _csrf: CsrfDep,
    kind: KindField,
    target: Target,
) -> Response:
    workspace, _ = open_workspace(session, user, key, Role.ANALYST)
    idea_links.unlink(
        session, workspace=workspace, idea_id=idea_id, kind=kind, target=target,
        user_id=user.user_id,
    )  # fmt: skip
    return _back(key, idea_id)


@router.post("/complete")
def complete(
    request: Request,
    key: str,
    idea_id: int,
    session: SessionDep,
    settings: SettingsDep,
    user: UserDep,
    _csrf: CsrfDep,
    status: Annotated[str, Form(max_length=40)] = "",
    message: Annotated[str, Form(max_length=5000)] = "",
) -> Response:
    """Accept the suggestion: the idea moves with the team's message, its followers told."""
    move_idea(request, session, settings, user, key, idea_id, status=status, message=message)
    return _back(key, idea_id)
