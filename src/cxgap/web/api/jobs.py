"""A workspace's background jobs: list, read one, retry, cancel (what its jobs page shows)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query, Request
from pydantic import BaseModel, Field

from cxgap import audit, jobs
from cxgap.errors import NotFoundError
from cxgap.services.accounts import Role
from cxgap.web.api.deps import CallerDep, open_workspace
from cxgap.web.api.errors import error_responses
from cxgap.web.api.fields import MAX_ID
from cxgap.web.audit_hooks import note
from cxgap.web.deps import SessionDep

router = APIRouter(prefix="/api/v1")

JobId = Annotated[int, Path(ge=1, le=MAX_ID, description="The job's id")]
Status = Literal["queued", "waiting", "running", "stalled", "failed", "cancelled", "done"]
Kind = Literal[
    "enrich",
    "mail",
    "report",
    "webhooks",
    "purge",
    "case_breaches",
    "case_mail",
    "case_recovery",
    "action_reminders",
    "ownership_alerts",
    "ownership_digest",
    "executive_report",
    "executive_schedule",
]


class JobOut(BaseModel):
    id: int
    kind: str = Field(description="enrich, mail, report, webhooks, purge…")
    status: Status = Field(
        description="waiting: queued until run_after (a retry's backoff); stalled: its worker "
        "stopped sending heartbeats, another resumes it"
    )
    stage: str = Field(description="A short word for the step it is at")
    done: int
    total: int
    share: float = Field(description="done / total, 0 to 1")
    rate_per_second: float | None
    eta_seconds: int | None
    error: str = Field(description="Why it failed (its last attempt's error): type and message")
    attempts: int
    max_attempts: int
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    run_after: datetime | None
    result: dict[str, Any] | None = Field(description="What it produced (counts, a file…)")
    requested_by_id: int | None = Field(description="The user who queued it (null: cxgap)")


class JobsOut(BaseModel):
    items: list[JobOut]


def _out(row: jobs.JobRow) -> JobOut:
    return JobOut.model_validate(row.as_dict())


@router.get(
    "/workspaces/{key}/jobs",
    response_model=JobsOut,
    tags=["jobs"],
    operation_id="list_jobs",
    responses=error_responses(),
)
def list_jobs(
    key: str,
    session: SessionDep,
    caller: CallerDep,
    status: Annotated[Status | None, Query(description="Only jobs in this status")] = None,
    kind: Annotated[Kind | None, Query(description="Only jobs of this kind")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> JobsOut:
    """The workspace's newest jobs first (analysts and admins)."""
    workspace, _ = open_workspace(session, caller, key, Role.ANALYST)
    rows = jobs.job_rows(
        session,
        workspace_id=workspace.id,
        statuses=[status] if status else [],
        kinds=[kind] if kind else [],
        limit=limit,
        stale_seconds=jobs.QueueSettings.from_env().stale_seconds,
    )
    return JobsOut(items=[_out(row) for row in rows])


@router.get(
    "/workspaces/{key}/jobs/{job_id}",
    response_model=JobOut,
    tags=["jobs"],
    operation_id="get_job",
    responses=error_responses(),
)
def get_job(key: str, job_id: JobId, session: SessionDep, caller: CallerDep) -> JobOut:
    """One job of the workspace: poll it to follow its progress."""
    workspace, _ = open_workspace(session, caller, key, Role.ANALYST)
    return _out(_row(session, workspace.id, job_id))


@router.post(
    "/workspaces/{key}/jobs/{job_id}/retry",
    response_model=JobOut,
    tags=["jobs"],
    operation_id="retry_job",
    responses=error_responses(409),
)
def retry_job(
    request: Request, key: str, job_id: JobId, session: SessionDep, caller: CallerDep
) -> JobOut:
    """Queue a failed or cancelled job again; it resumes where it stopped (409 otherwise)."""
    workspace, _ = open_workspace(session, caller, key, Role.ANALYST)
    job = jobs.retry(session, job_id, workspace_id=workspace.id)
    note(request, session, caller.principal, audit.Action.JOB_RETRIED, workspace=workspace,
         target=audit.Target("job", job_id), details={"kind": job.kind, "via": "api"})  # fmt: skip
    session.flush()
    return _out(_row(session, workspace.id, job_id))


@router.post(
    "/workspaces/{key}/jobs/{job_id}/cancel",
    response_model=JobOut,
    tags=["jobs"],
    operation_id="cancel_job",
    responses=error_responses(409),
)
def cancel_job(
    request: Request, key: str, job_id: JobId, session: SessionDep, caller: CallerDep
) -> JobOut:
    """Cancel a waiting job now, or ask a running one to stop at its next step (409 for a
    job already finished)."""
    workspace, _ = open_workspace(session, caller, key, Role.ANALYST)
    job = jobs.cancel(session, job_id, workspace_id=workspace.id)
    note(request, session, caller.principal, audit.Action.JOB_CANCELLED, workspace=workspace,
         target=audit.Target("job", job_id), details={"kind": job.kind, "via": "api"})  # fmt: skip
    session.flush()
    return _out(_row(session, workspace.id, job_id))


def _row(session: SessionDep, workspace_id: int, job_id: int) -> jobs.JobRow:
    row = jobs.job_row(
        session,
        job_id,
        workspace_id=workspace_id,
        stale_seconds=jobs.QueueSettings.from_env().stale_seconds,
    )
    if row is None:
        raise NotFoundError(f"No job {job_id} in this workspace")
    return row
