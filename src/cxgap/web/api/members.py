"""Creating workspaces and managing their members: invite, change a role, remove."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Path, Request, Response
from pydantic import BaseModel, Field

from cxgap import audit
from cxgap.db.tables import Workspace
from cxgap.errors import NotFoundError, PermissionDeniedError
from cxgap.i18n import LOCALES
from cxgap.services import accounts, invitations
from cxgap.services.accounts import Role
from cxgap.services.workspaces import create_workspace
from cxgap.web.api.deps import CallerDep, open_workspace
from cxgap.web.api.errors import error_responses
from cxgap.web.api.fields import EMAIL_PATTERN, MAX_ID, NOT_BLANK, OPTIONAL_KEY_PATTERN
from cxgap.web.api.workspaces import MemberOut, WorkspaceOut
from cxgap.web.audit_hooks import note
from cxgap.web.deps import SessionDep, SettingsDep
from cxgap.web.public_links import public_base
from cxgap.web.render import locale_of

router = APIRouter(prefix="/api/v1")

RoleName = Literal["admin", "analyst", "viewer"]


UserId = Annotated[int, Path(ge=1, le=MAX_ID, description="The member's user id")]


class WorkspaceIn(BaseModel):
    name: str = Field(max_length=200, pattern=NOT_BLANK)
    key: str = Field(
        "", max_length=63, pattern=OPTIONAL_KEY_PATTERN, description="Empty: derived from the name"
    )


class MemberIn(BaseModel):
    email: str = Field(max_length=254, pattern=EMAIL_PATTERN)
    role: RoleName
    name: str = Field("", max_length=200, description="For someone without an account yet")
    language: Literal["", "en", "fr"] = Field(
        "", description="Of the invitation e-mail; empty: the request's language"
    )


class RoleIn(BaseModel):
    role: RoleName


class InvitedOut(MemberOut):
    invitation: str = Field(
        description="none (already had an account: the role is granted), sent (by e-mail), "
        "or not_configured / failed: pass on `link` yourself"
    )
    link: str | None = Field(None, description="The invitation link when it was not e-mailed")


@router.post(
    "/workspaces",
    response_model=WorkspaceOut,
    status_code=201,
    tags=["workspaces"],
    operation_id="create_workspace",
    responses=error_responses(409),
)
def new_workspace(body: WorkspaceIn, session: SessionDep, caller: CallerDep) -> WorkspaceOut:
    """Create a workspace, as the home page lets a site administrator do; needs a personal
    token (``cxgap user token``) of a site administrator, not a workspace token."""
    if caller.workspace_key is not None or not caller.principal.is_superuser:
        raise PermissionDeniedError(
            "Only a site administrator's personal token can create workspaces"
        )
    workspace = create_workspace(session, key=body.key, name=body.name)
    return WorkspaceOut(key=workspace.key, name=workspace.name, role=Role.ADMIN.value)


@router.post(
    "/workspaces/{key}/members",
    response_model=InvitedOut,
    status_code=201,
    tags=["members"],
    operation_id="add_member",
    responses=error_responses(),
)
def add_member(
    request: Request,
    key: str,
    body: MemberIn,
    session: SessionDep,
    settings: SettingsDep,
    caller: CallerDep,
) -> InvitedOut:
    """Grant a role; someone without an account is invited by e-mail to choose a password
    (the Members page's form)."""
    workspace, _ = open_workspace(session, caller, key, Role.ADMIN)
    locale = body.language if body.language in LOCALES else locale_of(request)
    before = {u.email: role for u, role in accounts.list_members(session, workspace)}
    invitation = invitations.invite_member(
        session, workspace=workspace, email=body.email, role=body.role, name=body.name,
        locale=locale,
    )  # fmt: skip
    user = accounts.get_user(session, email=invitation.email)
    member = _member_by_id(session, workspace, user.id)
    _note_membership(request, session, caller, workspace, before.get(user.email), member)
    if invitation.token is None:
        return InvitedOut(**member.model_dump(), invitation="none")
    return _dispatched(request, settings, caller, workspace, invitation, member, locale)


@router.post(
    "/workspaces/{key}/members/{user_id}/invitation",
    response_model=InvitedOut,
    tags=["members"],
    operation_id="reissue_invitation",
    responses=error_responses(),
)
def invite_again(
    request: Request,
    key: str,
    user_id: UserId,
    session: SessionDep,
    settings: SettingsDep,
    caller: CallerDep,
) -> InvitedOut:
    """A new invitation for a member who has not accepted yet (``pending``); the previous
    link stops working. 404 for a member who already chose a password."""
    workspace, _ = open_workspace(session, caller, key, Role.ADMIN)
    invitation = invitations.reissue(session, workspace=workspace, user_id=user_id)
    invitee = accounts.get_user(session, email=invitation.email)
    locale = invitee.locale if invitee.locale in LOCALES else locale_of(request)
    member = _member_by_id(session, workspace, user_id)
    return _dispatched(request, settings, caller, workspace, invitation, member, locale)


@router.post(
    "/workspaces/{key}/members/{user_id}/password",
    response_model=MemberOut,
    tags=["members"],
    operation_id="require_new_password",
    responses=error_responses(),
)
def require_new_password(
    key: str, user_id: UserId, session: SessionDep, caller: CallerDep
) -> MemberOut:
    """The member must choose a new password at their next sign-in (the Members page's
    button); 404 for a member still invited."""
    workspace, _ = open_workspace(session, caller, key, Role.ADMIN)
    invitations.require_new_password(session, workspace=workspace, user_id=user_id)
    return _member_by_id(session, workspace, user_id)


@router.put(
    "/workspaces/{key}/members/{user_id}",
    response_model=MemberOut,
    tags=["members"],
    operation_id="change_member_role",
    responses=error_responses(409),
)
def change_role(
    request: Request,
    key: str,
    user_id: UserId,
    body: RoleIn,
    session: SessionDep,
    caller: CallerDep,
) -> MemberOut:
    """Give a member another role; the last admin cannot be demoted (409)."""
    workspace, _ = open_workspace(session, caller, key, Role.ADMIN)
    before = _member_by_id(session, workspace, user_id).role
    accounts.change_member_role(session, workspace=workspace, user_id=user_id, role=body.role)
    member = _member_by_id(session, workspace, user_id)
    _note_membership(request, session, caller, workspace, before, member)
    return member


@router.delete(
    "/workspaces/{key}/members/{user_id}",
    status_code=204,
    response_class=Response,
    tags=["members"],
    operation_id="remove_member",
    responses=error_responses(409),
)
def remove_member(
    request: Request, key: str, user_id: UserId, session: SessionDep, caller: CallerDep
) -> Response:
    """Take a member out of the workspace (their account stays); not the last admin (409)."""
    workspace, _ = open_workspace(session, caller, key, Role.ADMIN)
    accounts.remove_member(session, workspace=workspace, user_id=user_id)
    note(request, session, caller.principal, audit.Action.MEMBER_REMOVED, workspace=workspace,
         target=audit.Target("user", user_id), details={"via": "api"})  # fmt: skip
    return Response(status_code=204)


def _note_membership(
    request: Request,
    session: SessionDep,
    caller: CallerDep,
    workspace: Workspace,
    before: str | None,
    member: MemberOut,
) -> None:
    target = audit.Target("user", member.id)
    if before is None:
        action, details = audit.Action.MEMBER_ADDED, {"role": member.role, "via": "api"}
    elif before != member.role:
        action = audit.Action.MEMBER_ROLE_CHANGED
        details = {"from": before, "to": member.role, "via": "api"}
    else:
        return
    note(request, session, caller.principal, action, workspace=workspace, target=target,
         details=details)  # fmt: skip


def _dispatched(
    request: Request,
    settings: SettingsDep,
    caller: CallerDep,
    workspace: Workspace,
    invitation: invitations.Invitation,
    member: MemberOut,
    locale: str,
) -> InvitedOut:
    dispatch = invitations.dispatch_invitation(
        settings,
        invitation,
        base_url=public_base(request, settings),
        locale=locale,
        inviter=caller.principal.name or caller.principal.email,
        workspace=workspace,
    )
    link = None if dispatch.outcome == "sent" else dispatch.link
    return InvitedOut(**member.model_dump(), invitation=dispatch.outcome, link=link)


def _member_by_id(session: SessionDep, workspace: Workspace, user_id: int) -> MemberOut:
    for user, role in accounts.list_members(session, workspace):
        if user.id == user_id:
            pending = not accounts.has_password(user)
            return MemberOut(
                id=user.id, email=user.email, name=user.name, role=role, pending=pending
            )
    raise NotFoundError(f"No member {user_id} in workspace {workspace.key!r}")
