"""The team's side of the idea board (``docs/community.md``): ``/w/{key}/ideas`` lists every
idea (pending and merged included); analysts and admins change an idea's status with a
message (``idea_statuses.change_status``, the function ``cxgap ideas status`` uses, so its
followers get the same e-mails), merge a duplicate into its original, moderate new ideas
where the workspace holds them, and add statuses. Viewers read."""

from __future__ import annotations

from typing import Annotated, Any, cast

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from cxgap.community.statuses import KINDS, check_status
from cxgap.config import Settings
from cxgap.db.tables import Workspace
from cxgap.errors import ValidationError
from cxgap.services import idea_evidence_pages, idea_moderation, idea_statuses, idea_tags
from cxgap.services.accounts import Principal, Role
from cxgap.services.idea_board import board
from cxgap.services.idea_moderation import Decision
from cxgap.web.deps import CsrfDep, SessionDep, SettingsDep, UserDep, open_workspace
from cxgap.web.public_links import public_base
from cxgap.web.render import locale_of, page

router = APIRouter(prefix="/w/{key}/ideas")

Text = Annotated[str, Form(max_length=5000)]
Short = Annotated[str, Form(max_length=80)]
DECISIONS = ("approve", "decline", "block")


def _context(
    request: Request, session: Session, workspace: Workspace, role: Role, user: Principal
) -> dict[str, Any]:
    locale = locale_of(request)
    statuses = idea_statuses.statuses_of(session, workspace)
    lines = board(session, workspace, order="newest", public=False)
    return {
        "user": user,
        "workspace": workspace,
        "role": role,
        "can_act": role.level >= Role.ANALYST.level,
        "lines": [line for line in lines if line.moderation != "pending"],
        "queue": idea_moderation.queue(session, workspace),
        "moderated": idea_moderation.moderated(session, workspace),
        "statuses": statuses,
        "status_names": {s.key: s.name_fr if locale == "fr" else s.name_en for s in statuses},
        "status_kinds": {s.key: s.kind for s in statuses},
        "kinds": KINDS,
        "titles": {line.id: line.title for line in lines},
        "all_tags": [idea_tags.label(tag, locale) for tag in idea_tags.tags(session, workspace)],
        "idea_tags": idea_tags.tags_by_idea(session, workspace, locale),
        "evidence_counts": idea_evidence_pages.evidence_counts(session, workspace),
    }


def _back(key: str, anchor: str = "") -> RedirectResponse:
    return RedirectResponse(f"/w/{key}/ideas{anchor}", status_code=303)


@router.get("", response_class=HTMLResponse)
def team_board(request: Request, key: str, session: SessionDep, user: UserDep) -> Response:
    workspace, role = open_workspace(session, user, key, Role.VIEWER)
    return page(request, "community/team.html", _context(request, session, workspace, role, user))


@router.post("/statuses")
def add_status(
    key: str,
    session: SessionDep,
    user: UserDep,
    _csrf: CsrfDep,
    status_key: Annotated[str, Form(max_length=40)] = "",
    kind: Annotated[str, Form(max_length=16)] = "",
    name_en: Short = "",
    name_fr: Short = "",
) -> Response:
    workspace, _ = open_workspace(session, user, key, Role.ANALYST)
    spec = check_status(status_key, kind, name_en, name_fr)
    idea_statuses.add_status(session, workspace=workspace, spec=spec)
    return _back(key, "#statuses")


@router.post("/settings")
def board_settings(
    key: str,
    session: SessionDep,
    user: UserDep,
    _csrf: CsrfDep,
    moderate: Annotated[str | None, Form()] = None,
) -> Response:
    workspace, _ = open_workspace(session, user, key, Role.ANALYST)
    idea_moderation.set_moderation(session, workspace, moderate is not None)
    return _back(key, "#moderation")


@router.post("/{idea_id}/status")
def change_status(
    request: Request,
    key: str,
    idea_id: int,
    session: SessionDep,
    settings: SettingsDep,
    user: UserDep,
    _csrf: CsrfDep,
    status: Annotated[str, Form(max_length=40)] = "",
    message: Text = "",
) -> Response:
    """Move the idea with the team's message; its followers are e-mailed about it."""
    move_idea(request, session, settings, user, key, idea_id, status=status, message=message)
    return _back(key, f"#idea-{idea_id}")


def move_idea(
    request: Request,
    session: Session,
    settings: Settings,
    user: Principal,
    key: str,
    idea_id: int,
    *,
    status: str,
    message: str,
) -> None:
    """An analyst's status change, from the board's page or the idea's own: the same service
    (and e-mails to the followers) as ``cxgap ideas status`` and the API."""
    workspace, _ = open_workspace(session, user, key, Role.ANALYST)
    idea_statuses.change_status(
        session,
        workspace=workspace,
        idea_id=idea_id,
        status=status,
        message=message,
        user_id=user.user_id,
        base_url=public_base(request, settings),
    )


@router.post("/{idea_id}/merge")
def merge(
    request: Request,
    key: str,
    idea_id: int,
    session: SessionDep,
    settings: SettingsDep,
    user: UserDep,
    _csrf: CsrfDep,
    into: Annotated[int, Form()],
    message: Text = "",
) -> Response:
    workspace, _ = open_workspace(session, user, key, Role.ANALYST)
    idea_statuses.merge_idea(
        session,
        workspace=workspace,
        idea_id=idea_id,
        into_id=into,
        message=message,
        user_id=user.user_id,
        base_url=public_base(request, settings),
    )
    return _back(key, f"#idea-{into}")


@router.post("/{idea_id}/moderation")
def moderate(
    key: str,
    idea_id: int,
    session: SessionDep,
    user: UserDep,
    _csrf: CsrfDep,
    decision: Annotated[str, Form(max_length=16)] = "",
) -> Response:
    workspace, _ = open_workspace(session, user, key, Role.ANALYST)
    if decision not in DECISIONS:
        raise ValidationError.single("decision", f"must be one of {', '.join(DECISIONS)}")
    idea_moderation.decide(session, workspace, idea_id, cast(Decision, decision))
    return _back(key, "#moderation")
