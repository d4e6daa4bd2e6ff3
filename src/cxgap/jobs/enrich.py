"""The enrichment job: seed the taxonomy, retrain on corrections, enrich what is pending.

Progress and heartbeat are written in each batch's own transaction (``enrich_pending``'s
hook), so the job row never claims more work than is stored, and a worker that lost its lease
rolls its batch back. Once the job is stored as done, the journey overlay's index and the
emerging topics are queued, as jobs of their own, to follow the new analyses.
"""

from __future__ import annotations

import logging

from sqlalchemy.orm import Session

from cxgap.db.tables import Workspace
from cxgap.errors import NotFoundError
from cxgap.jobs import follow_ups
from cxgap.jobs.idea_evidence import queue_idea_evidence
from cxgap.jobs.kinds import JobKind, JobRun
from cxgap.jobs.store import ENRICH
from cxgap.jobs.warming import queue_warm_pages
from cxgap.services import corrections, enrichment, page_warming
from cxgap.text.protocols import TextAnalyzer

log = logging.getLogger(__name__)


def run_enrichment(run: JobRun) -> dict[str, object]:
    context = run.context
    workspace = _workspace(run)
    _retrain(run, workspace)
    analyzer = context.analyzer_for(workspace)
    with context.sessions() as session:
        pending = enrichment.pending_count(session, workspace.id, analyzer.name)
    started_with = run.done
    run.progress(run.done, run.done + pending, stage="enriching")

    def on_batch(session: Session, count: int) -> None:
        run.progress(run.done + count, session=session)  # only once the batch is accepted

    analyse = None
    if context.engine is not None:  # analysed elsewhere (Ray), stored here, the same way
        analyse = context.engine.analyser(context.recipe_for(workspace), version=analyzer.name)
    enrichment.enrich_pending(
        context.sessions,
        workspace,
        analyzer,
        batch_size=context.batch_size,
        on_batch=on_batch,
        should_stop=lambda: run.stopping,
        analyse=analyse,
    )
    run.check()  # stopped part-way: back in the queue
    run.after_done.append(lambda: _queue_follow_ups(run, workspace.id))
    return {"texts": run.done - started_with, "analyzer": _name(analyzer)}


KIND = JobKind(ENRICH, run_enrichment)


def _name(analyzer: TextAnalyzer) -> str:
    return str(getattr(analyzer, "name", ""))


def _workspace(run: JobRun) -> Workspace:
    with run.context.sessions() as session:
        workspace = session.get(Workspace, run.workspace_id) if run.workspace_id else None
        if workspace is None:
            raise NotFoundError(f"No workspace with id {run.workspace_id}")
        return workspace


def _retrain(run: JobRun, workspace: Workspace) -> None:
    context = run.context
    model_dir = corrections.workspace_model_dir(context.data_dir, workspace)
    with context.sessions() as session:
        corrections.retrain_if_needed(
            session,
            workspace,
            model_dir=model_dir,
            trainer=context.trainer or corrections.default_trainer,
        )
    run.progress(run.done, stage="retraining")


def _queue_follow_ups(run: JobRun, workspace_id: int) -> None:
    """Once the job is stored as done: the overlay index (which folds in the texts analysed
    since its last look), the paths and retention pages' reports when the workspace holds
    events (they show its sentiment and topics), and, when this worker can embed, the
    emerging topics, each a job of its own."""
    with run.context.sessions() as session, session.begin():
        follow_ups.queue_overlay(session, workspace_id)
        if page_warming.has_events(session, workspace_id):  # the paths join the feedback
            queue_warm_pages(session, workspace_id)
        if run.context.embedder_factory is not None:
            follow_ups.queue_emerging(session, workspace_id)
        queue_idea_evidence(session, workspace_id)  # the ideas' verbatims and topics
