"""Two real ``cxgap serve`` processes (each with its embedded worker thread) and two
``cxgap worker`` processes on one database: a mix of jobs runs once each, every webhook is
delivered once and every e-mail sent once, progress reads the same from both web processes,
and a worker killed with SIGKILL in the middle of a job has it resumed by another.

Enrichment is left out of the mix: the processes would load the bundled text models (minutes
on a busy machine); tests/jobs/test_killed_worker.py kills an enrichment worker."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select

from cxgap.db.tables import CustomerSurvey, Job, WebhookDelivery
from cxgap.jobs import mail, store
from cxgap.services import api_tokens, campaigns, survey_mailing
from cxgap.services.accounts import principal_of
from cxgap.services.core import Cxgap
from cxgap.services.recipient_lists import Recipient
from cxgap.webhooks import store as hooks
from cxgap.webhooks.signing import DELIVERY_HEADER
from tests.factories import make_user, make_workspace
from tests.smtp_server import SmtpServer, smtp_server

__all__ = ["smtp_server"]
pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[2]
CLI = [sys.executable, "-c", "from cxgap.cli.main import main; main()"]
STALE = 8  # short, for the test; a busy machine must not make live workers look dead
LINKS = survey_mailing.LinkMaker("http://127.0.0.1", "k")


@dataclass
class Hooks:
    url: str = ""
    deliveries: list[str] = field(default_factory=list)


@pytest.fixture
def receiver() -> Iterator[Hooks]:
    state = Hooks()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self.rfile.read(int(self.headers["Content-Length"]))
            state.deliveries.append(self.headers[DELIVERY_HEADER])
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}/hook"
    yield state
    server.shutdown()
    server.server_close()


def _port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Fleet:
    """The processes started, stopped (SIGTERM) at the end whatever happened."""

    env: dict[str, str]
    logs: Path
    processes: list[subprocess.Popen[bytes]] = field(default_factory=list)

    def start(self, *args: str) -> subprocess.Popen[bytes]:
        log = self.logs / f"{len(self.processes)}-{args[0]}.log"
        with log.open("wb") as out:
            process = subprocess.Popen([*CLI, *args], env=self.env, stdout=out, stderr=out)
        self.processes.append(process)
        return process

    def tails(self) -> str:
        return "\n".join(f"{p.name}: {p.read_text()[-1500:]}" for p in self.logs.glob("*.log"))

    def stop(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                process.terminate()
        for process in self.processes:
            try:
                process.wait(20)
            except subprocess.TimeoutExpired:
                process.kill()


@pytest.fixture
def fleet(cx: Cxgap, tmp_path: Path, smtp_server: SmtpServer) -> Iterator[Fleet]:
    env = {
        **os.environ,
        "PYTHONPATH": f"{ROOT / 'src'}{os.pathsep}{ROOT}",
        "CXGAP_DATABASE_URL": cx.settings.database_url,
        "CXGAP_DATA_DIR": str(tmp_path / "data"),
        "CXGAP_SECRET_KEY": "two-by-two",
        "CXGAP_QUEUE": "embedded",
        "CXGAP_SMTP_URL": smtp_server.url(),
        "CXGAP_MAIL_FROM": "cx@example.com",
        "CXGAP_WEBHOOK_SECONDS": "1",
        "CXGAP_JOB_STALE_SECONDS": str(STALE),
        "PYTHONUNBUFFERED": "1",
    }
    (tmp_path / "logs").mkdir()
    started = Fleet(env, tmp_path / "logs")
    yield started
    started.stop()
    print(started.tails())  # shown when the test fails


def _until(what: str, check: Callable[[], bool], timeout: float = 120) -> None:
    """Generous: the machine running the suite may be busy with other work."""
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.1)


def _up(url: str) -> bool:
    try:
        return httpx.get(f"{url}/login", timeout=10).status_code == 200
    except httpx.TransportError:
        return False


def _wave(cx: Cxgap, survey_id: int, prefix: str, count: int) -> tuple[int, list[str]]:
    people = [f"{prefix}{n}@example.com" for n in range(count)]
    with cx.transaction() as session:
        survey = session.get(CustomerSurvey, survey_id)
        assert survey is not None
        wave_id = survey_mailing.create_wave(
            session,
            survey=survey,
            recipients=[Recipient(n + 2, e, "en", "", "") for n, e in enumerate(people)],
            file_name=f"{prefix}.csv",
            links=LINKS,
        )
        store.enqueue(
            session,
            mail.MAIL,
            workspace_id=survey.workspace_id,
            payload=mail.mail_payload(wave_id=wave_id, action="send", base_url="http://x"),
            exclusive=mail.exclusive_key(wave_id),
        )
    return wave_id, people


def _mail_job(cx: Cxgap, wave_id: int) -> Job:
    with cx.reading() as session:
        for job in session.scalars(select(Job).where(Job.kind == mail.MAIL)):
            if job.payload.get("wave_id") == wave_id:
                return job
    raise AssertionError(f"no mail job for wave {wave_id}")


def _received(server: SmtpServer) -> Counter[str]:
    return Counter(m["To"].addresses[0].addr_spec for m in server.messages)


def _heartbeat(cx: Cxgap, job_id: int) -> datetime | None:
    with cx.reading() as session:
        return session.scalar(select(Job.heartbeat_at).where(Job.id == job_id))


def test_two_web_processes_and_two_workers_run_each_job_once(
    cx: Cxgap, fleet: Fleet, smtp_server: SmtpServer, receiver: Hooks
) -> None:
    with cx.transaction() as session:
        acme = make_workspace(session)
        make_user(session, "adam@example.com", workspace=acme, role="admin")
        token = api_tokens.create_workspace_token(
            session,
            workspace=acme,
            principal=principal_of(acme.memberships[0].user),
            name="t",
            role="analyst",
        )
        survey_id = campaigns.create_survey(session, workspace=acme, key="s", name="S").id
        hooks.add_webhook(session, workspace=acme, url=receiver.url, events=["feedback.created"])
    webs = [f"http://127.0.0.1:{_port()}" for _ in range(2)]
    for url in webs:
        fleet.start("serve", "--host", "127.0.0.1", "--port", url.rsplit(":", 1)[1])
    workers = [fleet.start("worker") for _ in range(2)]
    _until("both web processes", lambda: all(_up(url) for url in webs), timeout=180)

    # A mix: two mail waves and twenty webhook deliveries, picked up by whoever is free.
    waves = [_wave(cx, survey_id, f"w{n}-", 30) for n in range(2)]
    with cx.transaction() as session:
        for n in range(20):
            hooks.emit(session, acme.id, "feedback.created", {"n": n})
    everyone = [p for _, people in waves for p in people]
    _until("every e-mail", lambda: len(smtp_server.messages) >= len(everyone))
    _until("every webhook", lambda: len(receiver.deliveries) >= 20)
    for wave_id, _ in waves:
        _until("the mail jobs", lambda w=wave_id: _mail_job(cx, w).status == "done")  # type: ignore[misc]
    time.sleep(2)  # anything sent twice would have arrived by now
    assert _received(smtp_server) == Counter(everyone)
    assert sorted(Counter(receiver.deliveries).values()) == [1] * 20
    with cx.reading() as session:
        assert set(session.scalars(select(WebhookDelivery.status))) == {"delivered"}
        jobs = list(session.scalars(select(Job)))
    assert {j.status for j in jobs} <= {"done", "queued"}  # queued: a scheduled slot not due
    assert all(j.attempts <= 1 for j in jobs)

    # Progress reads the same from both web processes.
    headers = {"authorization": f"Bearer {token}"}
    job_id = _mail_job(cx, waves[0][0]).id
    seen = [
        httpx.get(f"{url}/api/v1/workspaces/acme/jobs/{job_id}", headers=headers, timeout=60).json()
        for url in webs
    ]
    assert seen[0] == seen[1] and (seen[0]["status"], seen[0]["done"]) == ("done", 30)

    # A worker killed in the middle of a job: another resumes it. The web processes leave
    # (SIGTERM: their jobs go back to the queue) so that only the two workers can take it.
    for process in fleet.processes[:2]:
        process.terminate()
        process.wait(30)
    smtp_server.delay = 0.01  # 100 letters a batch: about a second a batch
    wave_id, people = _wave(cx, survey_id, "slow-", 400)
    _until("the slow job to start", lambda: _mail_job(cx, wave_id).done >= 100)
    job_id = _mail_job(cx, wave_id).id
    survivor = workers[1]
    workers[0].send_signal(signal.SIGKILL)
    before = _heartbeat(cx, job_id)
    time.sleep(5)  # a live holder renews the heartbeat before and after each batch
    if _heartbeat(cx, job_id) != before and _mail_job(cx, wave_id).status == "running":
        workers[1].send_signal(signal.SIGKILL)  # it was the other one: kill the holder
        survivor = fleet.start("worker")
    _until("the resumed job", lambda: _mail_job(cx, wave_id).status == "done")
    assert survivor.poll() is None
    job = _mail_job(cx, wave_id)
    assert job.result is not None
    received = _received(smtp_server)
    assert max(received.values()) == 1  # nobody mailed twice
    accepted, interrupted = int(job.result["accepted"]), int(job.result.get("interrupted", 0))
    assert accepted + interrupted == 400 and interrupted <= 100
    assert sum(received[p] for p in people) >= accepted
