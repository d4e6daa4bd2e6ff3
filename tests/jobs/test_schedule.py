"""Scheduled tasks: each due slot queued once however many workers tick, run as jobs, and
the webhook deliveries and the purge they stand for done once."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from sqlalchemy import func, select, update

from cxgap.config import ScheduleSettings
from cxgap.db.tables import Job, WebhookDelivery, utcnow
from cxgap.jobs import store
from cxgap.jobs.maintenance import PURGE_KIND, WEBHOOKS_KIND
from cxgap.jobs.runner import JobContext
from cxgap.jobs.schedule import Periodic, Scheduler, periodic_tasks
from cxgap.jobs.worker import Worker
from cxgap.services.core import Cxgap
from cxgap.webhooks import store as hooks
from tests.factories import make_workspace

NOON = datetime(2026, 12, 3, 12, 0, 0, tzinfo=UTC)


@pytest.fixture
def hits() -> Iterator[tuple[str, list[bytes]]]:
    received: list[bytes] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            received.append(self.rfile.read(int(self.headers["Content-Length"])))
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/hook", received
    server.shutdown()
    server.server_close()


def _context(cx: Cxgap) -> JobContext:
    kinds = {k.name: k for k in (WEBHOOKS_KIND, PURGE_KIND)}
    return JobContext(cx.sessions, cx.settings.data_dir, kinds=kinds, settings=cx.settings)


def _jobs(cx: Cxgap) -> list[tuple[str, str, str | None]]:
    with cx.reading() as session:
        rows = session.execute(select(Job.kind, Job.status, Job.dedupe).order_by(Job.id))
        return [(k, s, d) for k, s, d in rows]


def test_a_slot_is_aligned_on_the_epoch() -> None:
    task = Periodic("t", "t", timedelta(minutes=5))
    assert task.slot(NOON + timedelta(minutes=7, seconds=3)) == NOON + timedelta(minutes=5)
    assert Periodic("d", "d", timedelta(days=1)).slot(NOON) == NOON.replace(hour=0)


def test_many_schedulers_queue_each_slot_once(cx: Cxgap) -> None:
    now = [NOON]
    task = Periodic("digest", "digest", timedelta(minutes=1), payload={"x": 1})
    schedulers = [Scheduler(cx.sessions, (task,), clock=lambda: now[0]) for _ in range(3)]
    for scheduler in schedulers:
        scheduler.tick()
    now[0] = NOON + timedelta(seconds=30)  # same slot: nothing new
    for scheduler in schedulers:
        scheduler.tick()
    assert _jobs(cx) == [("digest", "queued", "digest:2026-12-03T12:00:00+00:00")]
    with cx.transaction() as session:  # the first slot ran
        session.execute(update(Job).values(status="done", finished_at=utcnow()))
    now[0] = NOON + timedelta(minutes=1, seconds=1)
    for scheduler in reversed(schedulers):
        scheduler.tick()
    assert _jobs(cx)[-1] == ("digest", "queued", "digest:2026-12-03T12:01:00+00:00")
    assert len(_jobs(cx)) == 2


def test_webhooks_are_queued_only_when_deliveries_are_due_and_delivered_once(
    cx: Cxgap, hits: tuple[str, list[bytes]]
) -> None:
    url, received = hits
    tasks = periodic_tasks(ScheduleSettings(webhook_seconds=1))[:1]
    now = [datetime.now(UTC)]
    workers = [
        Worker(_context(cx), scheduler=Scheduler(cx.sessions, tasks, clock=lambda: now[0]))
        for _ in range(2)
    ]
    for worker in workers:
        worker.tick()
    assert _jobs(cx) == []  # nothing due: no job row
    with cx.transaction() as session:
        workspace = make_workspace(session)
        hooks.add_webhook(session, workspace=workspace, url=url, events=["enrichment.finished"])
        hooks.emit(session, workspace.id, "enrichment.finished", {"n": 1})
    now[0] = now[0] + timedelta(seconds=2)
    for worker in workers:
        worker.tick()
        while worker.run_once() is not None:
            pass
    assert [(k, s) for k, s, _ in _jobs(cx)] == [("webhooks", "done")]
    assert len(received) == 1
    with cx.reading() as session:
        assert session.scalar(select(WebhookDelivery.status)) == "delivered"


def test_the_purge_deletes_old_finished_jobs_only(cx: Cxgap) -> None:
    old = utcnow() - timedelta(days=40)
    with cx.transaction() as session:
        for status in ("done", "failed", "cancelled", "queued"):
            job = store.enqueue(session, "count", payload={})
            job.status, job.created_at = status, old
            job.finished_at = old if status != "queued" else None
        recent = store.enqueue(session, "count")
        recent.status, recent.finished_at = "done", utcnow() - timedelta(days=2)
    worker = Worker(_context(cx), scheduler=Scheduler(cx.sessions, periodic_tasks()[1:]))
    worker.tick()
    assert worker.run_once() is not None
    with cx.reading() as session:
        left = list(session.execute(select(Job.kind, Job.status).order_by(Job.id)))
        purge = session.scalar(select(Job).where(Job.kind == "purge"))
        assert purge is not None and purge.result == {"jobs_deleted": 3, "keep_days": 30}
    assert [tuple(r) for r in left] == [("count", "queued"), ("count", "done"), ("purge", "done")]
    with cx.reading() as session:
        assert session.scalar(select(func.count()).select_from(Job)) == 3
