"""Feedback imports started from the browser, run in a background thread each.

The registry lives on the app (one per process) and only says how far a running import
has got; what an import did is stored in the database (its history row and report). After
a restart, an upload whose import never finished shows its mapping step again: the file is
still on disk, and nothing of the interrupted import was committed (its history row, left
``running``, is marked ``interrupted`` by the workspace's next import: ``import_runs``).
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field
from typing import Literal

from fastapi import FastAPI

from cxgap.ingest import MappingSpec, Mode
from cxgap.ingest.report import MAX_PROBLEMS_KEPT
from cxgap.services.core import Cxgap
from cxgap.services.feedback import AfterImport, ImportProgress, run_feedback_import
from cxgap.services.feedback_uploads import StagedUpload

log = logging.getLogger(__name__)
State = Literal["running", "done", "refused", "failed"]


@dataclass
class ImportJob:
    token: str
    progress: ImportProgress = field(default_factory=ImportProgress)
    state: State = "running"
    import_id: int | None = None
    thread: threading.Thread | None = field(default=None, repr=False)


class ImportJobs:
    """The imports this process runs or ran, by upload token."""

    def __init__(self) -> None:
        self._jobs: dict[str, ImportJob] = {}
        self._lock = threading.Lock()

    def get(self, token: str) -> ImportJob | None:
        with self._lock:
            return self._jobs.get(token)

    def start(
        self,
        cx: Cxgap,
        upload: StagedUpload,
        *,
        spec: MappingSpec,
        mode: Mode,
        pseudonymise: bool,
        after: AfterImport,
    ) -> ImportJob:
        """Start importing the upload, unless an import of it is already running."""
        with self._lock:
            running = self._jobs.get(upload.token)
            if running is not None and running.state == "running":
                return running
            job = ImportJob(upload.token)
            self._jobs[upload.token] = job
        upload.running_since = time.time()
        upload.save()
        job.thread = threading.Thread(
            target=_run,
            args=(job, cx, upload, spec, mode, pseudonymise, after),
            name=f"feedback-import-{upload.token[:8]}",
            daemon=True,
        )
        job.thread.start()
        return job


def _run(
    job: ImportJob,
    cx: Cxgap,
    upload: StagedUpload,
    spec: MappingSpec,
    mode: Mode,
    pseudonymise: bool,
    after: AfterImport,
) -> None:
    try:
        outcome = run_feedback_import(
            cx,
            workspace_key=upload.workspace_key,
            source=upload.path,
            name=upload.file_name,
            spec=spec,
            mode=mode,
            pseudonymise=pseudonymise,
            watch=job.progress,
            after=after,
            max_problems=MAX_PROBLEMS_KEPT,
        )
    except Exception:  # the thread has no caller: say it in the log and on the page
        log.exception("feedback import of upload %s failed", upload.token)
        upload.running_since = None
        upload.save()
        job.state = "failed"
        return
    upload.import_id, upload.running_since = outcome.import_id, None
    if outcome.refusal is None:
        upload.discard_file()  # kept after a refusal, to try again with another mapping
    upload.save()
    job.import_id = outcome.import_id
    job.state = "refused" if outcome.refusal is not None else "done"


def jobs_of(app: FastAPI) -> ImportJobs:
    """The app's registry, created on first use."""
    with _CREATE:
        jobs = getattr(app.state, "feedback_import_jobs", None)
        if jobs is None:
            jobs = ImportJobs()
            app.state.feedback_import_jobs = jobs
        return jobs


_CREATE = threading.Lock()
