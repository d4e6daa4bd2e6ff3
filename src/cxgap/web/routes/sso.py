"""Sign in with the company's identity provider, and the instance's SSO settings page."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, FastAPI, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from cxgap import audit
from cxgap.errors import CxgapError, NoRole, PermissionDeniedError, SsoError
from cxgap.services import sso as sso_accounts
from cxgap.services.core import Cxgap
from cxgap.services.workspaces import list_workspaces
from cxgap.sso import flow
from cxgap.sso.settings import is_configured, oidc_config
from cxgap.web.audit_hooks import note
from cxgap.web.deps import CsrfDep, SessionDep, SettingsDep, UserDep
from cxgap.web.render import locale_of, page
from cxgap.web.security import client_address, start_user_session
from cxgap.web.sso_redaction import install_callback_redaction

router = APIRouter()

PENDING_KEY = "sso_pending"
CALLBACK_PATH = "/sso/callback"


def _safe_next(target: str | None) -> str:
    if target and target.startswith("/") and not target.startswith("//"):
        return target
    return "/"


def login_options(request: Request) -> dict[str, Any]:
    """What the login page offers: the provider's button, and whether passwords still work."""
    cx: Cxgap = request.app.state.cx
    with cx.reading() as session:
        local = sso_accounts.local_passwords_on(session)
    configured = is_configured(cx.settings)
    return {
        "sso_name": cx.settings.oidc_name if configured else None,
        # Without a provider, turning passwords off would lock everyone out: they stay on.
        "local_passwords": local or not configured,
    }


def install(app: FastAPI) -> None:
    """Let the login template ask for its options (auth.py's routes stay as they are), and
    keep the provider's answers out of the access log."""
    app.state.templates.env.globals["sso_login_options"] = login_options
    install_callback_redaction()


def _redirect_uri(request: Request, public_url: str) -> str:
    base = public_url or str(request.base_url).rstrip("/")
    return base + CALLBACK_PATH


def _refused(request: Request, exc: CxgapError) -> Response:
    context = {"sso_error": exc, "next": "/"}
    return page(request, "login.html", context, status_code=exc.status_code)


@router.get("/sso/start")
def sso_start(request: Request, settings: SettingsDep, next: str | None = None) -> Response:
    try:
        pending, url = flow.begin(
            oidc_config(settings),
            redirect_uri=_redirect_uri(request, settings.public_url),
            next_path=_safe_next(next),
            locale=locale_of(request),
        )
    except SsoError as exc:
        return _refused(request, exc)
    request.session[PENDING_KEY] = pending.as_dict()
    return RedirectResponse(url, status_code=303)


@router.get(CALLBACK_PATH)
def sso_callback(request: Request, session: SessionDep, settings: SettingsDep) -> Response:
    # One use: a replayed answer finds no pending sign-in.
    pending = flow.PendingSignIn.from_dict(request.session.pop(PENDING_KEY, None))
    params = {k: v for k, v in request.query_params.items() if isinstance(v, str)}
    try:
        identity = flow.finish(oidc_config(settings), pending, params)
        outcome = sso_accounts.sign_in(session, identity)
    except SsoError as exc:
        return _refused(request, exc)
    except CxgapError as exc:  # an account linked to another subject
        return _refused(request, exc)
    if not outcome.has_access:
        # The account is kept (an administrator can now add it) but opens nothing yet.
        audit.record_failed_sign_in(
            session,
            email=outcome.principal.email,
            secret=settings.resolved_secret_key(),
            method="sso",
            address=client_address(request),
        )
        return _refused(request, NoRole("You have no access to any workspace yet"))
    # The server-side session and the auth.sign_in audit event, as a password sign-in gets.
    start_user_session(request, session, outcome.principal, settings=settings, method="sso")
    target = pending.next if pending else "/"
    return RedirectResponse(_safe_next(target), status_code=303)


def _require_instance_admin(user: Any) -> None:
    if not user.is_superuser:
        raise PermissionDeniedError(
            "Only an instance administrator can change single sign-on"
        ).keyed("sso.settings.admins_only")


def _settings_page(
    request: Request, session: SessionDep, settings: SettingsDep, **extra: object
) -> Response:
    context = {
        "configured": is_configured(settings),
        "provider_name": settings.oidc_name,
        "issuer": settings.oidc_issuer,
        "callback": _redirect_uri(request, settings.public_url),
        "policy": sso_accounts.get_policy(session),
        "mappings": sso_accounts.list_group_roles(session),
        "workspaces": list_workspaces(session),
        "roles": ("viewer", "analyst", "admin"),
        **extra,
    }
    return page(request, "sso_settings.html", context)


@router.get("/admin/sso", response_class=HTMLResponse)
def sso_settings(
    request: Request, session: SessionDep, settings: SettingsDep, user: UserDep
) -> Response:
    _require_instance_admin(user)
    return _settings_page(request, session, settings, saved=request.query_params.get("saved"))


@router.post("/admin/sso/policy")
def save_policy(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    user: UserDep,
    _csrf: CsrfDep,
    new_user_workspace: Annotated[str, Form(max_length=64)] = "",
    new_user_role: Annotated[str, Form(max_length=16)] = "none",
    local_passwords: Annotated[str, Form(max_length=3)] = "",
) -> Response:
    _require_instance_admin(user)
    turn_off = local_passwords != "on"
    if turn_off and not is_configured(settings):
        raise SsoError(
            "Passwords cannot be turned off before an identity provider is configured"
        ).keyed("sso.error.passwords_need_provider")
    sso_accounts.set_policy(
        session,
        local_passwords=not turn_off,
        new_user_workspace=new_user_workspace,
        new_user_role=new_user_role,
    )
    details = {"local_passwords": not turn_off, "new_user_role": new_user_role}
    note(request, session, user, audit.Action.SSO_POLICY_CHANGED, details=details)
    return RedirectResponse("/admin/sso?saved=policy", status_code=303)


@router.post("/admin/sso/mappings")
def add_mapping(
    request: Request,
    session: SessionDep,
    user: UserDep,
    _csrf: CsrfDep,
    group: Annotated[str, Form(max_length=200)],
    workspace: Annotated[str, Form(max_length=64)],
    role: Annotated[str, Form(max_length=16)],
) -> Response:
    _require_instance_admin(user)
    sso_accounts.set_group_role(session, group=group, workspace=workspace, role=role)
    details = {"group_mapping": "added", "workspace": workspace, "role": role}
    note(request, session, user, audit.Action.SSO_POLICY_CHANGED, details=details)
    return RedirectResponse("/admin/sso?saved=mapping", status_code=303)


@router.post("/admin/sso/mappings/delete")
def delete_mapping(
    request: Request,
    session: SessionDep,
    user: UserDep,
    _csrf: CsrfDep,
    group: Annotated[str, Form(max_length=200)],
    workspace: Annotated[str, Form(max_length=64)],
) -> Response:
    _require_instance_admin(user)
    sso_accounts.remove_group_role(session, group=group, workspace=workspace)
    details = {"group_mapping": "removed", "workspace": workspace}
    note(request, session, user, audit.Action.SSO_POLICY_CHANGED, details=details)
    return RedirectResponse("/admin/sso?saved=removed", status_code=303)
