"""The ``warm_pages`` job: the paths, journey-map and retention/value reports of a workspace
computed into the results cache once its events or its feedback changed, so the first view
of each page reads them (``services.page_warming``).

Queued by the event import job (in the import's transaction), by the activity mapping form
and after an enrichment of a workspace that holds events; it coalesces (asked again while
one waits: one job) and one runs at a time per workspace. Each report is computed and
stored in a transaction of its own, with the job's progress; a resumed job computes again
only what changed since (the reports still current are read from the cache).
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from cxgap.db.tables import Job, Workspace
from cxgap.errors import ConfigError, NotFoundError, ValidationError
from cxgap.jobs.kinds import JobKind, JobRun
from cxgap.jobs.worker import submit
from cxgap.services import page_warming

WARM_PAGES = "warm_pages"


def queue_warm_pages(session: Session, workspace_id: int) -> Job:
    return submit(
        session,
        WARM_PAGES,
        workspace_id=workspace_id,
        exclusive=f"{WARM_PAGES}:{workspace_id}",
        coalesce=True,
        max_attempts=2,
    )


def run_warm_pages(run: JobRun) -> dict[str, object]:
    if run.workspace_id is None:
        raise ConfigError(f"Job {run.job_id} ({run.lease.kind}) has no workspace")
    with run.context.sessions() as session:
        workspace = session.get(Workspace, run.workspace_id)
        if workspace is None:
            return {"workspace_gone": True}
        queries = page_warming.paths_queries(session, workspace)
    steps, refused = len(queries) + 1, 0
    for step, query in enumerate(queries):
        run.check()
        with run.context.sessions() as session, session.begin():
            workspace = _workspace(session, run.workspace_id)
            try:
                with session.begin_nested():
                    page_warming.warm_paths(session, workspace, query)
            except ValidationError:  # a journey gone since: its page will say so
                refused += 1
            run.progress(step + 1, steps, session=session, stage="paths")
    run.check()
    with run.context.sessions() as session, session.begin():
        workspace = _workspace(session, run.workspace_id)
        try:
            with session.begin_nested():
                computed = page_warming.warm_retention(session, workspace)
        except ValidationError:
            computed, refused = False, refused + 1
        run.progress(steps, steps, session=session, stage="retention")
    return {"paths": len(queries), "retention_computed": computed, "refused": refused}


def _workspace(session: Session, workspace_id: int) -> Workspace:
    workspace = session.get(Workspace, workspace_id)
    if workspace is None:
        raise NotFoundError(f"No workspace with id {workspace_id}")
    return workspace


KIND = JobKind(WARM_PAGES, run_warm_pages, retry_seconds=30.0)
