"""A workspace's members: invite by e-mail, change a role, send an invitation again."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response

from cxgap.db.tables import Workspace
from cxgap.i18n import LOCALES
from cxgap.services import accounts, invitations
from cxgap.services.accounts import Principal, Role
from cxgap.web.deps import CsrfDep, SessionDep, SettingsDep, UserDep, open_workspace
from cxgap.web.public_links import public_base
from cxgap.web.render import locale_of, page

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
    invitation = invitations.invite_member(
        session, workspace=workspace, email=email, role=role, name=name, locale=locale
    )
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
    return _page(request, session, user, workspace, my_role, must_change=email)
