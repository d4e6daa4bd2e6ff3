"""Workers: take claimable jobs of any kind and run them, in a thread of the web app or in a
process.

A worker looks for work in the table (queued jobs, and running jobs whose worker stopped
sending heartbeats) every ``poll_seconds``. With Redis it also blocks on the Redis list in
between, so a new job starts at once on whichever worker pops it.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from sqlalchemy.orm import Session

from cxgap.config import QueueSettings
from cxgap.db.tables import Job, Workspace
from cxgap.errors import QueueUnavailableError
from cxgap.jobs.kinds import JobProgressCallback
from cxgap.jobs.redis_queue import RedisQueue
from cxgap.jobs.runner import JobContext, run_job
from cxgap.jobs.schedule import Scheduler, periodic_tasks
from cxgap.jobs.store import claim, claimable_ids, enqueue
from cxgap.jobs.store import enqueue_enrichment as _enqueue
from cxgap.services.core import Cxgap

log = logging.getLogger(__name__)


def enqueue_enrichment(session: Session, workspace: Workspace) -> Job:
    """Queue the enrichment of the workspace's pending texts (what imports call after storing
    feedback, and taxonomy edits and corrections after saving). With ``CXGAP_QUEUE=redis`` the
    job id is pushed to Redis once the transaction commits."""
    settings = QueueSettings.from_env()
    notify = _redis_push(settings) if settings.queue == "redis" else None
    return _enqueue(session, workspace, queue=settings.queue, notify=notify)


def submit(session: Session, kind: str, **options: Any) -> Job:
    """Queue a job of any kind (``store.enqueue``'s options) on the configured queue, pushed
    to Redis once the transaction commits when the queue is Redis."""
    settings = QueueSettings.from_env()
    notify = _redis_push(settings) if settings.queue == "redis" else None
    return enqueue(session, kind, queue=settings.queue, notify=notify, **options)


def _redis_push(settings: QueueSettings) -> Callable[[int], None]:
    def push(job_id: int) -> None:
        queue = RedisQueue(settings.redis_url, key=settings.redis_key)
        try:
            queue.push(job_id)
        except QueueUnavailableError:
            # The job is stored; workers also look at the table, so it is only delayed.
            log.warning("Could not push job %s to Redis", job_id, exc_info=True)
        finally:
            queue.close()

    return push


class Worker:
    """Claims and runs jobs of one queue, one at a time."""

    def __init__(
        self,
        context: JobContext,
        *,
        queue: str = "embedded",
        redis: RedisQueue | None = None,
        poll_seconds: float = 2.0,
        scheduler: Scheduler | None = None,
    ) -> None:
        self.context = context
        self.queue = queue
        self.redis = redis
        self.poll_seconds = poll_seconds
        # Queues the scheduled tasks' due slots between jobs (None: this worker does not).
        self.scheduler = scheduler

    @classmethod
    def scheduling(cls, context: JobContext, *, queue: str = "embedded", **options: Any) -> Worker:
        """A worker that also queues the scheduled tasks (webhooks, purge) as they fall due."""
        scheduler = Scheduler(context.sessions, periodic_tasks(), queue=queue)
        return cls(context, queue=queue, scheduler=scheduler, **options)

    def tick(self) -> None:
        """Queue the scheduled tasks now due (nothing when this worker has no scheduler)."""
        if self.scheduler is not None:
            self.scheduler.tick()

    def run_once(self, *, progress: JobProgressCallback | None = None) -> int | None:
        """Run the oldest claimable job, if any; its id."""
        for job_id in claimable_ids(
            self.context.sessions,
            stale_seconds=self.context.stale_seconds,
            queue=self.queue,
            kinds=self.context.known_kinds(),
        ):
            if self.run_job_id(job_id, progress=progress):
                return job_id
        return None

    def run_job_id(self, job_id: int, *, progress: JobProgressCallback | None = None) -> bool:
        """Claim and run this job; False when it was not claimable."""
        lease = claim(self.context.sessions, job_id, stale_seconds=self.context.stale_seconds)
        if lease is None:
            return False
        log.info("Job %s (%s) started", job_id, lease.kind)
        status = run_job(self.context, lease, progress=progress)
        log.info("Job %s (%s) ended: %s", job_id, lease.kind, status)
        return True

    def run_forever(self, stop: threading.Event) -> None:
        """Work until ``stop`` is set: Redis pops when there is Redis, else table polls."""
        while not stop.is_set():
            try:
                self.tick()
                if self.redis is not None:
                    popped = self.redis.pop(self.poll_seconds)
                    if popped is not None and self.run_job_id(popped):
                        continue
                if self.run_once() is None and self.redis is None:
                    stop.wait(self.poll_seconds)
            except Exception:  # a database or Redis outage: log, wait, try again
                log.exception("The job worker hit an error; retrying")
                stop.wait(self.poll_seconds)


class BackgroundWorker:
    """The embedded queue's worker: a daemon thread of the web app."""

    def __init__(self, worker: Worker) -> None:
        self.worker = worker
        self._stop = threading.Event()
        self._thread = threading.Thread(
            target=worker.run_forever, args=(self._stop,), name="cxgap-jobs", daemon=True
        )

    @classmethod
    def for_app(cls, cx: Cxgap, **context_overrides: object) -> BackgroundWorker:
        settings = QueueSettings.from_env()
        context = JobContext.for_app(cx, settings, **context_overrides)
        return cls(Worker.scheduling(context, queue="embedded"))

    def start(self) -> None:
        self._thread.start()

    def stop(self, timeout: float = 30.0) -> None:
        """Ask the thread to stop after its current batch (the job goes back to the queue)
        and wait for it."""
        self._stop.set()
        self.worker.context.stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout)

    @property
    def alive(self) -> bool:
        return self._thread.is_alive()


def start_embedded_worker(cx: Cxgap, **context_overrides: object) -> BackgroundWorker | None:
    """Start the web app's worker thread, unless jobs go to Redis (``cxgap worker`` then)."""
    if QueueSettings.from_env().queue != "embedded":
        return None
    background = BackgroundWorker.for_app(cx, **context_overrides)
    background.start()
    return background
