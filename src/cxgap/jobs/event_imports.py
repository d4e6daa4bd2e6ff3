"""The event import job: a file uploaded on the event import page, imported by whichever
worker takes the job, its progress, outcome and refusal on the job row for every web
process to show.

The payload holds all the run needs (the staged file's name, the preset, the date order,
pseudonymisation). An event import is one transaction (``events.importing``): a job stopped,
killed or refused part-way stored nothing, and a resumed job imports the file again from its
start. Progress is the share of the file read: on PostgreSQL it is written to the job row in
its own transaction while the import runs; SQLite takes one writer at a time, so there the
row shows it when the import commits (the import's last progress is written in the import's
own transaction, so the heartbeat is fresh when it commits). An import queues the
``warm_pages`` job in its transaction: the paths and retention pages' reports are computed
before anyone opens them.
"""

from __future__ import annotations

import io
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from cxgap.errors import ValidationError
from cxgap.events.importing import import_events
from cxgap.events.problems import refusal_document
from cxgap.jobs.kinds import JobKind, JobRun
from cxgap.jobs.warming import queue_warm_pages
from cxgap.services import event_uploads

EVENT_IMPORT = "event_import"
REPORT_EVERY_S = 0.5  # progress written to the job row at most this often
Report = Callable[[int, int], None]


def event_import_payload(
    *, stored: str, file_name: str, preset: str | None, date_order: str | None, pseudonymise: bool
) -> dict[str, object]:
    """What the job needs to import the staged file in any process."""
    return {
        "file": stored,
        "file_name": file_name,
        "preset": preset,
        "date_order": date_order,
        "pseudonymise": pseudonymise,
    }


def run_event_import(run: JobRun) -> dict[str, object]:
    cx = run.context.require_app()
    payload = run.payload
    if run.workspace_id is None:
        raise ValueError(f"Event import job {run.job_id} has no workspace")
    path = event_uploads.staged_path(cx.settings, str(payload["file"]))
    name = str(payload["file_name"])
    size = path.stat().st_size
    run.progress(0, size, stage="reading", details=_figures(0, size))
    live = cx.engine.dialect.name != "sqlite"
    try:
        with cx.transaction() as session, _counted(path, _reporter(run, live)) as stream:
            result = import_events(
                session,
                run.workspace_id,
                stream,
                name=name,
                preset=_text(payload.get("preset")),
                pseudonym_key=cx.settings.resolved_secret_key()
                if payload.get("pseudonymise", True)
                else None,
                date_order=_text(payload.get("date_order")),
            )
            details = _figures(size, size) | {"events": result.events, "cases": result.cases}
            run.progress(size, size, session=session, stage="writing", details=details)
            queue_warm_pages(session, run.workspace_id)  # runs once the import commits
    except ValidationError as exc:
        path.unlink(missing_ok=True)
        return {"refused": True, "file_name": name, "refusal": refusal_document(exc)}
    path.unlink(missing_ok=True)
    return {
        "refused": False,
        "file_name": name,
        "import_id": result.import_id,
        "events": result.events,
        "cases": result.cases,
    }


KIND = JobKind(EVENT_IMPORT, run_event_import, retry_seconds=10.0)


def _text(value: object) -> str | None:
    return str(value) if value else None


def _figures(done: int, total: int) -> dict[str, object]:
    return {"bytes_done": done, "bytes_total": total}


def _reporter(run: JobRun, live: bool) -> Report:
    """Called as the file is read: a stop noticed (the import then stores nothing), and on
    PostgreSQL the share read written to the job row every ``REPORT_EVERY_S`` (which also
    notices a cancel)."""
    last = time.monotonic()

    def report(done: int, total: int) -> None:
        nonlocal last
        now = time.monotonic()
        if now - last < REPORT_EVERY_S:
            return
        last = now
        run.check()
        if live:
            run.progress(min(done, total), total, stage="reading", details=_figures(done, total))

    return report


class _CountedFile(io.FileIO):
    """The staged file, telling ``report`` how many of its bytes were read so far."""

    def __init__(self, path: Path, report: Report) -> None:
        super().__init__(path, "rb")
        self._report = report
        self._size = os.fstat(self.fileno()).st_size

    def readinto(self, buffer: Any) -> int | None:
        count = super().readinto(buffer)
        self._report(self.tell(), self._size)
        return count

    def read(self, size: int | None = -1, /) -> bytes:
        data = super().read(size)
        self._report(self.tell(), self._size)
        return data

    def readall(self) -> bytes:
        data = super().readall()
        self._report(self.tell(), self._size)
        return data


def _counted(path: Path, report: Report) -> io.BufferedReader:
    return io.BufferedReader(_CountedFile(path, report), 1 << 16)
