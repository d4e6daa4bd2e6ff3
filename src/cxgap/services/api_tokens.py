"""API tokens scoped to one workspace and one role, created and revoked by its admins.

A token is shown once; only its SHA-256 digest is stored. A request made with a workspace
token acts in that workspace only, with the lower of the token's role and its creator's
current role there, so demoting or removing the creator takes the power away from the token.
Tokens made before scoping existed (``cxgap user token``) carry no workspace and act as
their user.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from cxgap import audit
from cxgap.db.tables import ApiToken, User, Workspace
from cxgap.errors import AuthenticationError, NotFoundError, PermissionDeniedError
from cxgap.services import accounts
from cxgap.services.accounts import Principal, Role

TOKEN_PREFIX = "cxg_"


@dataclass(frozen=True)
class ApiCaller:
    """Who is calling the API and within which limits."""

    principal: Principal
    workspace_key: str | None = None
    role: Role | None = None
    token_id: int | None = None


@dataclass(frozen=True)
class TokenInfo:
    """A token as its workspace's admins see it (never the token itself)."""

    id: int
    name: str
    role: str
    owner: str
    created_at: datetime
    last_used_at: datetime | None


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_workspace_token(
    session: Session, *, workspace: Workspace, principal: Principal, name: str, role: str
) -> str:
    """A new token for ``workspace`` with ``role``; the caller must be its admin."""
    accounts.require_role(session, principal, workspace, Role.ADMIN)
    parsed = accounts.parse_role(role)
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    session.add(
        ApiToken(
            user_id=principal.user_id,
            name=name.strip()[:100] or "token",
            token_hash=token_digest(token),
            workspace_id=workspace.id,
            role=parsed.value,
        )
    )
    session.flush()
    return token


def workspace_tokens(
    session: Session, *, workspace: Workspace, principal: Principal
) -> list[TokenInfo]:
    accounts.require_role(session, principal, workspace, Role.ADMIN)
    rows = session.execute(
        select(ApiToken, User.email)
        .join(User, User.id == ApiToken.user_id)
        .where(ApiToken.workspace_id == workspace.id)
        .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())
    )
    return [
        TokenInfo(
            id=token.id,
            name=token.name,
            role=token.role or Role.VIEWER.value,
            owner=email,
            created_at=token.created_at,
            last_used_at=token.last_used_at,
        )
        for token, email in rows
    ]


def revoke_token(
    session: Session, *, workspace: Workspace, principal: Principal, token_id: int
) -> None:
    """Delete the token: the next request made with it is refused."""
    accounts.require_role(session, principal, workspace, Role.ADMIN)
    row = session.get(ApiToken, token_id)
    if row is None or row.workspace_id != workspace.id:
        raise NotFoundError(f"No API token {token_id} in workspace {workspace.key!r}")
    session.delete(row)
    session.flush()


def authenticate_token(session: Session, token: str) -> ApiCaller:
    """The caller a bearer token stands for; records when it was last used."""
    row = session.scalar(select(ApiToken).where(ApiToken.token_hash == token_digest(token)))
    user = session.get(User, row.user_id) if row is not None else None
    if row is None or user is None:
        raise AuthenticationError("Unknown or revoked API token")
    first_use = row.last_used_at is None
    row.last_used_at = datetime.now(UTC)
    principal = accounts.principal_of(user)
    workspace = session.get(Workspace, row.workspace_id) if row.workspace_id else None
    if row.workspace_id is not None and workspace is None:
        raise AuthenticationError("Unknown or revoked API token")
    if first_use:  # a token's first request counts as a sign-in, once
        audit.record(
            session,
            actor=principal,
            action=audit.Action.SIGN_IN,
            workspace=workspace,
            target=audit.Target("api_token", row.id),
            details={"method": "api_token"},
        )
    if workspace is None:
        return ApiCaller(principal=principal, token_id=row.id)
    return ApiCaller(
        principal=principal,
        workspace_key=workspace.key,
        role=Role(row.role or Role.VIEWER.value),
        token_id=row.id,
    )


def caller_role(session: Session, caller: ApiCaller, workspace: Workspace, needed: Role) -> Role:
    """The caller's role in ``workspace`` if it is at least ``needed``.

    A workspace token used elsewhere gets 403 before the workspace is even looked at, so it
    reveals nothing about other workspaces; a user without membership gets 404 as on pages.
    """
    check_scope(caller, workspace.key)
    role = accounts.require_role(session, caller.principal, workspace, Role.VIEWER)
    if caller.role is not None and caller.role.level < role.level:
        role = caller.role
    if role.level < needed.level:
        raise PermissionDeniedError(
            f"This needs the {needed.value} role in workspace {workspace.key!r}; "
            f"this token has {role.value}"
        )
    return role


def check_scope(caller: ApiCaller, workspace_key: str) -> None:
    if caller.workspace_key is not None and caller.workspace_key != workspace_key:
        raise PermissionDeniedError(
            f"This token is scoped to workspace {caller.workspace_key!r}, not {workspace_key!r}"
        )
