"""The ``index_search`` job: the texts of a workspace's imports copied into the Listening
search's index after the import, not during it (``db.search_index``).

Queued in the import's transaction (the browser's import job, the CLI), with the marker the
import writes; it coalesces (asked again while one waits: one job) and one runs at a time
per workspace. Each step copies the next ``BATCH_IDS`` ids of the oldest pending import and
stores its resume point in the same transaction, with the job's progress: a job killed
part-way resumes from the last step that committed (a step redone is harmless: the copy is
an upsert). Until it is done the search reads the pending rows in ``feedback``: its results
are the same before, during and after.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from cxgap.db import search_index
from cxgap.db.tables import Job
from cxgap.errors import ConfigError
from cxgap.jobs.kinds import JobKind, JobRun
from cxgap.jobs.worker import submit

INDEX_SEARCH = "index_search"


def queue_index_search(session: Session, workspace_id: int) -> Job:
    return submit(
        session,
        INDEX_SEARCH,
        workspace_id=workspace_id,
        exclusive=f"{INDEX_SEARCH}:{workspace_id}",
        coalesce=True,
        max_attempts=3,
    )


def run_index_search(run: JobRun) -> dict[str, object]:
    if run.workspace_id is None:
        raise ConfigError(f"Job {run.job_id} ({run.lease.kind}) has no workspace")
    with run.context.sessions() as session:
        total = search_index.lagging(session, run.workspace_id)
    copied = steps = 0
    while True:
        run.check()
        with run.context.sessions() as session, session.begin():
            step = search_index.index_step(session, run.workspace_id, search_index.BATCH_IDS)
            if step is None:
                break
            copied, steps = copied + step, steps + 1
            run.progress(min(copied, total), total, session=session, stage="search")
    if copied:
        with run.context.sessions() as session, session.begin():
            search_index.analyze(session)  # the broad-search estimate reads its statistics
    return {"indexed": copied, "steps": steps}


KIND = JobKind(INDEX_SEARCH, run_index_search, retry_seconds=10.0)
