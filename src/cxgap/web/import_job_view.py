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
    state: State
    if job.status == "done":
        state = "refused" if figures.get("refused") else "done"
    elif job.status in ("failed", "cancelled"):
        state = "failed"
    else:  # queued, waiting, running, stalled (resumed by the next worker)
        state = "running"
    raw_id = figures.get("import_id")
    return ImportJobView(
        job=job,
        state=state,
        progress=LiveFigures(
            rows_read=_int(figures.get("rows_read")),
            records_stored=_int(figures.get("stored")),
            problems=_int(figures.get("problems")),
            bytes_done=_int(figures.get("bytes_done")),
            bytes_total=_int(figures.get("bytes_total")),
            rate=job.rate,
        ),
        import_id=raw_id if isinstance(raw_id, int) else None,
    )


def _int(value: object) -> int:
    return value if isinstance(value, int) else 0
