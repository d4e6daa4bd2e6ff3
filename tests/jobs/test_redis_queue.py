"""The Redis backend: ids pushed on commit, workers block on the list, the table decides.

Needs a Redis server (CXGAP_REDIS_URL, default 127.0.0.1:6379); skipped with the reason when
none answers, unless CXGAP_REQUIRE_REDIS=1 (CI), where that is a failure.
"""

from __future__ import annotations

import os
import secrets
import threading
import time
from collections.abc import Iterator

import pytest
from sqlalchemy import select

from cxgap.db.tables import Job
from cxgap.errors import QueueUnavailableError
from cxgap.jobs.redis_queue import RedisQueue
from cxgap.jobs.runner import JobContext
from cxgap.jobs.worker import Worker, enqueue_enrichment
from cxgap.services.core import Cxgap
from cxgap.services.workspaces import get_workspace
from tests.factories import make_workspace
from tests.listening import add_feedback

REDIS_URL = os.environ.get("CXGAP_REDIS_URL", "redis://127.0.0.1:6379/0")


@pytest.fixture
def redis_queue(monkeypatch: pytest.MonkeyPatch) -> Iterator[RedisQueue]:
    """A Redis list of its own for the test, and CXGAP_QUEUE=redis pointing at it."""
    queue = RedisQueue(REDIS_URL, key=f"cxgap-test:{secrets.token_hex(6)}")
    try:
        queue.ping()
    except QueueUnavailableError as exc:
        queue.close()
        if os.environ.get("CXGAP_REQUIRE_REDIS") == "1":
            pytest.fail(str(exc))
        pytest.skip(str(exc))
    monkeypatch.setenv("CXGAP_QUEUE", "redis")
    monkeypatch.setenv("CXGAP_REDIS_URL", REDIS_URL)
    monkeypatch.setenv("CXGAP_REDIS_KEY", queue.key)
    yield queue
    queue.clear()
    queue.close()


def _status(cx: Cxgap, job_id: int) -> str:
    with cx.reading() as session:
        job = session.get(Job, job_id)
        assert job is not None
        return job.status


def _enqueue(cx: Cxgap, texts: list[str]) -> int:
    with cx.transaction() as session:
        workspace = make_workspace(session)
        add_feedback(session, workspace, texts)
        job = enqueue_enrichment(session, workspace)
        assert job.queue == "redis"
        queue = RedisQueue(REDIS_URL, key=os.environ["CXGAP_REDIS_KEY"])
        assert len(queue) == 0  # not before the commit
        queue.close()
        return job.id


def test_the_job_id_is_pushed_once_the_transaction_commits(
    cx: Cxgap, context: JobContext, redis_queue: RedisQueue
) -> None:
    job_id = _enqueue(cx, ["Late parcel", "Lovely staff"])
    assert len(redis_queue) == 1
    popped = redis_queue.pop(1)
    assert popped == job_id
    worker = Worker(context, queue="redis", redis=redis_queue)
    assert worker.run_job_id(job_id)
    assert _status(cx, job_id) == "done"
    assert not worker.run_job_id(job_id)  # a duplicate id is skipped, not run twice


def test_a_rolled_back_enqueue_pushes_nothing(cx: Cxgap, redis_queue: RedisQueue) -> None:
    with pytest.raises(RuntimeError), cx.transaction() as session:
        workspace = make_workspace(session)
        enqueue_enrichment(session, workspace)
        raise RuntimeError("the import failed")
    assert len(redis_queue) == 0


def test_a_worker_process_loop_consumes_the_list_and_sweeps_lost_pushes(
    cx: Cxgap, context: JobContext, redis_queue: RedisQueue
) -> None:
    job_id = _enqueue(cx, ["Late parcel"])
    redis_queue.clear()  # the push is lost (Redis restarted): the table still has the job
    worker = Worker(context, queue="redis", redis=redis_queue, poll_seconds=0.1)
    stop = threading.Event()
    thread = threading.Thread(target=worker.run_forever, args=(stop,))
    thread.start()
    try:
        deadline = time.monotonic() + 120  # a loaded CI machine loads the models slowly
        while _status(cx, job_id) != "done" and time.monotonic() < deadline:
            stop.wait(0.05)
        with cx.transaction() as session:
            add_feedback(session, get_workspace(session, "acme"), ["New text"], prefix="new")
            second = enqueue_enrichment(session, get_workspace(session, "acme")).id
        # the enrichment, then the overlay rebuild it queues (pushed too) once it is stored as
        # done, so its status alone says nothing of the push to come; a sweep may push an id a
        # second time, which the worker pops and skips: wait until the overlay that follows it
        # has run and the list is drained
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if _followed(cx, second) and len(redis_queue) == 0 and not _waiting(cx):
                break
            stop.wait(0.05)
    finally:
        stop.set()
        thread.join(10)
    assert _status(cx, job_id) == "done" and _status(cx, second) == "done"
    assert len(redis_queue) == 0


def _followed(cx: Cxgap, job_id: int) -> bool:
    """The job is done and an overlay rebuild finished after it (the follow-up it queues,
    new or the queued one it joined)."""
    with cx.reading() as session:
        job = session.get(Job, job_id)
        if job is None or job.status != "done" or job.finished_at is None:
            return False
        overlay = select(Job.id).where(
            Job.kind == "overlay", Job.status == "done", Job.finished_at >= job.finished_at
        )
        return session.scalar(overlay.limit(1)) is not None


def _waiting(cx: Cxgap) -> list[int]:
    with cx.reading() as session:
        return list(session.scalars(select(Job.id).where(Job.status.in_(("queued", "running")))))


def test_an_unreachable_redis_is_named() -> None:
    queue = RedisQueue("redis://127.0.0.1:1/0")
    with pytest.raises(QueueUnavailableError, match=r"127\.0\.0\.1:1/"):
        queue.ping()
    queue.close()
