"""An event import job as the event import page shows it, read from its job row (so any
web process shows the same progress and outcome, whichever worker runs the import)."""

from __future__ import annotations

from dataclasses import dataclass

from cxgap.events.problems import refusal_from_document, refusal_lines
from cxgap.jobs import JobProgress
from cxgap.web.import_job_view import State, figure, job_state


@dataclass(frozen=True)
class EventJobView:
    job: JobProgress
    state: State
    file_name: str
    bytes_done: int
    bytes_total: int
    import_id: int | None
    refusal: list[str]  # the summary then one problem a line, in the reader's language

    @property
    def waiting(self) -> bool:
        """Queued, no worker has taken it yet."""
        return self.job.status in ("queued", "waiting")

    @property
    def share(self) -> float | None:
        return self.bytes_done / self.bytes_total if self.bytes_total else None


def event_job_view(job: JobProgress, file_name: str, locale: str) -> EventJobView:
    figures = dict(job.result or {})
    state = job_state(job)
    document = figures.get("refusal")
    refusal = (
        refusal_lines(refusal_from_document(document), locale)
        if state == "refused" and isinstance(document, dict)
        else []
    )
    raw_id = figures.get("import_id")
    return EventJobView(
        job=job,
        state=state,
        file_name=file_name,
        bytes_done=figure(figures.get("bytes_done")),
        bytes_total=figure(figures.get("bytes_total")),
        import_id=raw_id if isinstance(raw_id, int) else None,
        refusal=refusal,
    )
