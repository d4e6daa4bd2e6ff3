"""Typed dependencies shared by the routes."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Form, Header, Request
from sqlalchemy.orm import Session

from cxgap.config import Settings
from cxgap.db.tables import Workspace
from cxgap.errors import AuthenticationError, LoginRequired
from cxgap.services import accounts
from cxgap.services.accounts import Principal
from cxgap.services.core import Cxgap
from cxgap.services.workspaces import get_workspace
from cxgap.web.security import check_csrf, signed_in_user_id


def get_cx(request: Request) -> Cxgap:
    cx: Cxgap = request.app.state.cx
    return cx


def get_session(cx: Annotated[Cxgap, Depends(get_cx)]) -> Iterator[Session]:
    """A session per request, committed when the route returns, or rolled back on any error.

    It is used with ``scope="function"`` (``SessionDep``): the commit runs before the
    response is sent, so a "thank you" or a ``"stored": N`` is only ever sent for work that
    is committed, and a commit that fails becomes an error response instead of a success.
    (A plain ``yield`` dependency would commit after the response had left.) Routes that
    stream a body build it before returning (``web/feedback_download.py``), never from the
    session afterwards."""
    with cx.transaction() as session:
        yield session


def get_settings(cx: Annotated[Cxgap, Depends(get_cx)]) -> Settings:
    return cx.settings


CxDep = Annotated[Cxgap, Depends(get_cx)]
SessionDep = Annotated[Session, Depends(get_session, scope="function")]
SettingsDep = Annotated[Settings, Depends(get_settings)]


def current_user(request: Request, session: SessionDep) -> Principal:
    principal = optional_user(request, session)
    if principal is None:
        raise LoginRequired("Please log in")
    return principal


def optional_user(request: Request, session: SessionDep) -> Principal | None:
    """The signed-in user, if this browser's server-side session is still live."""
    user_id = signed_in_user_id(request, session, get_cx(request).settings)
    return accounts.load_principal(session, user_id) if user_id is not None else None


def api_user(
    session: SessionDep, authorization: Annotated[str | None, Header()] = None
) -> Principal:
    scheme, _, token = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise AuthenticationError(
            "Send an API token as 'Authorization: Bearer <token>' (create one with "
            "`cxgap user token EMAIL` or on your account page)"
        )
    return accounts.principal_for_token(session, token.strip())


def csrf_protected(request: Request, csrf_token: Annotated[str | None, Form()] = None) -> None:
    check_csrf(request, csrf_token)


UserDep = Annotated[Principal, Depends(current_user)]
OptionalUserDep = Annotated[Principal | None, Depends(optional_user)]
ApiUserDep = Annotated[Principal, Depends(api_user)]
CsrfDep = Annotated[None, Depends(csrf_protected)]


def open_workspace(
    session: Session, principal: Principal, key: str, needed: accounts.Role
) -> tuple[Workspace, accounts.Role]:
    """The workspace if the user has at least ``needed`` there (404 if not a member)."""
    workspace = get_workspace(session, key)
    role = accounts.require_role(session, principal, workspace, needed)
    return workspace, role
