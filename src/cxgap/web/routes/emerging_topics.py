"""Emerging topics: clusters of feedback no topic covers, computed by an ``emerging`` job and
read instantly; analysts adopt one as a topic (``routes/taxonomy.py``) or recompute them."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from cxgap.db.tables import Workspace
from cxgap.jobs import EMERGING, progress_of, queue_emerging
from cxgap.services import emerging
from cxgap.services.accounts import Role
from cxgap.services.workspaces import pillars_of
from cxgap.web.deps import CsrfDep, CxDep, SessionDep, UserDep, open_workspace
from cxgap.web.listening_pages import can_edit, is_htmx, touchpoint_context
from cxgap.web.render import page

router = APIRouter(prefix="/w/{key}/listening")


@router.get("/emerging", response_class=HTMLResponse)
def emerging_page(
    request: Request, key: str, session: SessionDep, user: UserDep, cx: CxDep
) -> Response:
    """The stored emerging topics (computed in the background), read instantly."""
    workspace, role = open_workspace(session, user, key, Role.VIEWER)
    context = _emerging_context(session, workspace, role)
    context.update(user=user, pillars=pillars_of(session, workspace))
    context.update(touchpoint_context(request, session, workspace))
    return page(request, "emerging.html", context)


@router.get("/emerging/status", response_class=HTMLResponse)
def emerging_status(
    request: Request, key: str, session: SessionDep, user: UserDep, cx: CxDep
) -> Response:
    """The "computing…" fragment, polled by htmx; once done, it has the page reloaded."""
    workspace, role = open_workspace(session, user, key, Role.VIEWER)
    context = _emerging_context(session, workspace, role)
    response = page(request, "_emerging_status.html", context)
    if not context["computing"]:
        response.headers["HX-Refresh"] = "true"
    return response


@router.post("/emerging/recompute", response_class=HTMLResponse)
def emerging_recompute(
    request: Request, key: str, session: SessionDep, user: UserDep, cx: CxDep, _csrf: CsrfDep
) -> Response:
    """Queue the recomputation of the emerging topics (analysts); the page polls meanwhile."""
    workspace, role = open_workspace(session, user, key, Role.ANALYST)
    queue_emerging(session, workspace.id, requested_by_id=user.user_id)
    session.flush()
    if is_htmx(request):
        context = _emerging_context(session, workspace, role)
        return page(request, "_emerging_status.html", context)
    return RedirectResponse(f"/w/{key}/listening/emerging", status_code=303)


@router.get("/emerging.json")
def emerging_json(key: str, session: SessionDep, user: UserDep, cx: CxDep) -> dict[str, Any]:
    workspace, _ = open_workspace(session, user, key, Role.VIEWER)
    stored = emerging.load_stored(session, workspace)
    fresh = emerging.freshness(session, workspace, stored) if stored else None
    return {
        "workspace": workspace.key,
        "computing": _computing(session, workspace),
        "computed_at": stored.computed_at.isoformat() if stored else None,
        "version": stored.version if stored else None,
        "new_feedback": fresh.new_feedback if fresh else None,
        "version_changed": fresh.version_changed if fresh else None,
        "stale": fresh.stale if fresh else None,
        "clusters": [c.as_dict() for c in stored.shown] if stored else [],
    }


def _emerging_context(session: SessionDep, workspace: Workspace, role: Role) -> dict[str, Any]:
    stored = emerging.load_stored(session, workspace)
    return {
        "workspace": workspace,
        "role": role,
        "can_edit": can_edit(role),
        "stored": stored,
        "fresh": emerging.freshness(session, workspace, stored) if stored else None,
        "clusters": stored.shown if stored else [],
        "computing": _computing(session, workspace),
    }


def _computing(session: SessionDep, workspace: Workspace) -> bool:
    """An emerging job of the workspace waits or runs (or its worker died: the next resumes)."""
    job = progress_of(session, workspace, kind=EMERGING)
    return job is not None and job.active
