"""Who calls the API (a bearer token) and the workspace it may act in."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session

from cxgap.db.tables import Workspace
from cxgap.errors import AuthenticationError
from cxgap.services import api_tokens
from cxgap.services.accounts import Role
from cxgap.services.api_tokens import ApiCaller
from cxgap.services.workspaces import get_workspace
from cxgap.web.deps import CxDep, SessionDep

bearer = HTTPBearer(
    auto_error=False,
    scheme_name="token",
    description="A workspace API token (Integrations page): `Authorization: Bearer cxg_…`",
)


def api_caller(
    session: SessionDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> ApiCaller:
    if credentials is None or not credentials.credentials.strip():
        raise AuthenticationError(
            "Send an API token as 'Authorization: Bearer <token>' (a workspace's admins "
            "create them on its Integrations page)"
        )
    return api_tokens.authenticate_token(session, credentials.credentials.strip())


def api_caller_apart(
    cx: CxDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> ApiCaller:
    """The caller, checked in a transaction of its own: for routes that must not hold the
    request's transaction open (a long import writes in its own)."""
    with cx.transaction() as session:
        return api_caller(session, credentials)


CallerDep = Annotated[ApiCaller, Depends(api_caller)]
CallerApartDep = Annotated[ApiCaller, Depends(api_caller_apart)]


def open_workspace(
    session: Session, caller: ApiCaller, key: str, needed: Role
) -> tuple[Workspace, Role]:
    """The workspace if the token may act there with at least ``needed``.

    403 for a token scoped elsewhere or with too low a role; 404 for a workspace that does
    not exist or of which the token's user is not a member.
    """
    api_tokens.check_scope(caller, key)
    workspace = get_workspace(session, key)
    return workspace, api_tokens.caller_role(session, caller, workspace, needed)
