"""The feedback import job: a file uploaded in the browser, imported by whichever worker
takes the job, its progress on the job row for every web process to show.

The payload holds all the run needs (the staged upload's token, the mapping as the mapping
file the browser built, the mode, pseudonymisation), so any process can run it. An import is
atomic (read and staged, then written in one transaction): a job stopped or killed part-way
stored nothing, and runs again from the file (the interrupted history row is marked so by the
next import, ``services.import_runs``).
"""

from __future__ import annotations

import time
from collections.abc import Callable

from sqlalchemy.orm import Session

from cxgap.db import search_index
from cxgap.db.tables import Workspace
from cxgap.errors import NotFoundError
from cxgap.ingest import parse_mapping
from cxgap.ingest.report import MAX_PROBLEMS_KEPT
from cxgap.jobs.kinds import JobKind, JobRun
from cxgap.jobs.search import queue_index_search
from cxgap.jobs.worker import enqueue_enrichment
from cxgap.services import feedback_imports, feedback_uploads
from cxgap.services.feedback_imports import ImportProgress

IMPORT = "import"
REPORT_EVERY_S = 0.5  # progress written to the job row at most this often


def import_payload(
    upload: feedback_uploads.StagedUpload,
    *,
    mapping: dict[str, object],
    mode: str,
    pseudonymise: bool,
) -> dict[str, object]:
    """What the job needs to import the upload in any process."""
    return {
        "upload": upload.token,
        "workspace_key": upload.workspace_key,
        "mapping": mapping,
        "mode": mode,
        "pseudonymise": pseudonymise,
    }


def run_import(run: JobRun) -> dict[str, object]:
    cx = run.context.require_app()
    payload = run.payload
    key = str(payload["workspace_key"])
    upload = feedback_uploads.load_upload(cx.settings, str(payload["upload"]), workspace_key=key)
    if not upload.path.exists():
        raise NotFoundError(f"The uploaded file of import job {run.job_id} is no longer there")
    spec = parse_mapping(payload["mapping"], source=upload.file_name)
    mode = str(payload.get("mode", "all_or_nothing"))
    upload.running_since, upload.job_id = time.time(), run.job_id
    upload.save()
    watch = ImportProgress()
    try:
        outcome = feedback_imports.run_feedback_import(
            cx,
            workspace_key=key,
            source=upload.path,
            name=upload.file_name,
            spec=spec,
            mode=mode,  # type: ignore[arg-type]  # checked by the route that queued it
            pseudonymise=bool(payload.get("pseudonymise", True)),
            progress=_reporter(run, watch),
            watch=watch,
            after=_after_import(run, watch),
            max_problems=MAX_PROBLEMS_KEPT,
        )
    finally:
        upload.running_since = None
        upload.save()
    upload.import_id = outcome.import_id
    if outcome.refusal is None:
        upload.discard_file()  # kept after a refusal, to try again with another mapping
    upload.save()
    return {
        "import_id": outcome.import_id,
        "refused": outcome.refusal is not None,
        **live_figures(watch),
    }


KIND = JobKind(IMPORT, run_import, retry_seconds=10.0)


def live_figures(watch: ImportProgress) -> dict[str, object]:
    return {
        "rows_read": watch.rows_read,
        "stored": watch.records_stored,
        "problems": watch.problems,
        "bytes_done": watch.bytes_done,
        "bytes_total": watch.bytes_total,
    }


def _after_import(run: JobRun, watch: ImportProgress) -> Callable[[Session, Workspace], None]:
    """In the import's transaction once its records are written: the job's last progress
    (a cancel asked for until now still rolls the whole import back), the new and changed
    texts queued for enrichment and for the search's index (the jobs start once the import
    commits)."""

    def after(session: Session, workspace: Workspace) -> None:
        run.progress(
            watch.rows_read,
            watch.rows_read,
            session=session,
            stage="writing",
            details=live_figures(watch),
        )
        enqueue_enrichment(session, workspace)
        if search_index.has_pending(session, workspace.id):
            queue_index_search(session, workspace.id)

    return after


def _reporter(run: JobRun, watch: ImportProgress) -> Callable[[int, int, int], None]:
    """The reader's progress callback: the figures on the job row every ``REPORT_EVERY_S``,
    and a stop or a cancel noticed there (the import then stores nothing)."""
    last = 0.0

    def report(rows: int, bytes_done: int, bytes_total: int) -> None:
        nonlocal last
        now = time.monotonic()
        if now - last < REPORT_EVERY_S:
            return
        last = now
        run.check()
        # Rows in the file, estimated from the share of its bytes read so far.
        total = round(rows * bytes_total / bytes_done) if bytes_done else 0
        run.progress(rows, max(total, rows), stage="reading", details=live_figures(watch))

    return report
