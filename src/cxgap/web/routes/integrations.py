"""A workspace's integrations page (admins): API tokens and outgoing webhooks."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from cxgap import audit
from cxgap.db.tables import Workspace
from cxgap.errors import ValidationError
from cxgap.services import api_tokens
from cxgap.services.accounts import Principal, Role
from cxgap.web.audit_hooks import note, note_deletion
from cxgap.web.deps import CsrfDep, SessionDep, UserDep, open_workspace
from cxgap.web.render import page
from cxgap.webhooks import store as webhooks

router = APIRouter(prefix="/w/{key}/integrations")
ROLES = [r.value for r in (Role.VIEWER, Role.ANALYST, Role.ADMIN)]


def _render(
    request: Request,
    session: Session,
    user: Principal,
    workspace: Workspace,
    status_code: int = 200,
    **extra: Any,
) -> Response:
    context = {
        "user": user,
        "workspace": workspace,
        "role": Role.ADMIN.value,
        "roles": ROLES,
        "events": webhooks.EVENTS,
        "tokens": api_tokens.workspace_tokens(session, workspace=workspace, principal=user),
        "webhooks": webhooks.webhooks_of(session, workspace),
        "deliveries": webhooks.recent_deliveries(session, workspace),
    }
    return page(request, "integrations.html", context | extra, status_code=status_code)


@router.get("", response_class=HTMLResponse)
def integrations(request: Request, key: str, session: SessionDep, user: UserDep) -> Response:
    workspace, _ = open_workspace(session, user, key, Role.ADMIN)
    return _render(request, session, user, workspace)


@router.post("/tokens", response_class=HTMLResponse)
def new_token(
    request: Request,
    key: str,
    session: SessionDep,
    user: UserDep,
    _csrf: CsrfDep,
    name: Annotated[str, Form(max_length=100)],
    role: Annotated[str, Form(max_length=16)],
) -> Response:
    workspace, _ = open_workspace(session, user, key, Role.ADMIN)
    token = api_tokens.create_workspace_token(
        session, workspace=workspace, principal=user, name=name, role=role
    )
    note(request, session, user, audit.Action.TOKEN_CREATED, workspace=workspace,
         target=audit.Target("api_token"), details={"role": role})  # fmt: skip
    return _render(request, session, user, workspace, new_token=token, new_token_name=name)


@router.post("/tokens/{token_id}/revoke", response_class=HTMLResponse)
def revoke_token(
    request: Request, key: str, token_id: int, session: SessionDep, user: UserDep, _csrf: CsrfDep
) -> Response:
    workspace, _ = open_workspace(session, user, key, Role.ADMIN)
    api_tokens.revoke_token(session, workspace=workspace, principal=user, token_id=token_id)
    note_deletion(request, session, user, workspace, audit.Target("api_token", token_id))
    return _render(request, session, user, workspace, flash_key="api.tokens.revoked")


@router.post("/webhooks", response_class=HTMLResponse)
async def new_webhook(
    request: Request, key: str, session: SessionDep, user: UserDep, _csrf: CsrfDep
) -> Response:
    form = await request.form()
    url = str(form.get("url") or "")[: webhooks.MAX_URL + 1]
    events = [str(e) for e in form.getlist("events")][:10]
    workspace, _ = open_workspace(session, user, key, Role.ADMIN)
    try:
        created = webhooks.add_webhook(session, workspace=workspace, url=url, events=events)
    except ValidationError as refused:  # said next to the form, the typed values kept
        fields = sorted({p.field for p in refused.problems})
        return _render(
            request, session, user, workspace, webhook_refused=fields, typed_url=url,
            typed_events=events, status_code=422,
        )  # fmt: skip
    return _render(request, session, user, workspace, new_webhook=created)


@router.post("/webhooks/{webhook_id}/remove", response_class=HTMLResponse)
def remove_webhook(
    request: Request,
    key: str,
    webhook_id: int,
    session: SessionDep,
    user: UserDep,
    _csrf: CsrfDep,
) -> Response:
    workspace, _ = open_workspace(session, user, key, Role.ADMIN)
    webhooks.remove_webhook(session, workspace=workspace, webhook_id=webhook_id)
    note_deletion(request, session, user, workspace, audit.Target("webhook", webhook_id))
    return _render(request, session, user, workspace, flash_key="api.webhooks.removed")
