"""A workspace's members: invite by e-mail, change a role, send an invitation again, sign a
member out everywhere."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from cxgap import audit
from cxgap.db.tables import User, Workspace
from cxgap.errors import NotFoundError, PermissionDeniedError
from cxgap.i18n import LOCALES
from cxgap.services import accounts, invitations, user_sessions
from cxgap.services.accounts import Principal, Role
from cxgap.web.audit_hooks import note
from cxgap.web.deps import CsrfDep, SessionDep, SettingsDep, UserDep, open_workspace
from cxgap.web.public_links import public_base
from cxgap.web.render import locale_of, page
from cxgap.web.security import clear_browser_session

router = APIRouter(prefix="/w/{key}/members")


def _page(
    request: Request,
    session: SessionDep,
    user: Principal,
    workspace: Workspace,
    role: Role,
    **extra: object,
) -> Response:
    return page(
        request,
        "members.html",
        {
            "user": user,
            "workspace": workspace,
            "role": role,
            "members": accounts.list_members(session, workspace),
            "pending": invitations.pending_member_ids(session, workspace),
            "roles": [r.value for r in Role],
            "languages": LOCALES,
            **extra,
        },
    )


@router.get("", response_class=HTMLResponse)
def members(request: Request, key: str, session: SessionDep, user: UserDep) -> Response:
    workspace, role = open_workspace(session, user, key, Role.ADMIN)
    return _page(request, session, user, workspace, role)


def _dispatched(
    request: Request,
    settings: SettingsDep,
    invitation: invitations.Invitation,
    *,
    user: Principal,
    workspace: Workspace,
    locale: str,
) -> invitations.Dispatch:
    return invitations.dispatch_invitation(
        settings,
        invitation,
        base_url=public_base(request, settings),
        locale=locale,
        inviter=user.name or user.email,
        workspace=workspace,
    )


@router.post("", response_class=HTMLResponse)
def add_member(
    request: Request,
    key: str,
    session: SessionDep,
    settings: SettingsDep,
    user: UserDep,
    _csrf: CsrfDep,
    email: Annotated[str, Form(max_length=254)],
    role: Annotated[str, Form(max_length=16)],
    name: Annotated[str, Form(max_length=200)] = "",
    language: Annotated[str, Form(max_length=5)] = "",
) -> Response:
    """Grant a role; someone without an account is invited by e-mail to choose a password."""
    workspace, my_role = open_workspace(session, user, key, Role.ADMIN)
    locale = language if language in LOCALES else locale_of(request)
    before = _roles(session, workspace)
    invitation = invitations.invite_member(
        session, workspace=workspace, email=email, role=role, name=name, locale=locale
    )
    _note_membership(request, session, user, workspace, before, invitation.email)
    if invitation.token is None:
        return _page(request, session, user, workspace, my_role, granted=invitation.email)
    dispatch = _dispatched(
        request, settings, invitation, user=user, workspace=workspace, locale=locale
    )
    return _page(
        request, session, user, workspace, my_role, invited=invitation.email, dispatch=dispatch
    )


@router.post("/{user_id}/invitation", response_class=HTMLResponse)
def invite_again(
    request: Request,
    key: str,
    user_id: int,
    session: SessionDep,
    settings: SettingsDep,
    user: UserDep,
    _csrf: CsrfDep,
) -> Response:
    """A new link for someone who has not accepted yet; the previous link stops working."""
    workspace, my_role = open_workspace(session, user, key, Role.ADMIN)
    invitation = invitations.reissue(session, workspace=workspace, user_id=user_id)
    invitee = accounts.get_user(session, email=invitation.email)
    locale = invitee.locale if invitee.locale in LOCALES else locale_of(request)
    dispatch = _dispatched(
        request, settings, invitation, user=user, workspace=workspace, locale=locale
    )
    return _page(
        request, session, user, workspace, my_role, invited=invitation.email, dispatch=dispatch
    )


@router.post("/{user_id}/password", response_class=HTMLResponse)
def require_new_password(
    request: Request,
    key: str,
    user_id: int,
    session: SessionDep,
    user: UserDep,
    _csrf: CsrfDep,
) -> Response:
    """The member replaces their password at the next sign-in."""
    workspace, my_role = open_workspace(session, user, key, Role.ADMIN)
    email = invitations.require_new_password(session, workspace=workspace, user_id=user_id)
    # A forced reset usually means a password is feared known: its sessions end too.
    ended = user_sessions.end_all(session, user_id=user_id)
    note(
        request,
        session,
        user,
        audit.Action.PASSWORD_RESET_REQUIRED,
        workspace=workspace,
        target=audit.Target("user", user_id),
        details={"sessions_ended": ended},
    )
    return _page(request, session, user, workspace, my_role, must_change=email)


@router.post("/{user_id}/sessions/end", response_class=HTMLResponse)
def sign_out_everywhere(
    request: Request,
    key: str,
    user_id: int,
    session: SessionDep,
    user: UserDep,
    _csrf: CsrfDep,
) -> Response:
    """End every session of a member (a lost laptop, someone leaving): their copied or
    forgotten cookies stop working at once."""
    workspace, my_role = open_workspace(session, user, key, Role.ADMIN)
    member = _member(session, workspace, user_id)
    if member.is_superuser and not user.is_superuser:
        raise PermissionDeniedError(
            f"Member {user_id} is a site administrator: only a site administrator can sign them out"
        )
    ended = user_sessions.end_all(session, user_id=user_id)
    note(
        request,
        session,
        user,
        audit.Action.SESSION_REVOKED,
        workspace=workspace,
        target=audit.Target("user", user_id),
        details={"sessions_ended": ended, "by": "admin"},
    )
    if user_id == user.user_id:
        clear_browser_session(request)
        return RedirectResponse("/login", status_code=303)
    return _page(request, session, user, workspace, my_role, signed_out=member.email)


def _member(session: SessionDep, workspace: Workspace, user_id: int) -> User:
    for member, _ in accounts.list_members(session, workspace):
        if member.id == user_id:
            return member
    raise NotFoundError(f"No member {user_id} in workspace {workspace.key!r}")


def _roles(session: SessionDep, workspace: Workspace) -> dict[str, str]:
    return {member.email: role for member, role in accounts.list_members(session, workspace)}


def _note_membership(
    request: Request,
    session: SessionDep,
    user: Principal,
    workspace: Workspace,
    before: dict[str, str],
    email: str,
) -> None:
    """member.added for someone new to the workspace, member.role_changed for a new role."""
    after = _roles(session, workspace)
    member_id = accounts.get_user(session, email=email).id
    target = audit.Target("user", member_id)
    if email not in before:
        details = {"role": after.get(email)}
        note(request, session, user, audit.Action.MEMBER_ADDED, workspace=workspace,
             target=target, details=details)  # fmt: skip
    elif before[email] != after.get(email):
        details = {"from": before[email], "to": after.get(email)}
        note(request, session, user, audit.Action.MEMBER_ROLE_CHANGED, workspace=workspace,
             target=target, details=details)  # fmt: skip
