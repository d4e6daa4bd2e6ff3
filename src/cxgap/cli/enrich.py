"""``cxgap enrich`` (one workspace, in the foreground) and ``cxgap worker`` (a queue worker)."""

from __future__ import annotations

import signal
import threading
import time
from enum import StrEnum
from typing import Annotated

import typer

from cxgap.cli.common import DatabaseUrl, WorkspaceKey, fail, opened, require_text_libraries
from cxgap.config import QueueSettings
from cxgap.jobs import get_job, progress_of
from cxgap.jobs.ray_engine import RayEngine, import_ray
from cxgap.jobs.redis_queue import RedisQueue
from cxgap.jobs.runner import JobContext
from cxgap.jobs.worker import Worker, enqueue_enrichment
from cxgap.services.core import Cxgap
from cxgap.services.survey_feedback import backfill_survey_comments
from cxgap.services.workspaces import get_workspace

BAR_WIDTH = 30


class Engine(StrEnum):
    """Where ``cxgap enrich`` analyses the texts."""

    local = "local"
    ray = "ray"


class ProgressLine:
    """A progress bar on stderr: done/total, rate and time left, redrawn in place."""

    def __init__(self) -> None:
        self.started = time.monotonic()
        self.first_done: int | None = None
        self.drawn = False

    def __call__(self, done: int, total: int) -> None:
        if self.first_done is None:
            self.first_done = done
        elapsed = max(time.monotonic() - self.started, 1e-6)
        rate = (done - self.first_done) / elapsed
        share = done / total if total else 1.0
        filled = round(share * BAR_WIDTH)
        eta = f" · {_duration((total - done) / rate)} left" if rate > 0 and done < total else ""
        line = (
            f"\r[{'#' * filled}{'-' * (BAR_WIDTH - filled)}] {done:,}/{total:,} texts"
            f" · {rate:,.0f}/s{eta}   "
        )
        typer.echo(line, err=True, nl=False)
        self.drawn = True

    def close(self) -> None:
        if self.drawn:
            typer.echo("", err=True)


def enrich(
    workspace: WorkspaceKey,
    batch_size: Annotated[
        int | None, typer.Option(min=1, help="Texts per transaction (CXGAP_ENRICH_BATCH_SIZE).")
    ] = None,
    database_url: DatabaseUrl = None,
    engine: Annotated[
        Engine,
        typer.Option(help="local: in this process; ray: on a Ray cluster (cxgap[ray])."),
    ] = Engine.local,
    address: Annotated[
        str | None,
        typer.Option(
            help="The Ray cluster (--engine ray): 'auto', or ray://HOST:10001;"
            " default: a Ray instance started here."
        ),
    ] = None,
) -> None:
    """Enrich the workspace's feedback now (language, sentiment, topics), with progress;
    the comments of survey answers stored before they reached Listening are added first.

    Only texts not yet enriched by the current models and taxonomy are analysed; if a worker
    already runs the workspace's job, this follows its progress instead."""
    require_text_libraries()
    if address is not None and engine != Engine.ray:
        raise fail("Error: --address is for --engine ray")
    ray_engine = RayEngine(address=address) if engine == Engine.ray else None
    with opened(database_url) as app_:
        if ray_engine is not None:
            import_ray()  # refuse before queuing anything when Ray is not installed
        with app_.transaction() as session:
            found = get_workspace(session, workspace)
            # Survey answers stored before their comments reached Listening: bring them in.
            backfill_survey_comments(session, workspace=found)
            job_id = enqueue_enrichment(session, found).id
        context = JobContext.for_app(app_)
        if batch_size is not None:
            context.batch_size = batch_size
        context.engine = ray_engine
        try:
            status, done, error = _run_or_follow(app_, context, job_id, workspace)
        finally:
            if ray_engine is not None:
                ray_engine.close()
    if status != "done":
        raise fail(f"Enrichment job {job_id} {status}: {error}")
    typer.echo(f"Workspace {workspace!r}: {done:,} distinct texts enriched (job {job_id}).")


def _run_or_follow(
    app_: Cxgap, context: JobContext, job_id: int, workspace: str
) -> tuple[str, int, str]:
    """Run the job here, or, while another worker holds this workspace, show its progress."""
    worker = Worker(context)
    bar = ProgressLine()
    try:
        while not worker.run_job_id(job_id, progress=bar):
            with app_.reading() as session:
                job = get_job(session, job_id)
                if job is None or job.status in ("done", "failed", "cancelled"):
                    break
                shown = progress_of(
                    session,
                    get_workspace(session, workspace),
                    stale_seconds=context.stale_seconds,
                )
            if shown is not None and shown.status == "running":
                bar(shown.done, shown.total)
            time.sleep(1.0)
    finally:
        bar.close()
    with app_.reading() as session:
        job = get_job(session, job_id)
        if job is None:
            return "vanished", 0, ""
        return job.status, job.done, job.error


def worker(
    once: Annotated[
        bool, typer.Option(help="Run the jobs waiting now, then exit (instead of waiting).")
    ] = False,
    database_url: DatabaseUrl = None,
) -> None:
    """Work jobs of every kind (and queue the scheduled ones): from Redis with
    CXGAP_QUEUE=redis, else from the database."""
    require_text_libraries()  # each job would fail: say why once, before taking any
    settings = QueueSettings.from_env()
    with opened(database_url) as app_:
        context = JobContext.for_app(app_, settings)
        redis = None
        if settings.queue == "redis":
            redis = RedisQueue(settings.redis_url, key=settings.redis_key)
            redis.ping()
        runner = Worker.scheduling(context, queue=settings.queue, redis=redis)
        if once:
            runner.tick()
            count = 0
            while runner.run_once() is not None:
                count += 1
            typer.echo(f"{count} job(s) run.")
            return
        stop = context.stop
        _stop_on_signals(stop)
        typer.echo(f"cxgap worker waiting for jobs ({settings.queue} queue)…")
        runner.run_forever(stop)
        if redis is not None:
            redis.close()


def _stop_on_signals(stop: threading.Event) -> None:
    def handler(signum: int, _frame: object) -> None:
        typer.echo("Stopping after the current batch…", err=True)
        stop.set()

    signal.signal(signal.SIGTERM, handler)
    signal.signal(signal.SIGINT, handler)


def _duration(seconds: float) -> str:
    """``1:02:03`` or ``2:03``."""
    minutes, secs = divmod(int(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"
