"""Log in and out."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from cxgap.errors import AuthenticationError, RateLimitedError
from cxgap.services import accounts
from cxgap.web.deps import CsrfDep, OptionalUserDep, SessionDep, SettingsDep
from cxgap.web.render import page
from cxgap.web.security import login_session, logout_session

router = APIRouter()


def _safe_next(target: str | None) -> str:
    """Only local paths: an open redirect would let a phishing link borrow our login page."""
    if target and target.startswith("/") and not target.startswith("//"):
        return target
    return "/"


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request, user: OptionalUserDep, next: str | None = None) -> Response:
    if user is not None:
        return RedirectResponse(_safe_next(next), status_code=303)
    return page(request, "login.html", {"next": _safe_next(next)})


@router.post("/login")
def login(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    _csrf: CsrfDep,
    email: Annotated[str, Form(max_length=254)],
    password: Annotated[str, Form(max_length=1000)],
    next: Annotated[str, Form()] = "/",
) -> Response:
    keys = accounts.login_keys(
        email=email,
        client_ip=request.client.host if request.client else "unknown",
        secret=settings.resolved_secret_key(),
    )
    try:
        accounts.check_login_allowed(session, keys)
    except RateLimitedError:
        context = {"next": _safe_next(next), "email": email, "locked": True}
        return page(request, "login.html", context, status_code=429)
    try:
        principal = accounts.authenticate(session, email=email, password=password)
    except AuthenticationError:
        accounts.record_login_failure(session, keys)
        return page(
            request,
            "login.html",
            {"next": _safe_next(next), "email": email, "failed": True},
            status_code=401,
        )
    accounts.clear_login_failures(session, keys)
    login_session(request, principal.user_id)
    return RedirectResponse(_safe_next(next), status_code=303)


@router.post("/logout")
def logout(request: Request, _csrf: CsrfDep) -> Response:
    logout_session(request)
    return RedirectResponse("/login", status_code=303)
