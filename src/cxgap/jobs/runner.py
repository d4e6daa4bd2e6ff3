"""Run one claimed job, whatever its kind: find its function, run it, store the outcome.

Whatever the queue and the kind, a job runs the same way: its function reports progress
through :class:`~cxgap.jobs.kinds.JobRun` (which renews the lease, in the transaction of the
work when there is one), and its end is written on the row: done with a result, failed with
the reason (queued again while attempts remain), cancelled, or back in the queue when the
worker shuts down. A worker that lost its lease stops without writing.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Protocol

from sqlalchemy.orm import Session, sessionmaker

from cxgap.config import QueueSettings, Settings
from cxgap.db.tables import Job, Workspace
from cxgap.errors import ConfigError, JobCancelled, JobTakenOver, StopRequested
from cxgap.jobs.kinds import JobKind, JobProgressCallback, JobRun
from cxgap.jobs.store import Lease, fail_or_retry, finish, release
from cxgap.services import corrections, emerging, enrichment, taxonomy
from cxgap.services.core import Cxgap
from cxgap.text.protocols import Embedder, TextAnalyzer

log = logging.getLogger(__name__)

MAX_CACHED_ANALYZERS = 8
__all__ = ["MAX_CACHED_ANALYZERS", "JobContext", "JobProgressCallback", "run_job"]


class EnrichmentEngine(Protocol):
    """Analyses a job's batches somewhere else than in the worker's thread."""

    def analyser(
        self, recipe: enrichment.AnalyzerRecipe, *, version: str
    ) -> enrichment.BatchAnalyser: ...


@dataclass
class JobContext:
    """What a worker needs to run jobs: the database, the data dir, the models to use."""

    sessions: sessionmaker[Session]
    data_dir: Path
    # None: the bundled models (looked up when first needed, so nothing loads before).
    analyzer_factory: enrichment.AnalyzerFactory | None = None
    trainer: corrections.Trainer | None = None
    batch_size: int = enrichment.DEFAULT_BATCH_SIZE
    stale_seconds: int = 120
    # Embeds the uncovered clauses to refresh the emerging topics after each successful job;
    # None: no refresh (``for_app`` gives the bundled model, shared with the web app).
    embedder_factory: Callable[[], Embedder] | None = None
    # Set to ask running jobs to stop after their current batch (they go back to the queue).
    stop: threading.Event = field(default_factory=threading.Event)
    # The kinds of job this worker runs; None: every kind cxgap has (``registry.job_kinds``).
    kinds: Mapping[str, JobKind] | None = None
    # The application (settings, engine): kinds that call a whole service need it.
    app: Cxgap | None = None
    # Where the texts are analysed: None here, in this thread; or an engine that builds the
    # analyzer elsewhere from its recipe (``jobs.ray_engine.RayEngine``).
    engine: EnrichmentEngine | None = None
    # The instance's settings (mail server, secret key) for the kinds that need them.
    settings: Settings | None = None
    # Analyzers built, by version: loading models is slow, and versions change rarely.
    _analyzers: dict[str, TextAnalyzer] = field(default_factory=dict, repr=False)

    @classmethod
    def for_app(
        cls, cx: Cxgap, queue: QueueSettings | None = None, **overrides: object
    ) -> JobContext:
        queue = queue or QueueSettings.from_env()
        context = cls(
            sessions=cx.sessions,
            data_dir=cx.settings.data_dir,
            batch_size=queue.batch_size,
            stale_seconds=queue.stale_seconds,
            embedder_factory=emerging.default_embedder,
            app=cx,
            settings=cx.settings,
        )
        for name, value in overrides.items():
            setattr(context, name, value)
        return context

    def require_app(self) -> Cxgap:
        if self.app is None:
            raise ConfigError("This job needs the application: build its context with for_app")
        return self.app

    def known_kinds(self) -> Mapping[str, JobKind]:
        from cxgap.jobs.registry import job_kinds

        return self.kinds if self.kinds is not None else job_kinds()

    def analyzer_for(self, workspace: Workspace) -> TextAnalyzer:
        """The workspace's analyzer: its active topics and, once trained, its own model."""
        recipe = self.recipe_for(workspace)
        key = f"{workspace.id}:{recipe.key}"
        if key not in self._analyzers:
            if len(self._analyzers) >= MAX_CACHED_ANALYZERS:  # drop the oldest
                self._analyzers.pop(next(iter(self._analyzers)))
            self._analyzers[key] = recipe.build()
        return self._analyzers[key]

    def recipe_for(self, workspace: Workspace) -> enrichment.AnalyzerRecipe:
        """What builds the workspace's analyzer, as values another process can build it from."""
        with self.sessions() as session, session.begin():
            specs = taxonomy.topic_specs(session, workspace)  # seeds the taxonomy if needed
        model_dir = corrections.workspace_model_dir(self.data_dir, workspace)
        stamp = corrections.trained_stamp(model_dir)
        return enrichment.AnalyzerRecipe(
            factory=self.analyzer_factory or enrichment.default_analyzer_factory,
            topics=tuple(specs),
            workspace_model_dir=model_dir if stamp else None,
            taxonomy=taxonomy.taxonomy_fingerprint(specs),
            workspace_model=stamp,
        )


def run_job(
    context: JobContext, lease: Lease, *, progress: JobProgressCallback | None = None
) -> str:
    """Run the claimed job to its end; how it ended: "done", "failed", "retry" (queued again
    for a later attempt), "cancelled", "taken over", or "released" (the worker is stopping:
    back in the queue, to be resumed)."""
    with context.sessions() as session:
        job = session.get(Job, lease.job_id)
        payload = dict(job.payload or {}) if job is not None else {}
        done, total = (job.done, job.total) if job is not None else (0, 0)
    run = JobRun(context, lease, payload, done=done, total=total, listener=progress)
    kind = context.known_kinds().get(lease.kind)
    try:
        if kind is None:
            raise ConfigError(f"No worker knows jobs of kind {lease.kind!r}")
        result = kind.run(run)
        finish(context.sessions, run.lease, status="done", result=result)
    except StopRequested:
        return _ended(run, "released", lambda lease: release(context.sessions, lease))
    except JobCancelled:
        return _ended(
            run,
            "cancelled",
            lambda lease: finish(context.sessions, lease, status="cancelled"),
        )
    except JobTakenOver:
        log.warning("Job %s (%s) was resumed by another worker", lease.job_id, lease.kind)
        return "taken over"
    except Exception as exc:  # any failure is the job's, reported on its row
        log.exception("Job %s (%s) failed", lease.job_id, lease.kind)
        retry_after = timedelta(seconds=kind.retry_seconds if kind is not None else 30.0)
        error = _describe(exc)
        outcome = _ended(
            run,
            "failed",
            lambda lease: fail_or_retry(
                context.sessions, lease, error=error, retry_after=retry_after
            ),
        )
        return "retry" if outcome == "queued" else outcome
    for follow in run.after_done:
        try:
            follow()
        except Exception:  # the job is done; what follows it is logged and left
            log.exception("A follow-up of job %s (%s) failed", lease.job_id, lease.kind)
    return "done"


def _ended(run: JobRun, outcome: str, write: Callable[[Lease], str | None]) -> str:
    """Write how the job ended with its lease, or with the one before when the last progress
    was reported in a transaction that then rolled back; ``write``'s answer, else ``outcome``."""
    leases = [run.lease]
    if run.rolled_back_lease is not None:
        leases.append(run.rolled_back_lease)
    for lease in leases:
        try:
            return write(lease) or outcome
        except JobTakenOver:
            continue
    return "taken over"


def _describe(exc: BaseException) -> str:
    """The error for the job row: its type and message, never the texts being worked on."""
    return f"{type(exc).__name__}: {exc}"
