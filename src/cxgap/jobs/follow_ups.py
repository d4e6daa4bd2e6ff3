"""Work that follows a change of a workspace's data, queued as jobs of its own: the emerging
topics (clustering what no topic covers) and the journey overlay's index.

Both coalesce (asking twice while one waits is one job) and are exclusive per workspace, so
however many imports, enrichments and clicks ask for them, one runs at a time.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from cxgap.db.tables import Job, Workspace
from cxgap.errors import ConfigError
from cxgap.jobs.kinds import JobKind, JobRun
from cxgap.jobs.worker import submit
from cxgap.services import emerging, overlay

EMERGING = "emerging"
OVERLAY = "overlay"


def queue_emerging(
    session: Session, workspace_id: int, *, requested_by_id: int | None = None
) -> Job:
    return submit(
        session,
        EMERGING,
        workspace_id=workspace_id,
        exclusive=f"{EMERGING}:{workspace_id}",
        coalesce=True,
        max_attempts=2,
        requested_by_id=requested_by_id,
    )


def queue_overlay(session: Session, workspace_id: int) -> Job:
    return submit(
        session,
        OVERLAY,
        workspace_id=workspace_id,
        exclusive=f"{OVERLAY}:{workspace_id}",
        coalesce=True,
        max_attempts=2,
    )


def run_emerging(run: JobRun) -> dict[str, object]:
    """Cluster the uncovered clauses and store the result (the page reads it instantly)."""
    factory = run.context.embedder_factory
    if factory is None:
        raise ConfigError("This worker has no sentence-embedding model for emerging topics")
    run.progress(0, 1, stage="clustering")
    stored = emerging.refresh(run.context.sessions, _workspace_id(run), factory)
    if stored is None:
        return {"workspace_gone": True}
    return {
        "clusters": len(stored.clusters),
        "clauses": stored.clauses,
        "seconds": round(stored.seconds, 3),
    }


def run_overlay(run: JobRun) -> dict[str, object]:
    """Bring the journey overlay's index up to date with the workspace's analyses."""
    with run.context.sessions() as session, session.begin():
        workspace = session.get(Workspace, _workspace_id(run))
        if workspace is None:
            return {"workspace_gone": True}
        run.progress(0, 1, session=session, stage="indexing")
        overlay.refresh_overlay_index(session, workspace=workspace)
    return {}


def _workspace_id(run: JobRun) -> int:
    if run.workspace_id is None:
        raise ConfigError(f"Job {run.job_id} ({run.lease.kind}) has no workspace")
    return run.workspace_id


EMERGING_KIND = JobKind(EMERGING, run_emerging, retry_seconds=60.0)
OVERLAY_KIND = JobKind(OVERLAY, run_overlay, retry_seconds=30.0)
