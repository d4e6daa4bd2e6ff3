"""Sessions (server-side, revocable), CSRF tokens and the current user."""

from __future__ import annotations

import hmac
import secrets

from fastapi import Request
from sqlalchemy.orm import Session

from cxgap import audit
from cxgap.config import Settings
from cxgap.errors import CsrfError
from cxgap.services import user_sessions
from cxgap.services.accounts import Principal

CSRF_SESSION_KEY = "csrf"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"


def csrf_token(request: Request) -> str:
    token = request.session.get(CSRF_SESSION_KEY)
    if not isinstance(token, str):
        token = secrets.token_urlsafe(32)
        request.session[CSRF_SESSION_KEY] = token
    return token


def check_csrf(request: Request, submitted: str | None) -> None:
    expected = request.session.get(CSRF_SESSION_KEY)
    candidate = submitted or request.headers.get(CSRF_HEADER)
    if not expected or not candidate or not hmac.compare_digest(str(expected), candidate):
        raise CsrfError(
            "The form expired or did not come from this site; reload the page and try again"
        )


SESSION_TOKEN_KEY = "sid"


def session_lifetime(settings: Settings) -> user_sessions.Lifetime:
    return user_sessions.Lifetime.of(
        idle_minutes=settings.session_idle_minutes, max_days=settings.session_max_days
    )


def client_address(request: Request) -> str | None:
    return request.client.host if request.client else None


def start_user_session(
    request: Request,
    session: Session,
    principal: Principal,
    *,
    settings: Settings,
    method: str = "password",
) -> None:
    """Sign ``principal`` in on this browser: a new server-side session (its random id in the
    cookie), a fresh CSRF token (against session fixation) and an ``auth.sign_in`` audit
    event. ``method`` says how they proved who they are: password, sso, invitation…"""
    locale = request.session.get("locale")
    request.session.clear()
    token = user_sessions.start(
        session,
        user_id=principal.user_id,
        lifetime=session_lifetime(settings),
        user_agent=request.headers.get("user-agent", ""),
        method=method,
    )
    request.session[SESSION_TOKEN_KEY] = token
    if locale:
        request.session["locale"] = locale
    csrf_token(request)
    audit.record(
        session,
        actor=principal,
        action=audit.Action.SIGN_IN,
        target=audit.Target("user", principal.user_id),
        details={"method": method},
        address=client_address(request),
    )


def renew_user_session(
    request: Request, session: Session, principal: Principal, *, settings: Settings
) -> None:
    """A new session id for this browser, every other session of the user ended (after a
    password change): copies of any earlier cookie, this browser's included, stop working."""
    user_sessions.end_all(session, user_id=principal.user_id)
    request.session[SESSION_TOKEN_KEY] = user_sessions.start(
        session,
        user_id=principal.user_id,
        lifetime=session_lifetime(settings),
        user_agent=request.headers.get("user-agent", ""),
        method="password",
    )


def session_token(request: Request) -> str | None:
    token = request.session.get(SESSION_TOKEN_KEY)
    return token if isinstance(token, str) and token else None


def signed_in_user_id(request: Request, session: Session, settings: Settings) -> int | None:
    """The user this browser's session belongs to, if it is still live on the server."""
    token = session_token(request)
    if token is None:
        return None
    row = user_sessions.find_active(session, token, lifetime=session_lifetime(settings))
    return row.user_id if row is not None else None


def clear_browser_session(request: Request) -> None:
    """Forget everything but the language (the server-side session is ended separately)."""
    locale = request.session.get("locale")
    request.session.clear()
    if locale:
        request.session["locale"] = locale


def end_user_session(request: Request, session: Session) -> int | None:
    """Sign this browser out: its server-side session ends, so a copy of the cookie stops
    working too. The id of the user it belonged to, if it was live."""
    token = session_token(request)
    ended = user_sessions.end(session, token) if token else None
    clear_browser_session(request)
    return ended.user_id if ended is not None else None
