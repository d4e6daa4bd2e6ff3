"""Jobs as people follow them: the progress of one job (status, share, rate, time left),
the jobs of a workspace or of the instance, the counts by status. Reads only."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from cxgap.db.tables import Job, Workspace, utcnow
from cxgap.jobs.store import ENRICH


@dataclass(frozen=True)
class JobProgress:
    """What a person watching a job wants to know (the HTML fragment, the JSON, the jobs page)."""

    id: int
    kind: str
    workspace_id: int | None
    status: str  # queued | running | done | failed | cancelled | stalled | waiting
    stage: str
    done: int
    total: int
    rate: float | None  # units per second
    eta_seconds: float | None
    error: str
    attempts: int
    max_attempts: int
    cancel_requested: bool
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    run_after: datetime | None
    result: Mapping[str, object] | None

    @property
    def share(self) -> float:
        return self.done / self.total if self.total else (1.0 if self.status == "done" else 0.0)

    @property
    def active(self) -> bool:
        return self.status in ("queued", "running", "stalled", "waiting")

    @property
    def retryable(self) -> bool:
        return self.status in ("failed", "cancelled")

    @property
    def cancellable(self) -> bool:
        return self.status in ("queued", "waiting", "running", "stalled")

    def as_dict(self) -> dict[str, object]:
        return {
            "id": self.id,
            "kind": self.kind,
            "status": self.status,
            "stage": self.stage,
            "done": self.done,
            "total": self.total,
            "share": round(self.share, 4),
            "rate_per_second": None if self.rate is None else round(self.rate, 2),
            "eta_seconds": None if self.eta_seconds is None else round(self.eta_seconds),
            "error": self.error,
            "attempts": self.attempts,
            "max_attempts": self.max_attempts,
            "created_at": self.created_at.isoformat(),
            "started_at": self.started_at.isoformat() if self.started_at else None,
            "finished_at": self.finished_at.isoformat() if self.finished_at else None,
            "run_after": self.run_after.isoformat() if self.run_after else None,
            "result": dict(self.result) if self.result is not None else None,
        }


def list_jobs(
    session: Session,
    *,
    workspace_id: int | None = None,
    all_workspaces: bool = False,
    statuses: Iterable[str] | None = None,
    kinds: Iterable[str] | None = None,
    limit: int = 100,
    stale_seconds: int = 120,
) -> list[JobProgress]:
    """The newest jobs first: of one workspace, or (``all_workspaces``) of the instance."""
    query = select(Job)
    if not all_workspaces:
        query = query.where(_same_workspace(workspace_id))
    if statuses is not None:
        query = query.where(Job.status.in_(list(statuses)))
    if kinds is not None:
        query = query.where(Job.kind.in_(list(kinds)))
    rows = session.scalars(query.order_by(Job.id.desc()).limit(limit))
    return [job_progress(job, stale_seconds=stale_seconds) for job in rows]


def count_by_status(session: Session, *, workspace_id: int | None = None) -> dict[str, int]:
    query = select(Job.status, func.count()).group_by(Job.status)
    if workspace_id is not None:
        query = query.where(Job.workspace_id == workspace_id)
    return {status: int(n) for status, n in session.execute(query)}


def progress_of(
    session: Session, workspace: Workspace, *, stale_seconds: int = 120, kind: str = ENRICH
) -> JobProgress | None:
    """The job of this kind to show for the workspace: the one running, else the newest."""
    jobs = list(
        session.scalars(
            select(Job)
            .where(Job.workspace_id == workspace.id, Job.kind == kind)
            .order_by(Job.id.desc())
            .limit(5)
        )
    )
    if not jobs:
        return None
    running = [j for j in jobs if j.status == "running"]
    return job_progress(running[0] if running else jobs[0], stale_seconds=stale_seconds)


def job_progress(job: Job, *, stale_seconds: int = 120) -> JobProgress:
    now = utcnow()
    status = job.status
    if (
        status == "running"
        and job.heartbeat_at is not None
        and now - job.heartbeat_at > timedelta(seconds=stale_seconds)
    ):
        status = "stalled"  # its worker died; the next worker resumes it
    elif status == "queued" and job.run_after is not None and job.run_after > now:
        status = "waiting"  # a retry after a failure, or a scheduled run
    rate = eta = None
    if job.started_at is not None and job.heartbeat_at is not None and job.done:
        seconds = (job.heartbeat_at - job.started_at).total_seconds()
        if seconds > 0:
            rate = job.done / seconds
            eta = max(job.total - job.done, 0) / rate if status == "running" else None
    return JobProgress(
        id=job.id,
        kind=job.kind,
        workspace_id=job.workspace_id,
        status=status,
        stage=job.stage,
        done=job.done,
        total=job.total,
        rate=rate,
        eta_seconds=eta,
        error=job.error,
        attempts=job.attempts,
        max_attempts=job.max_attempts,
        cancel_requested=job.cancel_requested,
        created_at=job.created_at,
        started_at=job.started_at,
        finished_at=job.finished_at,
        run_after=job.run_after,
        result=job.result,
    )


def _same_workspace(workspace_id: int | None) -> Any:
    return Job.workspace_id.is_(None) if workspace_id is None else Job.workspace_id == workspace_id
