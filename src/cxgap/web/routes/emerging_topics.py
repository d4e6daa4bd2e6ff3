"""Emerging topics: clusters of feedback no topic covers, computed in the background and
read instantly; analysts adopt one as a topic (``routes/taxonomy.py``) or recompute them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from cxgap.db.tables import Workspace
from cxgap.services import emerging
from cxgap.services.accounts import Role
from cxgap.services.workspaces import pillars_of
from cxgap.text.protocols import Embedder
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
    context = _emerging_context(session, workspace, role, cx.settings.data_dir)
    context.update(user=user, pillars=pillars_of(session, workspace))
    context.update(touchpoint_context(request, session, workspace))
    return page(request, "emerging.html", context)


@router.get("/emerging/status", response_class=HTMLResponse)
def emerging_status(
    request: Request, key: str, session: SessionDep, user: UserDep, cx: CxDep
) -> Response:
    """The "computing…" fragment, polled by htmx; once done, it has the page reloaded."""
    workspace, role = open_workspace(session, user, key, Role.VIEWER)
    context = _emerging_context(session, workspace, role, cx.settings.data_dir)
    response = page(request, "_emerging_status.html", context)
    if not context["computing"]:
        response.headers["HX-Refresh"] = "true"
    return response


@router.post("/emerging/recompute", response_class=HTMLResponse)
def emerging_recompute(
    request: Request, key: str, session: SessionDep, user: UserDep, cx: CxDep, _csrf: CsrfDep
) -> Response:
    """Recompute the emerging topics in the background (analysts); the page polls meanwhile."""
    workspace, role = open_workspace(session, user, key, Role.ANALYST)
    app = request.app
    emerging.recompute_in_background(
        cx.sessions, workspace, cx.settings.data_dir, lambda: _app_embedder(app)
    )
    if is_htmx(request):
        context = _emerging_context(session, workspace, role, cx.settings.data_dir)
        return page(request, "_emerging_status.html", context)
    return RedirectResponse(f"/w/{key}/listening/emerging", status_code=303)


@router.get("/emerging.json")
def emerging_json(key: str, session: SessionDep, user: UserDep, cx: CxDep) -> dict[str, Any]:
    workspace, _ = open_workspace(session, user, key, Role.VIEWER)
    data_dir = cx.settings.data_dir
    stored = emerging.load_stored(data_dir, workspace)
    fresh = emerging.freshness(session, workspace, stored) if stored else None
    return {
        "workspace": workspace.key,
        "computing": emerging.is_computing(data_dir, workspace),
        "computed_at": stored.computed_at.isoformat() if stored else None,
        "version": stored.version if stored else None,
        "new_feedback": fresh.new_feedback if fresh else None,
        "version_changed": fresh.version_changed if fresh else None,
        "stale": fresh.stale if fresh else None,
        "clusters": [c.as_dict() for c in stored.shown] if stored else [],
    }


def _emerging_context(
    session: SessionDep, workspace: Workspace, role: Role, data_dir: Path
) -> dict[str, Any]:
    stored = emerging.load_stored(data_dir, workspace)
    return {
        "workspace": workspace,
        "role": role,
        "can_edit": can_edit(role),
        "stored": stored,
        "fresh": emerging.freshness(session, workspace, stored) if stored else None,
        "clusters": stored.shown if stored else [],
        "computing": emerging.is_computing(data_dir, workspace),
    }


def _app_embedder(app: Any) -> Embedder:
    """The app's embedder (a test may set one), else the process's bundled model."""
    embedder: Embedder | None = getattr(app.state, "embedder", None)
    if embedder is None:
        embedder = emerging.default_embedder()
        app.state.embedder = embedder
    return embedder
