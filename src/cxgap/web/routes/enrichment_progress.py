"""The enrichment progress of a workspace: a fragment other pages include, its JSON, and the
button that queues the enrichment of whatever is pending."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from cxgap.db.tables import Workspace
from cxgap.jobs import enqueue_enrichment, progress_of
from cxgap.services.accounts import Role
from cxgap.web.deps import CsrfDep, SessionDep, UserDep, open_workspace
from cxgap.web.listening_pages import can_edit, is_htmx, stale_seconds
from cxgap.web.render import page

router = APIRouter(prefix="/w/{key}/listening")


@router.get("/enrichment", response_class=HTMLResponse)
def enrichment_progress(request: Request, key: str, session: SessionDep, user: UserDep) -> Response:
    """The progress fragment (other pages include it); it polls itself while a job runs."""
    workspace, role = open_workspace(session, user, key, Role.VIEWER)
    return _progress_fragment(request, session, workspace, role)


@router.get("/enrichment.json")
def enrichment_json(key: str, session: SessionDep, user: UserDep) -> dict[str, Any]:
    workspace, _ = open_workspace(session, user, key, Role.VIEWER)
    shown = progress_of(session, workspace, stale_seconds=stale_seconds())
    return {"workspace": workspace.key, "job": shown.as_dict() if shown else None}


@router.post("/enrichment", response_class=HTMLResponse)
def enrich_now(
    request: Request, key: str, session: SessionDep, user: UserDep, _csrf: CsrfDep
) -> Response:
    """Queue the enrichment of whatever is pending (new feedback, a new model)."""
    workspace, role = open_workspace(session, user, key, Role.ANALYST)
    enqueue_enrichment(session, workspace)
    session.flush()
    if is_htmx(request):
        return _progress_fragment(request, session, workspace, role)
    return RedirectResponse(f"/w/{key}/listening/taxonomy", status_code=303)


def _progress_fragment(
    request: Request, session: SessionDep, workspace: Workspace, role: Role
) -> Response:
    shown = progress_of(session, workspace, stale_seconds=stale_seconds())
    context = {"workspace": workspace, "role": role, "job": shown, "can_edit": can_edit(role)}
    return page(request, "_enrichment_progress.html", context)
