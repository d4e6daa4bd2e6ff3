"""Log in and out; accept an invitation; replace a password someone else chose."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from cxgap import audit
from cxgap.errors import (
    AuthenticationError,
    LoginSlowedDown,
    MemberInvitationError,
    RateLimitedError,
)
from cxgap.services import accounts, invitations, login_throttle, user_sessions
from cxgap.services.sso import passwords_allowed
from cxgap.web.audit_hooks import note
from cxgap.web.deps import CsrfDep, OptionalUserDep, SessionDep, SettingsDep
from cxgap.web.render import page
from cxgap.web.security import (
    clear_browser_session,
    client_address,
    end_user_session,
    start_user_session,
)

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
    keys = login_throttle.login_keys(
        email=email,
        client_ip=request.client.host if request.client else "unknown",
        secret=settings.resolved_secret_key(),
    )
    known = login_throttle.is_known_device(keys, request.cookies.get(login_throttle.DEVICE_COOKIE))
    try:
        login_throttle.check_login_allowed(session, keys, known_device=known)
    except RateLimitedError as refused:
        context = {"next": _safe_next(next), "email": email, "locked": True}
        if isinstance(refused, LoginSlowedDown):
            context = {**context, "locked": False, "slowed": refused.wait_seconds}
        return page(request, "login.html", context, status_code=429)
    try:
        principal = accounts.authenticate(session, email=email, password=password)
    except AuthenticationError:
        login_throttle.record_login_failure(session, keys)
        audit.record_failed_sign_in(
            session,
            email=email,
            secret=settings.resolved_secret_key(),
            method="password",
            address=client_address(request),
        )
        return page(
            request,
            "login.html",
            {"next": _safe_next(next), "email": email, "failed": True},
            status_code=401,
        )
    login_throttle.clear_login_failures(session, keys)
    if not passwords_allowed(session, principal.email):
        # Checked after the password so a refusal does not tell who the administrators are.
        context = {"next": _safe_next(next), "email": email, "passwords_off": True}
        return page(request, "login.html", context, status_code=403)
    if principal.must_change_password:
        # Not signed in yet: the only thing this session may do is choose a new password.
        clear_browser_session(request)
        request.session[PASSWORD_CHANGE_KEY] = principal.user_id
        request.session[PASSWORD_CHANGE_NEXT] = _safe_next(next)
        response = RedirectResponse("/login/password", status_code=303)
    else:
        start_user_session(request, session, principal, settings=settings)
        response = RedirectResponse(_safe_next(next), status_code=303)
    _remember_device(response, keys, secure=settings.secure_cookies)
    return response


def _remember_device(response: Response, keys: login_throttle.LoginKeys, *, secure: bool) -> None:
    """This browser signed in to the account: it is spared the account's slowdown later."""
    response.set_cookie(
        login_throttle.DEVICE_COOKIE,
        keys.device,
        max_age=login_throttle.DEVICE_COOKIE_DAYS * 24 * 3600,
        path="/login",
        secure=secure,
        httponly=True,
        samesite="lax",
    )


PASSWORD_CHANGE_KEY = "password_change_user"
PASSWORD_CHANGE_NEXT = "password_change_next"


def _password_page(
    request: Request, mode: str, status_code: int = 200, **context: object
) -> Response:
    return page(
        request,
        "choose_password.html",
        {"mode": mode, "min_length": accounts.MIN_PASSWORD_LENGTH, **context},
        status_code=status_code,
    )


def _checked_pair(password: str, confirm: str) -> str | None:
    """The reason a new password is refused (a message key), or None."""
    if password != confirm:
        return "mail.password.mismatch"
    if len(password) < accounts.MIN_PASSWORD_LENGTH:
        return "mail.password.too_short"
    return None


def _pending_user(request: Request, session: SessionDep) -> accounts.Principal | None:
    user_id = request.session.get(PASSWORD_CHANGE_KEY)
    return accounts.load_principal(session, user_id) if isinstance(user_id, int) else None


@router.get("/login/password", response_class=HTMLResponse)
def password_required_form(request: Request, session: SessionDep) -> Response:
    pending = _pending_user(request, session)
    if pending is None:
        return RedirectResponse("/login", status_code=303)
    return _password_page(request, "required", email=pending.email)


@router.post("/login/password", response_class=HTMLResponse)
def password_required(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    _csrf: CsrfDep,
    password: Annotated[str, Form(max_length=1000)],
    confirm: Annotated[str, Form(max_length=1000)],
) -> Response:
    pending = _pending_user(request, session)
    if pending is None:
        return RedirectResponse("/login", status_code=303)
    if problem := _checked_pair(password, confirm):
        return _password_page(request, "required", 422, email=pending.email, problem=problem)
    accounts.set_password(session, email=pending.email, password=password)
    user_sessions.end_all(session, user_id=pending.user_id)  # a reset ends every old session
    note(request, session, pending, audit.Action.PASSWORD_CHANGED, details={"reason": "required"})
    target = _safe_next(request.session.get(PASSWORD_CHANGE_NEXT))
    start_user_session(request, session, pending, settings=settings)
    return RedirectResponse(target, status_code=303)


def _invitation_refused(request: Request, exc: MemberInvitationError) -> Response:
    return _password_page(request, "invalid", exc.status_code, reason=exc.reason)


@router.get("/invite/{token}", response_class=HTMLResponse)
def invitation_form(request: Request, token: str, session: SessionDep) -> Response:
    try:
        found = invitations.check_invitation(session, token)
    except MemberInvitationError as exc:
        return _invitation_refused(request, exc)
    return _password_page(request, "invitation", email=found.email, token=token)


@router.post("/invite/{token}", response_class=HTMLResponse)
def accept_invitation(
    request: Request,
    token: str,
    session: SessionDep,
    settings: SettingsDep,
    _csrf: CsrfDep,
    password: Annotated[str, Form(max_length=1000)],
    confirm: Annotated[str, Form(max_length=1000)],
) -> Response:
    """Choose the first password; the link then dies and the invitee is signed in."""
    try:
        found = invitations.check_invitation(session, token)
    except MemberInvitationError as exc:
        return _invitation_refused(request, exc)
    if problem := _checked_pair(password, confirm):
        context = {"email": found.email, "token": token, "problem": problem}
        return _password_page(request, "invitation", 422, **context)
    principal = invitations.accept_invitation(session, token=token, password=password)
    note(
        request, session, principal, audit.Action.PASSWORD_CHANGED, details={"reason": "invitation"}
    )
    start_user_session(request, session, principal, settings=settings, method="invitation")
    target = f"/w/{found.workspace_key}" if found.workspace_key else "/"
    return RedirectResponse(target, status_code=303)


@router.post("/logout")
def logout(request: Request, session: SessionDep, _csrf: CsrfDep) -> Response:
    """End this browser's session on the server: a copied cookie stops working too."""
    if (user_id := end_user_session(request, session)) is not None:
        note(request, session, accounts.load_principal(session, user_id), audit.Action.SIGN_OUT)
    return RedirectResponse("/login", status_code=303)
