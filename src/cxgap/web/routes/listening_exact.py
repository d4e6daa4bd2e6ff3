"""The "Exact figures" button of a broad Listening search: it asks the ``exact_figures`` job
for the page's figures (a job of the same filters already waiting or running is reused) and
goes back to the page, which shows the job's progress until its figures are stored; the
progress fragment the page polls tells htmx to reload the page once they are.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from cxgap import jobs
from cxgap.errors import NotFoundError
from cxgap.services import listening
from cxgap.services.accounts import Role
from cxgap.services.listening_exact import Target, exact_filters
from cxgap.web.deps import CsrfDep, SessionDep, SettingsDep, UserDep, open_workspace
from cxgap.web.listening_exact import is_ready, page_url
from cxgap.web.render import page

router = APIRouter(prefix="/w/{key}/listening/exact")


@router.post("")
def ask_exact_figures(
    request: Request,
    key: str,
    session: SessionDep,
    user: UserDep,
    settings: SettingsDep,
    _csrf: CsrfDep,
    page_name: Annotated[str, Query(alias="page", max_length=16)] = "explorer",
    grain: Annotated[str | None, Query(max_length=8)] = None,
    level: Annotated[str | None, Query(max_length=8)] = None,
) -> Response:
    """Queue (or reuse) the job computing the page's exact figures; back to the page."""
    workspace, _ = open_workspace(session, user, key, Role.VIEWER)
    filters = listening.parse_filters(request.query_params)
    target = Target.of(
        {
            "page": page_name,
            "grain": listening.parse_grain(grain),
            "level": level,
            "min_group_size": settings.min_group_size,
        }
    )
    whole = exact_filters(session, workspace, filters)
    jobs.request_exact_figures(session, workspace, whole, target, requested_by_id=user.user_id)
    return RedirectResponse(page_url(workspace, filters, target), status_code=303)


@router.get("/{job_id}", response_class=HTMLResponse)
def exact_figures_progress(
    request: Request,
    key: str,
    job_id: int,
    session: SessionDep,
    user: UserDep,
    target: Annotated[str, Query(max_length=64)] = "explorer",
) -> Response:
    """The progress fragment the page polls; once the page's figures are stored (or the job
    ended), ``HX-Refresh`` reloads the page, which then shows them (or the error)."""
    workspace, role = open_workspace(session, user, key, Role.VIEWER)
    state = jobs.exact_job_by_id(
        session, workspace, job_id, stale_seconds=jobs.QueueSettings.from_env().stale_seconds
    )
    if state is None:
        raise NotFoundError(f"No exact-figures job {job_id} in workspace {workspace.key!r}")
    ready = is_ready(state, target)
    context = {
        "workspace": workspace,
        "exact_job": state,
        "exact_status": f"/w/{workspace.key}/listening/exact/{job_id}?target={target}",
        "exact_ready": ready,
        "exact_jobs_link": f"/w/{workspace.key}/jobs" if role.level >= Role.ANALYST.level else "",
    }
    response = page(request, "_listening_exact_progress.html", context)
    if ready:
        response.headers["HX-Refresh"] = "true"
    return response
