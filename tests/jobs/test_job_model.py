"""The one job model: any kind of work queued, claimed, retried, cancelled, de-duplicated and
kept apart by its exclusivity key, with its result and error on its row."""

from __future__ import annotations

import threading
from collections.abc import Mapping
from datetime import timedelta

import pytest
from sqlalchemy import update

from cxgap.db.tables import Job, utcnow
from cxgap.errors import ConflictError, NotFoundError
from cxgap.jobs import progress, store
from cxgap.jobs.kinds import JobKind, JobRun
from cxgap.jobs.runner import JobContext
from cxgap.jobs.worker import Worker
from cxgap.services.core import Cxgap
from tests.factories import make_workspace


class Steps:
    """A kind whose run counts to ``payload['n']``, one step at a time, failing on demand."""

    def __init__(self) -> None:
        self.fail_times = 0
        self.calls = 0
        self.gate: threading.Event | None = None
        self.started = threading.Event()

    def __call__(self, run: JobRun) -> Mapping[str, object]:
        self.calls += 1
        if self.fail_times:
            self.fail_times -= 1
            raise RuntimeError("the mail server said no")
        n = int(str(run.payload["n"]))
        for step in range(run.done, n):
            self.started.set()
            if self.gate is not None:
                self.gate.wait(5)
            run.check()
            run.progress(step + 1, n, stage="counting")
        return {"counted": n}


@pytest.fixture
def steps() -> Steps:
    return Steps()


@pytest.fixture
def ctx(cx: Cxgap, steps: Steps) -> JobContext:
    return JobContext(
        sessions=cx.sessions,
        data_dir=cx.settings.data_dir,
        stale_seconds=60,
        kinds={"count": JobKind("count", steps, retry_seconds=0.0)},
    )


def _queue(cx: Cxgap, **options: object) -> int:
    with cx.transaction() as session:
        return store.enqueue(session, "count", payload={"n": 3}, **options).id  # type: ignore[arg-type]


def _row(cx: Cxgap, job_id: int) -> Job:
    with cx.reading() as session:
        job = session.get(Job, job_id)
        assert job is not None
        return job


def test_a_job_of_any_kind_runs_with_progress_and_a_result(cx: Cxgap, ctx: JobContext) -> None:
    job_id = _queue(cx)
    seen: list[tuple[int, int]] = []
    assert Worker(ctx).run_once(progress=lambda d, t: seen.append((d, t))) == job_id
    job = _row(cx, job_id)
    assert (job.status, job.done, job.total, job.stage) == ("done", 3, 3, "counting")
    assert job.result == {"counted": 3} and job.attempts == 1 and job.error == ""
    assert seen == [(1, 3), (2, 3), (3, 3)]


def test_a_kind_the_worker_does_not_know_is_left_for_another_worker(
    cx: Cxgap, ctx: JobContext
) -> None:
    with cx.transaction() as session:
        job_id = store.enqueue(session, "translate").id
    assert Worker(ctx).run_once() is None
    assert _row(cx, job_id).status == "queued"


def test_a_failure_is_retried_later_then_stored_with_its_reason(
    cx: Cxgap, ctx: JobContext, steps: Steps
) -> None:
    steps.fail_times = 5
    job_id = _queue(cx, max_attempts=2)
    worker = Worker(ctx)
    assert worker.run_once() == job_id
    job = _row(cx, job_id)
    assert (job.status, job.attempts) == ("queued", 1)
    assert job.error == "RuntimeError: the mail server said no" and job.run_after is not None
    assert worker.run_once() == job_id  # retry_seconds=0: due at once
    job = _row(cx, job_id)
    assert (job.status, job.attempts, job.finished_at is not None) == ("failed", 2, True)
    assert worker.run_once() is None  # no attempt left
    with cx.transaction() as session:
        store.retry(session, job_id)
    steps.fail_times = 0
    assert worker.run_once() == job_id
    assert (_row(cx, job_id).status, _row(cx, job_id).error) == ("done", "")


def test_a_job_due_later_waits(cx: Cxgap, ctx: JobContext) -> None:
    job_id = _queue(cx, run_after=utcnow() + timedelta(hours=1))
    assert Worker(ctx).run_once() is None
    with cx.reading() as session:
        (shown,) = progress.list_jobs(session, workspace_id=None)
    assert shown.id == job_id and shown.status == "waiting" and shown.cancellable


def test_cancelling_a_waiting_job_and_a_running_one(
    cx: Cxgap, ctx: JobContext, steps: Steps
) -> None:
    waiting = _queue(cx)
    with cx.transaction() as session:
        store.cancel(session, waiting)
    assert Worker(ctx).run_once() is None
    assert _row(cx, waiting).status == "cancelled"

    running = _queue(cx)
    steps.gate = threading.Event()
    thread = threading.Thread(target=Worker(ctx).run_once)
    thread.start()
    assert steps.started.wait(5)
    with cx.transaction() as session:
        store.cancel(session, running)
    steps.gate.set()
    thread.join(10)
    job = _row(cx, running)
    assert job.status == "cancelled" and job.done < 3
    with cx.transaction() as session, pytest.raises(ConflictError, match="only a waiting"):
        store.cancel(session, running)


def test_a_worker_shutting_down_puts_the_job_back_and_another_resumes_it(
    cx: Cxgap, ctx: JobContext, steps: Steps
) -> None:
    job_id = _queue(cx)
    steps.gate = threading.Event()
    first = threading.Thread(target=Worker(ctx).run_once)
    first.start()
    assert steps.started.wait(5)
    ctx.stop.set()
    steps.gate.set()
    first.join(10)
    assert _row(cx, job_id).status == "queued"
    ctx.stop.clear()
    steps.gate = None
    assert Worker(ctx).run_once() == job_id
    assert (_row(cx, job_id).status, _row(cx, job_id).result) == ("done", {"counted": 3})


def test_jobs_sharing_an_exclusive_key_never_run_together(cx: Cxgap, ctx: JobContext) -> None:
    first = _queue(cx, exclusive="mail:acme")
    second = _queue(cx, exclusive="mail:acme")
    other = _queue(cx, exclusive="mail:globex")
    lease = store.claim(cx.sessions, first, stale_seconds=60)
    assert lease is not None
    assert store.claim(cx.sessions, second, stale_seconds=60) is None
    assert store.claim(cx.sessions, other, stale_seconds=60) is not None
    # the first one's worker died: its key is free again once it is stale
    with cx.transaction() as session:
        session.execute(
            update(Job).where(Job.id == first).values(heartbeat_at=utcnow() - timedelta(hours=1))
        )
    assert store.claim(cx.sessions, second, stale_seconds=60) is not None


def test_a_dedupe_key_gives_one_job_however_often_it_is_queued(cx: Cxgap) -> None:
    ids = {_queue(cx, dedupe="digest:2026-12-03") for _ in range(3)}
    assert len(ids) == 1
    with cx.transaction() as session:
        store.enqueue(session, "count", dedupe="digest:2026-12-04")
        # inserted by "another process" meanwhile: the savepoint's unique violation is absorbed
        session.add(Job(kind="count", status="queued", dedupe="digest:2026-12-05"))
        session.flush()
        found = store.enqueue(session, "count", dedupe="digest:2026-12-05")
        assert found.kind == "count"


def test_coalescing_reuses_the_queued_job_of_the_workspace(cx: Cxgap) -> None:
    with cx.transaction() as session:
        workspace = make_workspace(session)
        first = store.enqueue(session, "count", workspace_id=workspace.id, coalesce=True)
        again = store.enqueue(session, "count", workspace_id=workspace.id, coalesce=True)
        other_kind = store.enqueue(session, "export", workspace_id=workspace.id, coalesce=True)
        assert first.id == again.id != other_kind.id


def test_retry_and_cancel_stay_inside_the_workspace(cx: Cxgap) -> None:
    with cx.transaction() as session:
        acme = make_workspace(session)
        job_id = store.enqueue(session, "count", workspace_id=acme.id).id
    with cx.transaction() as session, pytest.raises(NotFoundError):
        store.cancel(session, job_id, workspace_id=acme.id + 1)
    with cx.transaction() as session, pytest.raises(ConflictError, match="only a failed"):
        store.retry(session, job_id, workspace_id=acme.id)


@pytest.mark.parametrize("locale", ["en", "fr"])
def test_every_kind_has_a_name_on_the_jobs_page(locale: str) -> None:
    from cxgap.i18n import catalog
    from cxgap.jobs.registry import job_kinds

    missing = [k for k in job_kinds() if f"jobops.kind.{k}" not in catalog(locale)]
    assert missing == []
