"""Jobs in the database: enqueue, claim atomically, heartbeat, finish, retry, cancel.

A claimed job holds a *lease*: the heartbeat time its worker last wrote. Every later write of
that worker is conditional on the lease still being its own, so when a worker is presumed
dead (no heartbeat for ``stale_seconds``) and another resumes the job, the first one's next
write fails with :class:`JobTakenOver` and its batch rolls back instead of counting twice.

Jobs sharing an ``exclusive`` key never run at the same time (one enrichment per workspace);
the check is part of the claiming UPDATE, so it is atomic on SQLite too, and serialised by an
advisory lock on PostgreSQL.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Select, case, event, or_, select, text, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, aliased, sessionmaker

from cxgap.db.tables import Job, Workspace, utcnow
from cxgap.errors import ConflictError, JobTakenOver, NotFoundError

ACTIVE = ("queued", "running")
FINISHED = ("done", "failed", "cancelled")
MAX_ERROR = 2000
ENRICH = "enrich"


@dataclass(frozen=True)
class Lease:
    """A worker's claim on a job: valid while the job's heartbeat is still ``token``."""

    job_id: int
    workspace_id: int | None
    token: datetime
    kind: str = ENRICH


def enqueue(
    session: Session,
    kind: str,
    *,
    workspace_id: int | None = None,
    payload: Mapping[str, object] | None = None,
    exclusive: str | None = None,
    dedupe: str | None = None,
    coalesce: bool = False,
    run_after: datetime | None = None,
    max_attempts: int = 1,
    requested_by_id: int | None = None,
    queue: str = "embedded",
    notify: Callable[[int], None] | None = None,
) -> Job:
    """Add a job to the queue in the caller's transaction.

    ``coalesce``: return the queued job of the same kind and workspace if there is one (asking
    twice for "enrich what is pending" is one job). ``dedupe``: return the job that already
    has this key, whatever its status (a scheduled slot runs once). ``notify`` (e.g. a push to
    Redis) runs once the transaction commits, so a worker never hears of a job it cannot see."""
    if coalesce:
        queued = session.scalar(
            select(Job)
            .where(
                Job.kind == kind,
                _same_workspace(workspace_id),
                Job.status == "queued",
                Job.cancel_requested.is_(False),
            )
            .order_by(Job.id)
            .limit(1)
        )
        if queued is not None:
            return queued
    if dedupe is not None:
        existing = session.scalar(select(Job).where(Job.dedupe == dedupe))
        if existing is not None:
            return existing
    if max_attempts < 1:
        raise ValueError(f"max_attempts must be at least 1, got {max_attempts}")
    job = Job(
        kind=kind,
        workspace_id=workspace_id,
        status="queued",
        queue=queue,
        payload=dict(payload or {}),
        exclusive=exclusive,
        dedupe=dedupe,
        run_after=run_after,
        max_attempts=max_attempts,
        requested_by_id=requested_by_id,
    )
    if dedupe is None:
        session.add(job)
        session.flush()
    else:
        try:
            with session.begin_nested():  # another process may insert the same slot now
                session.add(job)
                session.flush()
        except IntegrityError:
            found = session.scalar(select(Job).where(Job.dedupe == dedupe))
            if found is None:
                raise
            return found
    if notify is not None:
        job_id = job.id

        def after_commit(_session: Session) -> None:
            notify(job_id)

        event.listen(session, "after_commit", after_commit, once=True)
    return job


def enqueue_enrichment(
    session: Session,
    workspace: Workspace,
    *,
    queue: str = "embedded",
    notify: Callable[[int], None] | None = None,
) -> Job:
    """Ask for the workspace's pending texts to be enriched: the queued job if there is one,
    else a new one."""
    return enqueue(
        session,
        ENRICH,
        workspace_id=workspace.id,
        exclusive=f"{ENRICH}:{workspace.id}",
        coalesce=True,
        queue=queue,
        notify=notify,
    )


def claimable_ids(
    sessions: sessionmaker[Session],
    *,
    stale_seconds: int,
    queue: str | None = None,
    workspace_id: int | None = None,
    kinds: Iterable[str] | None = None,
) -> list[int]:
    """Jobs a worker could take now, oldest first: queued ones that are due, and running ones
    whose worker stopped sending heartbeats."""
    now = utcnow()
    stale_before = now - timedelta(seconds=stale_seconds)
    query = select(Job.id).where(
        or_(
            (Job.status == "queued") & (or_(Job.run_after.is_(None), Job.run_after <= now)),
            (Job.status == "running") & (Job.heartbeat_at < stale_before),
        )
    )
    if queue is not None:
        query = query.where(Job.queue == queue)
    if workspace_id is not None:
        query = query.where(Job.workspace_id == workspace_id)
    if kinds is not None:
        query = query.where(Job.kind.in_(list(kinds)))
    with sessions() as session:
        return list(session.scalars(query.order_by(Job.id).limit(200)))


def claim(sessions: sessionmaker[Session], job_id: int, *, stale_seconds: int) -> Lease | None:
    """Take the job if it is queued and due, or stalled, and no live job shares its
    ``exclusive`` key."""
    now = utcnow()
    stale_before = now - timedelta(seconds=stale_seconds)
    with sessions() as session, session.begin():
        job = session.get(Job, job_id)
        if job is None:
            return None
        _lock_exclusive(session, job.exclusive)
        if job.cancel_requested and job.status == "queued":
            return None
        if job.exclusive is not None and session.scalar(_live_other(job, stale_before).limit(1)):
            return None
        due = job.run_after is None or job.run_after <= now
        claimable = (job.status == "queued" and due) or (
            job.status == "running"
            and job.heartbeat_at is not None
            and job.heartbeat_at < stale_before
        )
        if not claimable:
            return None
        values: dict[str, Any] = {"status": "running", "heartbeat_at": now, "error": ""}
        if job.status == "queued":
            values["attempts"] = job.attempts + 1
        if job.started_at is None:
            values["started_at"] = now
        elif job.heartbeat_at is not None and job.status == "running":
            # resumed: leave the dead time out of the rate
            values["started_at"] = job.started_at + (now - job.heartbeat_at)
        conditions = [
            Job.id == job.id,
            Job.status == job.status,
            _same_heartbeat(job.heartbeat_at),
        ]
        if job.exclusive is not None:
            conditions.append(~_live_other(job, stale_before).exists())  # atomic on SQLite
        result = session.execute(
            update(Job)
            .where(*conditions)
            .values(**values)
            .execution_options(synchronize_session=False)
        )
        if _rowcount(result) != 1:
            return None
        return Lease(job_id=job.id, workspace_id=job.workspace_id, token=now, kind=job.kind)


def renew(session: Session, lease: Lease, **values: Any) -> Lease:
    """Write a heartbeat (and ``values``) if the lease still holds; the new lease."""
    now = utcnow()
    result = session.execute(
        update(Job)
        .where(Job.id == lease.job_id, Job.status == "running", Job.heartbeat_at == lease.token)
        .values(**{"heartbeat_at": now, **values})
        .execution_options(synchronize_session=False)
    )
    if _rowcount(result) != 1:
        raise JobTakenOver(f"Job {lease.job_id} was resumed by another worker")
    return Lease(job_id=lease.job_id, workspace_id=lease.workspace_id, token=now, kind=lease.kind)


def cancel_requested(session: Session, job_id: int) -> bool:
    return bool(session.scalar(select(Job.cancel_requested).where(Job.id == job_id)))


def finish(
    sessions: sessionmaker[Session],
    lease: Lease,
    *,
    status: str,
    error: str = "",
    result: Mapping[str, object] | None = None,
) -> None:
    """Mark the job done, failed or cancelled (nothing happens if another worker took it).
    A job done did all its units: its progress says so whatever it last reported."""
    values: dict[str, Any] = {"status": status, "error": error[:MAX_ERROR], "finished_at": utcnow()}
    if result is not None:
        values["result"] = dict(result)
    if status == "done":
        values["done"] = case((Job.total > Job.done, Job.total), else_=Job.done)
    with sessions() as session, session.begin():
        renew(session, lease, **values)


def fail_or_retry(
    sessions: sessionmaker[Session], lease: Lease, *, error: str, retry_after: timedelta
) -> str:
    """After a failure: back in the queue for a later attempt while attempts remain, else
    failed. The status given to the job."""
    with sessions() as session, session.begin():
        job = session.get(Job, lease.job_id)
        if job is not None and job.attempts < job.max_attempts and not job.cancel_requested:
            delay = retry_after * (2 ** max(job.attempts - 1, 0))
            renew(
                session,
                lease,
                status="queued",
                error=error[:MAX_ERROR],
                run_after=utcnow() + delay,
            )
            return "queued"
        renew(session, lease, status="failed", error=error[:MAX_ERROR], finished_at=utcnow())
        return "failed"


def release(sessions: sessionmaker[Session], lease: Lease) -> None:
    """Put a job back in the queue (its worker is shutting down); progress is kept."""
    with sessions() as session, session.begin():
        renew(session, lease, status="queued")


def retry(session: Session, job_id: int, *, workspace_id: int | None = None) -> Job:
    """Queue a failed or cancelled job again (progress kept: it resumes)."""
    job = _job_in(session, job_id, workspace_id)
    if job.status not in ("failed", "cancelled"):
        raise ConflictError(
            f"Job {job_id} is {job.status}: only a failed or cancelled job can be retried"
        )
    job.status, job.error, job.finished_at = "queued", "", None
    job.cancel_requested, job.run_after = False, None
    job.max_attempts = max(job.max_attempts, job.attempts + 1)
    return job


def cancel(session: Session, job_id: int, *, workspace_id: int | None = None) -> Job:
    """Cancel a waiting job now; ask a running one to stop at its next progress report."""
    job = _job_in(session, job_id, workspace_id)
    if job.status == "queued":
        job.status, job.finished_at, job.cancel_requested = "cancelled", utcnow(), True
    elif job.status == "running":
        job.cancel_requested = True
    else:
        raise ConflictError(
            f"Job {job_id} is {job.status}: only a waiting or running job can be cancelled"
        )
    return job


def get_job(session: Session, job_id: int) -> Job | None:
    return session.get(Job, job_id)


def _job_in(session: Session, job_id: int, workspace_id: int | None) -> Job:
    job = session.get(Job, job_id)
    if job is None or (workspace_id is not None and job.workspace_id != workspace_id):
        raise NotFoundError(f"No job {job_id}")
    return job


def _same_workspace(workspace_id: int | None) -> Any:
    return Job.workspace_id.is_(None) if workspace_id is None else Job.workspace_id == workspace_id


def _lock_exclusive(session: Session, key: str | None) -> None:
    """Serialise claims of jobs sharing a key (PostgreSQL; SQLite has one writer anyway)."""
    if key is not None and session.get_bind().dialect.name == "postgresql":
        session.execute(
            text("SELECT pg_advisory_xact_lock(:space, :key)"),
            {"space": 0x6A0B, "key": zlib.crc32(key.encode()) - 2**31},
        )


def _live_other(job: Job, stale_before: datetime) -> Select[Any]:
    other = aliased(Job)
    return select(other.id).where(
        other.exclusive == job.exclusive,
        other.id != job.id,
        other.status == "running",
        other.heartbeat_at >= stale_before,
    )


def _same_heartbeat(value: datetime | None) -> Any:
    column = Job.heartbeat_at
    return column.is_(None) if value is None else column == value


def _rowcount(result: Any) -> int:
    return int(getattr(result, "rowcount", 0))
