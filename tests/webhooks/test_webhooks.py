"""Webhooks against a real HTTP server on loopback: signed payloads, retries with backoff,
and the delivery log, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from cxgap.errors import ValidationError
from cxgap.services import feedback_imports
from cxgap.services.core import Cxgap
from cxgap.services.workspaces import get_workspace
from cxgap.webhooks import store
from cxgap.webhooks.sender import RetryPolicy, deliver_due
from cxgap.webhooks.signing import SIGNATURE_HEADER, verify
from tests.factories import make_workspace

DATA = Path(__file__).resolve().parents[1] / "data" / "feedback"
POLICY = RetryPolicy(base_seconds=10, max_attempts=3, timeout=5)


@dataclass
class Receiver:
    """What the loopback server was sent, and the statuses it answers with in turn."""

    url: str
    statuses: list[int] = field(default_factory=list)
    received: list[tuple[dict[str, str], bytes]] = field(default_factory=list)


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    state = Receiver(url="")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            state.received.append((dict(self.headers), body))
            self.send_response(state.statuses.pop(0) if state.statuses else 204)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}/hook"
    yield state
    server.shutdown()
    server.server_close()


def _register(cx: Cxgap, url: str, events: list[str]) -> str:
    with cx.transaction() as session:
        workspace = make_workspace(session)
        return store.add_webhook(session, workspace=workspace, url=url, events=events).secret


def _import(cx: Cxgap, name: str) -> None:
    feedback_imports.run_feedback_import(cx, workspace_key="acme", source=DATA / name, name=name)


def _log(cx: Cxgap) -> list[tuple[str, str, int, str | None]]:
    with cx.reading() as session:
        rows = store.recent_deliveries(session, get_workspace(session, "acme"))
        return [(d.event, d.status, d.attempts, d.last_error) for d, _ in reversed(rows)]


def test_an_import_posts_signed_events_to_the_webhook(cx: Cxgap, receiver: Receiver) -> None:
    secret = _register(cx, receiver.url, ["feedback.created", "import.finished"])
    _import(cx, "generic.csv")
    now = datetime.now(UTC)
    assert deliver_due(cx.sessions, now=now, policy=POLICY) == 2
    events = []
    for headers, body in receiver.received:
        assert verify(secret, headers[SIGNATURE_HEADER], body, now=int(now.timestamp()))
        assert not verify("whsec_wrong", headers[SIGNATURE_HEADER], body, now=int(now.timestamp()))
        payload = json.loads(body)
        assert headers["X-Cxgap-Event"] == payload["event"] and payload["workspace"] == "acme"
        events.append((payload["event"], payload["data"]["records_stored"]))
    assert events == [("feedback.created", 6), ("import.finished", 6)]
    assert receiver.received[0][1] != receiver.received[1][1]
    assert _log(cx) == [
        ("feedback.created", "delivered", 1, None),
        ("import.finished", "delivered", 1, None),
    ]
    assert deliver_due(cx.sessions, now=now + timedelta(hours=1), policy=POLICY) == 0


def test_a_refused_import_is_announced_without_new_feedback(cx: Cxgap, receiver: Receiver) -> None:
    _register(cx, receiver.url, ["feedback.created", "import.finished"])
    _import(cx, "generic_broken.csv")
    deliver_due(cx.sessions, policy=POLICY)
    payloads = [json.loads(body) for _, body in receiver.received]
    assert [(p["event"], p["data"]["status"]) for p in payloads] == [("import.finished", "refused")]


def test_failures_are_retried_with_exponential_backoff_then_given_up(
    cx: Cxgap, receiver: Receiver
) -> None:
    _register(cx, receiver.url, ["import.finished"])
    receiver.statuses = [500, 503, 502]
    _import(cx, "generic.csv")
    start = datetime.now(UTC) + timedelta(seconds=1)
    assert deliver_due(cx.sessions, now=start, policy=POLICY) == 1
    assert _log(cx) == [("import.finished", "pending", 1, "HTTP 500")]
    assert deliver_due(cx.sessions, now=start + timedelta(seconds=9), policy=POLICY) == 0
    assert deliver_due(cx.sessions, now=start + timedelta(seconds=10), policy=POLICY) == 1
    assert _log(cx) == [("import.finished", "pending", 2, "HTTP 503")]
    # The second wait is twice the first: 20 s after the second attempt.
    assert deliver_due(cx.sessions, now=start + timedelta(seconds=29), policy=POLICY) == 0
    assert deliver_due(cx.sessions, now=start + timedelta(seconds=30), policy=POLICY) == 1
    assert _log(cx) == [("import.finished", "failed", 3, "HTTP 502")]
    assert len(receiver.received) == 3


def test_an_unreachable_address_is_logged_and_retried_later(cx: Cxgap, receiver: Receiver) -> None:
    _register(cx, "http://127.0.0.1:9/closed", ["import.finished"])
    _import(cx, "generic.csv")
    now = datetime.now(UTC) + timedelta(seconds=1)
    deliver_due(cx.sessions, now=now, policy=POLICY)
    [(_, status, attempts, error)] = _log(cx)
    assert (status, attempts) == ("pending", 1) and error and "refused" in error.lower()
    assert deliver_due(cx.sessions, now=now + timedelta(seconds=10), policy=POLICY) == 1
    assert _log(cx)[0][1:3] == ("pending", 2)


def test_webhooks_refuse_bad_addresses_and_unknown_events(cx: Cxgap) -> None:
    with cx.transaction() as session:
        workspace = make_workspace(session)
        with pytest.raises(ValidationError) as refused:
            store.add_webhook(
                session, workspace=workspace, url="ftp://example.com", events=["feedback.deleted"]
            )
    fields = {(p.field, str(p.value)) for p in refused.value.problems}
    assert fields == {("url", "ftp://example.com"), ("events", "feedback.deleted")}


def test_the_served_app_delivers_in_the_background(
    sqlite_cx: Cxgap, receiver: Receiver, monkeypatch: pytest.MonkeyPatch
) -> None:
    from fastapi.testclient import TestClient

    from cxgap.web.app import create_app

    monkeypatch.setenv("CXGAP_QUEUE", "embedded")  # the app's worker queues and runs them
    monkeypatch.setenv("CXGAP_WEBHOOK_SECONDS", "1")

    secret = _register(sqlite_cx, receiver.url, ["enrichment.finished"])
    with TestClient(create_app(cx=sqlite_cx, background_jobs=True)):
        with sqlite_cx.transaction() as session:
            store.emit(session, get_workspace(session, "acme").id, "enrichment.finished", {})
        deadline = time.monotonic() + 10
        while not receiver.received and time.monotonic() < deadline:
            time.sleep(0.1)
    [(headers, body)] = receiver.received
    assert verify(secret, headers[SIGNATURE_HEADER], body, now=int(time.time()))
    assert _log(sqlite_cx) == [("enrichment.finished", "delivered", 1, None)]
