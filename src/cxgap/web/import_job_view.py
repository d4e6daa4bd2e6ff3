"""A feedback import job as the import pages show it, read from its job row (so any web
process shows the same progress, whichever worker runs the import)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from cxgap.jobs import JobProgress

State = Literal["running", "done", "refused", "failed"]


@dataclass(frozen=True)
class LiveFigures:
    """The counters the progress fragment shows (the job's live ``result`` figures)."""

    rows_read: int
    records_stored: int
    problems: int
    bytes_done: int
    bytes_total: int
    rate: float | None

    def rows_per_second(self) -> float:
        return self.rate or 0.0

    def share_done(self) -> float | None:
        return self.bytes_done / self.bytes_total if self.bytes_total else None


@dataclass(frozen=True)
class ImportJobView:
    job: JobProgress
    state: State
    progress: LiveFigures
    import_id: int | None

    @property
    def waiting(self) -> bool:
        """Queued, no worker has taken it yet."""
        return self.job.status in ("queued", "waiting")


def import_view(job: JobProgress) -> ImportJobView:
    figures = dict(job.result or {})
    state = job_state(job)
    raw_id = figures.get("import_id")
    return ImportJobView(
        job=job,
        state=state,
        progress=LiveFigures(
            rows_read=figure(figures.get("rows_read")),
            records_stored=figure(figures.get("stored")),
            problems=figure(figures.get("problems")),
            bytes_done=figure(figures.get("bytes_done")),
            bytes_total=figure(figures.get("bytes_total")),
            rate=job.rate,
        ),
        import_id=raw_id if isinstance(raw_id, int) else None,
    )


def job_state(job: JobProgress) -> State:
    """What an import job's page shows: refused is a job that ended by refusing the file."""
    if job.status == "done":
        return "refused" if (job.result or {}).get("refused") else "done"
    if job.status in ("failed", "cancelled"):
        return "failed"
    return "running"  # queued, waiting, running, stalled (resumed by the next worker)


def figure(value: object) -> int:
    """A count from the job's result, 0 when absent or not a count."""
    return value if isinstance(value, int) else 0
