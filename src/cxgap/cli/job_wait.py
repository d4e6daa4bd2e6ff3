"""Run one queued job in the foreground of a command, or follow the worker that took it.

A command that queues background work (e.g. ``cxgap journey segment-rule``) returns when the
work is done, as it did when the work ran inline: it claims the job and runs it here through
the job runner (resumable, its progress on the row like any worker's), or, while a worker
holds it or a job it must wait for, prints that job's progress until it ends.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import typer

from cxgap.jobs import get_job, job_progress
from cxgap.jobs.runner import JobContext
from cxgap.jobs.worker import Worker
from cxgap.services.core import Cxgap

FINISHED = ("done", "failed", "cancelled")
Describe = Callable[[str, int, int], str]
"""(stage, done, total) → the progress line's text."""


def run_or_follow(app_: Cxgap, job_id: int, describe: Describe) -> tuple[str, str]:
    """Run job ``job_id`` here, or wait for it, printing its progress on stderr; its final
    status and error."""
    context = JobContext.for_app(app_)
    worker = Worker(context)
    shown: list[str] = []

    def show(stage: str, done: int, total: int) -> None:
        line = describe(stage, done, total)
        if not shown or shown[-1] != line:
            typer.echo(line, err=True)
            shown.append(line)

    while True:
        if worker.run_job_id(job_id, progress=lambda done, total: show("", done, total)):
            break
        with app_.reading() as session:
            job = get_job(session, job_id)
            if job is None or job.status in FINISHED:
                break
            seen = job_progress(job, stale_seconds=context.stale_seconds)
        show(seen.status if seen.status != "running" else seen.stage, seen.done, seen.total)
        time.sleep(1.0)
    with app_.reading() as session:
        job = get_job(session, job_id)
        return ("vanished", "") if job is None else (job.status, job.error)
