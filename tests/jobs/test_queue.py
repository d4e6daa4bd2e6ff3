"""The embedded queue: enqueue, claim, one job per workspace, crash and resume, stop."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select, update

from cxgap.db.event_writes import finish_import, start_import, store_events
from cxgap.db.tables import Job, TextEnrichment, utcnow
from cxgap.errors import JobTakenOver
from cxgap.events.model import Event
from cxgap.jobs import progress, store
from cxgap.jobs.runner import JobContext, run_job
from cxgap.jobs.worker import BackgroundWorker, Worker, enqueue_enrichment
from cxgap.services.core import Cxgap
from cxgap.services.workspaces import get_workspace
from cxgap.text.protocols import TextAnalysis, TopicSpec
from tests.factories import make_workspace
from tests.listening import RuleAnalyzer, add_feedback

TEXTS = [f"Parcel {n} was late but the staff were lovely" for n in range(10)]


class WorkerKilled(BaseException):
    """Stands for the process dying: nothing in cxgap catches it."""


class Dying(RuleAnalyzer):
    def __init__(self, topics: list[TopicSpec], *, fail_on: int, error: BaseException) -> None:
        super().__init__(topics)
        self.fail_on, self.error = fail_on, error

    def analyze(self, texts: list[str]) -> list[TextAnalysis]:  # type: ignore[override]
        if len(self.calls) + 1 == self.fail_on:
            raise self.error
        return super().analyze(texts)


def _job(cx: Cxgap, job_id: int) -> Job:
    with cx.reading() as session:
        job = session.get(Job, job_id)
        assert job is not None
        return job


def _enriched(cx: Cxgap) -> int:
    with cx.reading() as session:
        return session.scalar(select(func.count()).select_from(TextEnrichment)) or 0


def _setup(cx: Cxgap, texts: list[str] = TEXTS) -> int:
    with cx.transaction() as session:
        workspace = make_workspace(session)
        add_feedback(session, workspace, texts)
        return enqueue_enrichment(session, workspace).id


def _enqueue_again(cx: Cxgap) -> int:
    with cx.transaction() as session:
        return enqueue_enrichment(session, get_workspace(session, "acme")).id


def test_a_worker_runs_the_queued_job_to_the_end(cx: Cxgap, context: JobContext) -> None:
    job_id = _setup(cx, [*TEXTS, TEXTS[0], ""])
    seen: list[tuple[int, int]] = []
    assert Worker(context).run_once(progress=lambda d, t: seen.append((d, t))) == job_id
    job = _job(cx, job_id)
    assert (job.status, job.done, job.total, job.error) == ("done", 11, 11, "")
    assert job.started_at is not None and job.finished_at is not None
    assert seen[-1] == (11, 11) and len(seen) == 4  # batches of 3
    assert _enriched(cx) == 11
    with cx.reading() as session:  # what follows an enrichment, queued once it is done
        queued = session.execute(select(Job.kind, Job.status).where(Job.id != job_id)).all()
    assert [tuple(row) for row in queued] == [("overlay", "queued")]  # no embedder: no emerging
    assert Worker(context).run_once() not in (None, job_id)
    assert Worker(context).run_once() is None  # nothing left


def test_an_enrichment_of_a_workspace_with_events_queues_the_pages_warming(
    cx: Cxgap, context: JobContext
) -> None:
    """The paths and retention pages show the feedback's sentiment and topics: once the
    enrichment is stored, their reports are recomputed by a ``warm_pages`` job (only where
    the workspace holds events: the test above queues none)."""
    job_id = _setup(cx)
    with cx.transaction() as session:
        workspace = get_workspace(session, "acme")
        import_id = start_import(session, workspace.id, "log.csv", "generic")
        at = datetime(2024, 3, 1, 9, tzinfo=UTC)
        events = [Event("c1", at, "Visit", position=0), Event("c1", at, "Call", position=1)]
        store_events(session, workspace.id, import_id, iter(events))
        finish_import(session, import_id, events=2, cases=1, skipped=0)
    assert Worker(context).run_once() == job_id
    with cx.reading() as session:
        queued = session.execute(
            select(Job.kind, Job.status).where(Job.id != job_id).order_by(Job.id)
        ).all()
    assert [tuple(row) for row in queued] == [("overlay", "queued"), ("warm_pages", "queued")]


def test_enqueue_reuses_the_queued_job_and_queues_behind_a_running_one(
    cx: Cxgap, context: JobContext
) -> None:
    job_id = _setup(cx)
    assert _enqueue_again(cx) == job_id
    lease = store.claim(cx.sessions, job_id, stale_seconds=60)
    assert lease is not None
    behind = _enqueue_again(cx)
    assert behind != job_id
    # One running job per workspace: the second waits while the first is alive.
    assert store.claim(cx.sessions, behind, stale_seconds=60) is None
    assert store.claim(cx.sessions, job_id, stale_seconds=60) is None  # already taken
    assert run_job(context, lease) == "done"
    assert Worker(context).run_once() == behind
    assert _job(cx, behind).status == "done" and _job(cx, behind).total == 0


def test_a_failing_model_fails_the_job_and_a_new_job_does_only_the_rest(
    cx: Cxgap, context: JobContext
) -> None:
    job_id = _setup(cx)
    dying = Dying([], fail_on=3, error=RuntimeError("model exploded"))
    context.analyzer_factory = lambda topics, workspace_model_dir=None: dying
    Worker(context).run_once()
    job = _job(cx, job_id)
    assert job.status == "failed" and job.error == "RuntimeError: model exploded"
    assert (job.done, job.total) == (6, 10) and _enriched(cx) == 6
    healthy = RuleAnalyzer([])
    context.analyzer_factory = lambda topics, workspace_model_dir=None: healthy
    context._analyzers.clear()
    second = _enqueue_again(cx)
    Worker(context).run_once()
    done_before = {t for call in dying.calls for t in call}
    done_after = {t for call in healthy.calls for t in call}
    assert done_before.isdisjoint(done_after) and len(done_after) == 4
    assert _job(cx, second).status == "done" and _enriched(cx) == 10


def test_a_dead_worker_s_job_is_resumed_by_the_next_one(cx: Cxgap, context: JobContext) -> None:
    job_id = _setup(cx)
    dying = Dying([], fail_on=3, error=WorkerKilled())
    context.analyzer_factory = lambda topics, workspace_model_dir=None: dying
    first = store.claim(cx.sessions, job_id, stale_seconds=60)
    assert first is not None
    with pytest.raises(WorkerKilled):
        run_job(context, first)
    job = _job(cx, job_id)
    assert (job.status, job.done) == ("running", 6)
    # While the heartbeat is fresh nobody else may take it ...
    assert store.claimable_ids(cx.sessions, stale_seconds=60) == []
    with cx.reading() as session:
        shown = progress.progress_of(session, get_workspace(session, "acme"), stale_seconds=60)
    assert shown is not None and (shown.status, shown.done) == ("running", 6)
    # ... once it is stale, the next worker resumes it where it stopped.
    with cx.transaction() as session:
        session.execute(
            update(Job).where(Job.id == job_id).values(heartbeat_at=utcnow() - timedelta(minutes=5))
        )
    healthy = RuleAnalyzer([])
    context.analyzer_factory = lambda topics, workspace_model_dir=None: healthy
    context._analyzers.clear()
    assert Worker(context).run_once() == job_id
    job = _job(cx, job_id)
    assert (job.status, job.done, job.total) == ("done", 10, 10)
    assert sum(len(c) for c in healthy.calls) == 4
    assert _enriched(cx) == 10
    # The first worker, should it wake up, can no longer write for the job.
    with cx.transaction() as session, pytest.raises(JobTakenOver):
        store.renew(session, first)


def test_stopping_puts_the_job_back_in_the_queue(cx: Cxgap, context: JobContext) -> None:
    job_id = _setup(cx)

    def stop_after_first_batch(done: int, total: int) -> None:
        context.stop.set()

    lease = store.claim(cx.sessions, job_id, stale_seconds=60)
    assert lease is not None
    assert run_job(context, lease, progress=stop_after_first_batch) == "released"
    job = _job(cx, job_id)
    assert (job.status, job.done) == ("queued", 3)
    context.stop.clear()
    assert Worker(context).run_once() == job_id
    job = _job(cx, job_id)
    assert (job.status, job.done, job.total) == ("done", 10, 10)


def test_the_background_worker_thread_picks_jobs_up_and_stops(
    cx: Cxgap, context: JobContext
) -> None:
    job_id = _setup(cx)
    background = BackgroundWorker(Worker(context, poll_seconds=0.05))
    background.start()
    try:
        for _ in range(200):
            if _job(cx, job_id).status == "done":
                break
            context.stop.wait(0.05)
    finally:
        background.stop()
    assert _job(cx, job_id).status == "done"
    assert not background.alive


def test_progress_reports_rate_eta_and_stalled_jobs(cx: Cxgap) -> None:
    job_id = _setup(cx)
    now = utcnow()
    with cx.transaction() as session:
        session.execute(
            update(Job)
            .where(Job.id == job_id)
            .values(
                status="running",
                total=100,
                done=40,
                started_at=now - timedelta(seconds=20),
                heartbeat_at=now,
            )
        )
    with cx.reading() as session:
        job = session.get(Job, job_id)
        assert job is not None
        shown = progress.job_progress(job, stale_seconds=60)
        stalled = progress.job_progress(job, stale_seconds=0)
    assert shown.status == "running"
    assert shown.rate == pytest.approx(2.0, rel=0.01)
    assert shown.eta_seconds == pytest.approx(30.0, rel=0.01)
    assert shown.as_dict()["share"] == 0.4
    assert stalled.status == "stalled" and stalled.eta_seconds is None
