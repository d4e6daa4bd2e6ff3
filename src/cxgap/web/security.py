"""Sessions, CSRF tokens and the current user."""

from __future__ import annotations

import hmac
import secrets

from fastapi import Request

from cxgap.errors import CxgapError

CSRF_SESSION_KEY = "csrf"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"


class LoginRequired(CxgapError):
    """The page needs a logged-in user; the web answers with a redirect to the login page."""

    status_code = 401


class CsrfError(CxgapError):
    """The form's anti-forgery token is missing or wrong (an old tab, or a forged request)."""

    status_code = 403


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


def login_session(request: Request, user_id: int) -> None:
    """Start a fresh session for the user (a new CSRF token guards against fixation)."""
    locale = request.session.get("locale")
    request.session.clear()
    request.session["user_id"] = user_id
    if locale:
        request.session["locale"] = locale
    csrf_token(request)


def logout_session(request: Request) -> None:
    locale = request.session.get("locale")
    request.session.clear()
    if locale:
        request.session["locale"] = locale
