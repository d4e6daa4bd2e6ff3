"""The jobs pages: a workspace's background work (analysts and admins) and the instance's
(instance admins): running with progress, waiting, failed with the reason; retry and cancel.

Viewers do not see it: a job's error and its requester are working details, not results.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from cxgap import audit, jobs
from cxgap.db.tables import Workspace
from cxgap.errors import NotFoundError, PermissionDeniedError
from cxgap.services.accounts import Principal, Role
from cxgap.web.audit_hooks import note
from cxgap.web.deps import CsrfDep, SessionDep, UserDep, open_workspace
from cxgap.web.render import page

router = APIRouter()
ACTIONS = {"retry": audit.Action.JOB_RETRIED, "cancel": audit.Action.JOB_CANCELLED}
StatusQuery = Annotated[list[str], Query(max_length=16)]
KindQuery = Annotated[list[str], Query(max_length=32)]


def _instance_admin(user: Principal) -> None:
    if not user.is_superuser:
        raise PermissionDeniedError("Only an instance administrator sees every job").keyed(
            "jobops.admins_only"
        )


def _page(
    request: Request,
    session: SessionDep,
    *,
    workspace: Workspace | None,
    context: dict[str, object],
    status: list[str],
    kind: list[str],
) -> Response:
    known = sorted(jobs.job_kinds())
    statuses, kinds = jobs.parse_filters(status, kind, known)
    rows = jobs.job_rows(
        session,
        workspace_id=workspace.id if workspace else None,
        all_workspaces=workspace is None,
        statuses=statuses,
        kinds=kinds,
        stale_seconds=jobs.QueueSettings.from_env().stale_seconds,
    )
    base = f"/w/{workspace.key}/jobs" if workspace else "/admin/jobs"
    full = {
        "rows": rows,
        "active": any(row.progress.active for row in rows),
        "base": base,
        "statuses": jobs.SHOWN_STATUSES,
        "kinds": known,
        "asked": {"status": statuses, "kind": kinds},
        "workspace": workspace,
        **context,
    }
    return page(request, "jobs.html", full)


@router.get("/w/{key}/jobs", response_class=HTMLResponse)
def workspace_jobs(
    request: Request,
    key: str,
    session: SessionDep,
    user: UserDep,
    status: StatusQuery = [],  # noqa: B006 (FastAPI copies defaults)
    kind: KindQuery = [],  # noqa: B006
) -> Response:
    workspace, role = open_workspace(session, user, key, Role.ANALYST)
    context: dict[str, object] = {"user": user, "role": role}
    return _page(request, session, workspace=workspace, context=context, status=status, kind=kind)


@router.post("/w/{key}/jobs/{job_id}/{action}")
def workspace_job_action(
    request: Request,
    key: str,
    job_id: int,
    action: str,
    session: SessionDep,
    user: UserDep,
    _csrf: CsrfDep,
) -> Response:
    """Retry a failed or cancelled job, or cancel a waiting or running one (audited)."""
    workspace, _ = open_workspace(session, user, key, Role.ANALYST)
    _act(request, session, user, job_id, action, workspace=workspace)
    return RedirectResponse(f"/w/{workspace.key}/jobs", status_code=303)


@router.get("/admin/jobs", response_class=HTMLResponse)
def instance_jobs(
    request: Request,
    session: SessionDep,
    user: UserDep,
    status: StatusQuery = [],  # noqa: B006
    kind: KindQuery = [],  # noqa: B006
) -> Response:
    _instance_admin(user)
    context: dict[str, object] = {"user": user, "role": None}
    return _page(request, session, workspace=None, context=context, status=status, kind=kind)


@router.post("/admin/jobs/{job_id}/{action}")
def instance_job_action(
    request: Request, job_id: int, action: str, session: SessionDep, user: UserDep, _csrf: CsrfDep
) -> Response:
    _instance_admin(user)
    _act(request, session, user, job_id, action, workspace=None)
    return RedirectResponse("/admin/jobs", status_code=303)


def _act(
    request: Request,
    session: SessionDep,
    user: Principal,
    job_id: int,
    action: str,
    *,
    workspace: Workspace | None,
) -> None:
    if action not in ACTIONS:
        raise NotFoundError(f"No action {action!r} for job {job_id}")
    workspace_id = workspace.id if workspace else None
    job = jobs.retry if action == "retry" else jobs.cancel
    changed = job(session, job_id, workspace_id=workspace_id)
    note(
        request,
        session,
        user,
        ACTIONS[action],
        workspace=workspace,
        target=audit.Target("job", job_id),
        details={"kind": changed.kind},
    )
