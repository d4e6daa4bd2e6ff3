"""The ``idea_evidence`` kind: which verbatims ask for the same thing as each idea
(``services/idea_evidence.py``). Queued with a workspace after its enrichment (new texts, new
sentiments and topics), and without one by the scheduler every minute while some workspace
has an idea that is new, edited or merged since its evidence was computed. One runs at a time
in the installation; a stopped one resumes (the vectors already made are kept)."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from cxgap.db.tables import Idea, Job, Workspace
from cxgap.jobs.kinds import JobKind, JobRun
from cxgap.jobs.worker import submit
from cxgap.services import idea_evidence
from cxgap.text.protocols import Embedder

IDEA_EVIDENCE = "idea_evidence"
FAILED_PAUSE = timedelta(minutes=15)


def queue_idea_evidence(session: Session, workspace_id: int) -> Job | None:
    """After new or re-read verbatims: the workspace's evidence again, if it has ideas."""
    from cxgap.text.dependencies import missing_text_modules

    has_ideas = session.scalar(select(exists().where(Idea.workspace_id == workspace_id)))
    if not has_ideas or missing_text_modules():
        return None
    return submit(
        session,
        IDEA_EVIDENCE,
        workspace_id=workspace_id,
        exclusive=IDEA_EVIDENCE,
        coalesce=True,
        max_attempts=3,
    )


def evidence_due(session: Session, now: datetime) -> bool:
    """The scheduler's check: some idea is new, edited or merged since its evidence was
    computed, the text models are installed (a slim install has none to match with), and no
    such job failed in the last 15 minutes (a failing one is not queued again every minute)."""
    from cxgap.services.idea_evidence import stale_workspaces
    from cxgap.text.dependencies import missing_text_modules

    failed = exists().where(
        Job.kind == IDEA_EVIDENCE,
        Job.status == "failed",
        Job.finished_at >= now - FAILED_PAUSE,
    )
    if missing_text_modules() or session.scalar(select(failed)):
        return False
    return bool(stale_workspaces(session))


def run_idea_evidence(run: JobRun) -> dict[str, object]:
    embedder = _embedder(run)
    with run.context.sessions() as session:
        if run.workspace_id is not None:
            found = session.get(Workspace, run.workspace_id)
            ids = [] if found is None else [found.id]
        else:
            ids = idea_evidence.stale_workspaces(session)
    embedded = matches = ideas = 0
    for workspace_id in ids:

        def step(stage: str, done: int, total: int, session: Session) -> None:
            run.check()
            run.progress(done, total, session=session, stage=stage)

        outcome = idea_evidence.refresh_evidence(run.context.sessions, workspace_id, embedder, step)
        embedded += outcome.embedded
        matches += outcome.matches
        ideas += outcome.ideas
    return {"workspaces": len(ids), "ideas": ideas, "embedded": embedded, "matches": matches}


def _embedder(run: JobRun) -> Embedder:
    factory = run.context.embedder_factory
    if factory is not None:
        return factory()
    from cxgap.services.emerging import default_embedder

    return default_embedder()


KIND = JobKind(IDEA_EVIDENCE, run_idea_evidence, retry_seconds=60.0)
