"""Enrichment jobs in the database: enqueue, claim atomically, heartbeat, finish, progress.

A claimed job holds a *lease*: the heartbeat time its worker last wrote. Every later write of
that worker is conditional on the lease still being its own, so when a worker is presumed
dead (no heartbeat for ``stale_seconds``) and another resumes the job, the first one's next
write fails with :class:`JobTakenOver` and its batch rolls back instead of counting twice.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Select, event, or_, select, update
from sqlalchemy.orm import Session, aliased, sessionmaker

from cxgap.db.tables import EnrichmentJob, Workspace, utcnow
from cxgap.errors import CxgapError

ACTIVE = ("queued", "running")
MAX_ERROR = 2000


class JobTakenOver(CxgapError):
    """Another worker resumed this job (this one was presumed dead): stop without writing."""

    status_code = 409


@dataclass(frozen=True)
class Lease:
    """A worker's claim on a job: valid while the job's heartbeat is still ``token``."""

    job_id: int
    workspace_id: int
    token: datetime


@dataclass(frozen=True)
class JobProgress:
    """What a person watching a job wants to know (the HTML fragment and the JSON)."""

    id: int
    status: str  # queued | running | done | failed | cancelled | stalled
    done: int
    total: int
    rate: float | None  # texts per second
    eta_seconds: float | None
    error: str
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None

    @property
    def share(self) -> float:
        return self.done / self.total if self.total else (1.0 if self.status == "done" else 0.0)

    @property
    def active(self) -> bool:
        return self.status in ("queued", "running", "stalled")

    def as_dict(self) -> dict[str, object]:
        return {
            "id": self.id,
            "status": self.status,
            "done": self.done,
            "total": self.total,
            "share": round(self.share, 4),
            "rate_per_second": None if self.rate is None else round(self.rate, 2),
            "eta_seconds": None if self.eta_seconds is None else round(self.eta_seconds),
            "error": self.error,
            "created_at": self.created_at.isoformat(),
            "started_at": self.started_at.isoformat() if self.started_at else None,
            "finished_at": self.finished_at.isoformat() if self.finished_at else None,
        }


def enqueue_enrichment(
    session: Session,
    workspace: Workspace,
    *,
    queue: str = "embedded",
    notify: Callable[[int], None] | None = None,
) -> EnrichmentJob:
    """Ask for the workspace's pending texts to be enriched: the queued job if there is one,
    else a new one. ``notify`` (e.g. a push to Redis) runs once the transaction commits, so
    a worker never hears of a job it cannot see yet."""
    queued = session.scalar(
        select(EnrichmentJob)
        .where(EnrichmentJob.workspace_id == workspace.id, EnrichmentJob.status == "queued")
        .order_by(EnrichmentJob.id)
        .limit(1)
    )
    if queued is not None:
        return queued
    job = EnrichmentJob(workspace_id=workspace.id, status="queued", queue=queue)
    session.add(job)
    session.flush()
    if notify is not None:
        job_id = job.id

        def after_commit(_session: Session) -> None:
            notify(job_id)

        event.listen(session, "after_commit", after_commit, once=True)
    return job


def claimable_ids(
    sessions: sessionmaker[Session],
    *,
    stale_seconds: int,
    queue: str | None = None,
    workspace_id: int | None = None,
) -> list[int]:
    """Jobs a worker could take now, oldest first: queued ones and stalled running ones."""
    stale_before = utcnow() - timedelta(seconds=stale_seconds)
    query = select(EnrichmentJob.id).where(
        or_(
            EnrichmentJob.status == "queued",
            (EnrichmentJob.status == "running") & (EnrichmentJob.heartbeat_at < stale_before),
        )
    )
    if queue is not None:
        query = query.where(EnrichmentJob.queue == queue)
    if workspace_id is not None:
        query = query.where(EnrichmentJob.workspace_id == workspace_id)
    with sessions() as session:
        return list(session.scalars(query.order_by(EnrichmentJob.id)))


def claim(sessions: sessionmaker[Session], job_id: int, *, stale_seconds: int) -> Lease | None:
    """Take the job if it is queued or stalled and no live job runs in its workspace."""
    now = utcnow()
    stale_before = now - timedelta(seconds=stale_seconds)
    with sessions() as session, session.begin():
        job = session.get(EnrichmentJob, job_id)
        if job is None:
            return None
        _lock_workspace(session, job.workspace_id)
        if _live_job_elsewhere(session, job, stale_before):
            return None
        claimable = job.status == "queued" or (
            job.status == "running"
            and job.heartbeat_at is not None
            and job.heartbeat_at < stale_before
        )
        if not claimable:
            return None
        values: dict[str, Any] = {"status": "running", "heartbeat_at": now, "error": ""}
        if job.started_at is None:
            values["started_at"] = now
        elif job.heartbeat_at is not None:  # resumed: leave the dead time out of the rate
            values["started_at"] = job.started_at + (now - job.heartbeat_at)
        result = session.execute(
            update(EnrichmentJob)
            .where(
                EnrichmentJob.id == job.id,
                EnrichmentJob.status == job.status,
                _same_heartbeat(job.heartbeat_at),
                ~_live_other(job, stale_before).exists(),  # atomic on SQLite too
            )
            .values(**values)
            .execution_options(synchronize_session=False)
        )
        if _rowcount(result) != 1:
            return None
        return Lease(job_id=job.id, workspace_id=job.workspace_id, token=now)


def renew(session: Session, lease: Lease, **values: Any) -> Lease:
    """Write a heartbeat (and ``values``) if the lease still holds; the new lease."""
    now = utcnow()
    result = session.execute(
        update(EnrichmentJob)
        .where(
            EnrichmentJob.id == lease.job_id,
            EnrichmentJob.status == "running",
            EnrichmentJob.heartbeat_at == lease.token,
        )
        .values(**{"heartbeat_at": now, **values})
        .execution_options(synchronize_session=False)
    )
    if _rowcount(result) != 1:
        raise JobTakenOver(f"Enrichment job {lease.job_id} was resumed by another worker")
    return Lease(job_id=lease.job_id, workspace_id=lease.workspace_id, token=now)


def finish(sessions: sessionmaker[Session], lease: Lease, *, status: str, error: str = "") -> None:
    """Mark the job done or failed (nothing happens if another worker took it over)."""
    with sessions() as session, session.begin():
        renew(session, lease, status=status, error=error[:MAX_ERROR], finished_at=utcnow())


def release(sessions: sessionmaker[Session], lease: Lease) -> None:
    """Put a job back in the queue (its worker is shutting down); progress is kept."""
    with sessions() as session, session.begin():
        renew(session, lease, status="queued")


def progress_of(
    session: Session, workspace: Workspace, *, stale_seconds: int = 120
) -> JobProgress | None:
    """The job to show for the workspace: the one running, else the newest."""
    jobs = list(
        session.scalars(
            select(EnrichmentJob)
            .where(EnrichmentJob.workspace_id == workspace.id)
            .order_by(EnrichmentJob.id.desc())
            .limit(5)
        )
    )
    if not jobs:
        return None
    running = [j for j in jobs if j.status == "running"]
    return job_progress(running[0] if running else jobs[0], stale_seconds=stale_seconds)


def job_progress(job: EnrichmentJob, *, stale_seconds: int = 120) -> JobProgress:
    now = utcnow()
    status = job.status
    if (
        status == "running"
        and job.heartbeat_at is not None
        and now - job.heartbeat_at > timedelta(seconds=stale_seconds)
    ):
        status = "stalled"  # its worker died; the next worker resumes it
    rate = eta = None
    if job.started_at is not None and job.heartbeat_at is not None and job.done:
        seconds = (job.heartbeat_at - job.started_at).total_seconds()
        if seconds > 0:
            rate = job.done / seconds
            eta = max(job.total - job.done, 0) / rate if status == "running" else None
    return JobProgress(
        id=job.id,
        status=status,
        done=job.done,
        total=job.total,
        rate=rate,
        eta_seconds=eta,
        error=job.error,
        created_at=job.created_at,
        started_at=job.started_at,
        finished_at=job.finished_at,
    )


def get_job(session: Session, job_id: int) -> EnrichmentJob | None:
    return session.get(EnrichmentJob, job_id)


def _lock_workspace(session: Session, workspace_id: int) -> None:
    """Serialise claims per workspace (PostgreSQL row lock; SQLite has one writer anyway)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(select(Workspace.id).where(Workspace.id == workspace_id).with_for_update())


def _live_job_elsewhere(session: Session, job: EnrichmentJob, stale_before: datetime) -> bool:
    return session.scalar(_live_other(job, stale_before).limit(1)) is not None


def _live_other(job: EnrichmentJob, stale_before: datetime) -> Select[int]:
    other = aliased(EnrichmentJob)
    return select(other.id).where(
        other.workspace_id == job.workspace_id,
        other.id != job.id,
        other.status == "running",
        other.heartbeat_at >= stale_before,
    )


def _same_heartbeat(value: datetime | None) -> Any:
    column = EnrichmentJob.heartbeat_at
    return column.is_(None) if value is None else column == value


def _rowcount(result: Any) -> int:
    return int(getattr(result, "rowcount", 0))
