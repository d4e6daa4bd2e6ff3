"""Work one claimed enrichment job: seed the taxonomy, retrain on corrections, enrich.

Whatever the queue, a job runs the same way. Progress and heartbeat are written in each
batch's own transaction (``enrich_pending``'s hook), so the job row never claims more work
than is stored, and a worker that lost its lease rolls its batch back.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

from cxgap.db.tables import EnrichmentJob, Workspace
from cxgap.errors import NotFoundError
from cxgap.jobs.settings import QueueSettings
from cxgap.jobs.store import JobTakenOver, Lease, finish, release, renew
from cxgap.services import corrections, emerging, enrichment, overlay, taxonomy
from cxgap.services.core import Cxgap
from cxgap.text.protocols import Embedder, TextAnalyzer

log = logging.getLogger(__name__)

MAX_CACHED_ANALYZERS = 8
JobProgressCallback = Callable[[int, int], None]
"""(texts done in this job, texts in the job) after each batch."""


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
        )
        for name, value in overrides.items():
            setattr(context, name, value)
        return context

    def analyzer_for(self, workspace: Workspace) -> TextAnalyzer:
        """The workspace's analyzer: its active topics and, once trained, its own model."""
        with self.sessions() as session, session.begin():
            specs = taxonomy.topic_specs(session, workspace)  # seeds the taxonomy if needed
        model_dir = corrections.workspace_model_dir(self.data_dir, workspace)
        stamp = corrections.trained_stamp(model_dir)
        fingerprint = taxonomy.taxonomy_fingerprint(specs)
        key = f"{workspace.id}:{fingerprint}:{stamp}"
        if key not in self._analyzers:
            if len(self._analyzers) >= MAX_CACHED_ANALYZERS:  # drop the oldest
                self._analyzers.pop(next(iter(self._analyzers)))
            factory = self.analyzer_factory or enrichment.default_analyzer_factory
            inner = factory(specs, workspace_model_dir=model_dir if stamp else None)
            self._analyzers[key] = enrichment.VersionedAnalyzer(
                inner, taxonomy=fingerprint, workspace_model=stamp
            )
        return self._analyzers[key]


@dataclass
class _Tally:
    lease: Lease
    done: int
    total: int


def run_job(
    context: JobContext, lease: Lease, *, progress: JobProgressCallback | None = None
) -> str:
    """Run the claimed job to its end; its final status: "done", "failed", "taken over", or
    "released" (asked to stop: back in the queue, to be resumed)."""
    tally = _Tally(lease, done=0, total=0)
    try:
        workspace = _workspace(context, lease.workspace_id)
        tally.lease = _retrain(context, tally.lease, workspace)
        analyzer = context.analyzer_for(workspace)
        _start(context, tally, analyzer)
        _enrich(context, tally, workspace, analyzer, progress)
        if context.stop.is_set():
            release(context.sessions, tally.lease)
            return "released"
        finish(context.sessions, tally.lease, status="done")
        _refresh_overlay(context, workspace.id)
        _refresh_emerging(context, workspace)
        return "done"
    except JobTakenOver:
        log.warning("Enrichment job %s was resumed by another worker", lease.job_id)
        return "taken over"
    except Exception as exc:  # any failure is the job's, reported on its row
        log.exception("Enrichment job %s failed", lease.job_id)
        try:
            finish(context.sessions, tally.lease, status="failed", error=_describe(exc))
        except JobTakenOver:
            return "taken over"
        return "failed"


def _workspace(context: JobContext, workspace_id: int) -> Workspace:
    with context.sessions() as session:
        workspace = session.get(Workspace, workspace_id)
        if workspace is None:
            raise NotFoundError(f"No workspace with id {workspace_id}")
        return workspace


def _retrain(context: JobContext, lease: Lease, workspace: Workspace) -> Lease:
    model_dir = corrections.workspace_model_dir(context.data_dir, workspace)
    with context.sessions() as session:
        corrections.retrain_if_needed(
            session,
            workspace,
            model_dir=model_dir,
            trainer=context.trainer or corrections.default_trainer,
        )
    with context.sessions() as session, session.begin():
        return renew(session, lease)


def _start(context: JobContext, tally: _Tally, analyzer: TextAnalyzer) -> None:
    """Record how many texts the job covers: those done so far plus those still pending."""
    with context.sessions() as session, session.begin():
        pending = enrichment.pending_count(session, tally.lease.workspace_id, analyzer.name)
        job = session.get(EnrichmentJob, tally.lease.job_id)
        tally.done = job.done if job is not None else 0
        tally.total = tally.done + pending
        tally.lease = renew(session, tally.lease, total=tally.total)


def _enrich(
    context: JobContext,
    tally: _Tally,
    workspace: Workspace,
    analyzer: TextAnalyzer,
    progress: JobProgressCallback | None,
) -> None:
    def on_batch(session: Session, count: int) -> None:
        tally.lease = renew(session, tally.lease, done=tally.done + count)
        tally.done += count  # only once the batch's writes are accepted
        if progress is not None:
            progress(tally.done, tally.total)

    enrichment.enrich_pending(
        context.sessions,
        workspace,
        analyzer,
        batch_size=context.batch_size,
        on_batch=on_batch,
        should_stop=context.stop.is_set,
    )


def _refresh_emerging(context: JobContext, workspace: Workspace) -> None:
    """Recompute the emerging topics from the new enrichment; the job is done whatever happens
    here (a failure is logged, and the page keeps the previous result)."""
    if context.embedder_factory is None:
        return
    try:
        emerging.refresh(context.sessions, workspace.id, context.data_dir, context.embedder_factory)
    except Exception:
        log.exception("Refreshing the emerging topics of workspace %s failed", workspace.id)


def _refresh_overlay(context: JobContext, workspace_id: int) -> None:
    """Rebuild the journey overlay's index over the new analyses now, in the worker, rather
    than on the first journey view (after ``finish``: the job's status is part of what the
    index was built from). The job is done whatever happens here: a failure leaves the
    rebuild to that view."""
    try:
        with context.sessions() as session, session.begin():
            workspace = session.get(Workspace, workspace_id)
            if workspace is not None:
                overlay.refresh_overlay_index(session, workspace=workspace)
    except Exception:  # the enrichment is stored; only the early rebuild is lost
        log.exception("Rebuilding the overlay index after job of workspace %s failed", workspace_id)


def _describe(exc: BaseException) -> str:
    """The error for the job row: its type and message, never the texts being enriched."""
    return f"{type(exc).__name__}: {exc}"
