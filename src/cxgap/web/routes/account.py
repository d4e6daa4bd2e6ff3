"""The user's own account: password, API tokens and signed-in sessions."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from cxgap import audit
from cxgap.errors import AuthenticationError, ValidationError
from cxgap.services import accounts, user_sessions
from cxgap.services.accounts import Principal
from cxgap.web.audit_hooks import note
from cxgap.web.deps import CsrfDep, SessionDep, SettingsDep, UserDep
from cxgap.web.render import page
from cxgap.web.security import (
    clear_browser_session,
    renew_user_session,
    session_lifetime,
    session_token,
)

router = APIRouter(prefix="/account")


def _page(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    user: Principal,
    status_code: int = 200,
    **extra: object,
) -> Response:
    sessions = user_sessions.list_active(
        session,
        user_id=user.user_id,
        lifetime=session_lifetime(settings),
        current_token=session_token(request),
    )
    context = {"user": user, "sessions": sessions, **extra}
    return page(request, "account.html", context, status_code=status_code)


@router.get("", response_class=HTMLResponse)
def account(
    request: Request, session: SessionDep, settings: SettingsDep, user: UserDep
) -> Response:
    return _page(request, session, settings, user)


@router.post("/password", response_class=HTMLResponse)
def change_password(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    user: UserDep,
    _csrf: CsrfDep,
    current_password: Annotated[str, Form(max_length=1000)],
    new_password: Annotated[str, Form(max_length=1000)],
) -> Response:
    """A new password; every other signed-in browser is signed out, and this one gets a new
    session id (a copy of its old cookie is useless)."""
    try:
        accounts.authenticate(session, email=user.email, password=current_password)
    except AuthenticationError:
        raise ValidationError.single("current_password", "is not your current password") from None
    accounts.set_password(session, email=user.email, password=new_password)
    renew_user_session(request, session, user, settings=settings)
    note(request, session, user, audit.Action.PASSWORD_CHANGED)
    return _page(request, session, settings, user, flash_key="web.account.changed")


@router.post("/tokens", response_class=HTMLResponse)
def new_token(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    user: UserDep,
    _csrf: CsrfDep,
    name: Annotated[str, Form(max_length=100)],
) -> Response:
    token = accounts.create_api_token(session, email=user.email, name=name)
    note(request, session, user, audit.Action.TOKEN_CREATED, target=audit.Target("api_token"))
    return _page(request, session, settings, user, new_token=token)


@router.post("/sessions/{session_id}/end", response_class=HTMLResponse)
def end_session(
    request: Request,
    session_id: int,
    session: SessionDep,
    settings: SettingsDep,
    user: UserDep,
    _csrf: CsrfDep,
) -> Response:
    """Sign out one of one's own browsers (a lost phone, a shared computer)."""
    user_sessions.end_one(session, user_id=user.user_id, session_id=session_id)
    note(
        request,
        session,
        user,
        audit.Action.SESSION_REVOKED,
        target=audit.Target("user", user.user_id),
        details={"session": session_id, "by": "self"},
    )
    if user_sessions.session_id_of(session, session_token(request) or "") == session_id:
        clear_browser_session(request)
        return RedirectResponse("/login", status_code=303)
    return _page(request, session, settings, user, flash_key="security_sessions.account.ended")


@router.post("/sessions/end-all")
def end_all_sessions(
    request: Request, session: SessionDep, user: UserDep, _csrf: CsrfDep
) -> Response:
    """Sign out everywhere, this browser included."""
    ended = user_sessions.end_all(session, user_id=user.user_id)
    note(
        request,
        session,
        user,
        audit.Action.SESSION_REVOKED,
        target=audit.Target("user", user.user_id),
        details={"sessions_ended": ended, "by": "self"},
    )
    clear_browser_session(request)
    return RedirectResponse("/login", status_code=303)
