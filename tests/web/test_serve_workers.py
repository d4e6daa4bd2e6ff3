"""`cxgap serve --workers 2`, live on loopback: both processes answer, an answer posted to
each is stored once, and the rate limit holds across them.

Which process answers a new connection is the kernel's choice, so the test chooses for it:
it stops one worker (SIGSTOP) while the other serves, then swaps. A form opened on one
process and sent to the other also shows they share the cookie and CSRF key.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select

from cxgap.config import Settings
from cxgap.db.tables import CustomerResponse
from cxgap.services import campaigns
from cxgap.services.core import Cxgap
from tests.factories import customer_form, make_workspace

pytestmark = pytest.mark.slow  # starts the real server and its two processes
LIMIT = 3
HIDDEN = re.compile(r'name="(csrf_token|submission_id)" value="([^"]*)"')


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _workers_of(pid: int) -> list[int]:
    """The web processes uvicorn spawned (not multiprocessing's resource tracker)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            cmdline = (entry / "cmdline").read_bytes()
        except (OSError, IndexError, ValueError):
            continue
        if ppid == pid and b"spawn_main" in cmdline:
            found.append(int(entry.name))
    return sorted(found)


@contextmanager
def only(url: str, worker: int, workers: list[int]) -> Iterator[httpx.Client]:
    """A client whose new connections can only be accepted by ``worker``."""
    stopped = [w for w in workers if w != worker]
    for other in stopped:
        os.kill(other, signal.SIGSTOP)
    try:
        with httpx.Client(base_url=url, follow_redirects=False, timeout=30) as client:
            yield client
    finally:
        for other in stopped:
            os.kill(other, signal.SIGCONT)


@dataclass
class Served:
    url: str
    workers: list[int]

    def only(self, worker: int) -> AbstractContextManager[httpx.Client]:
        return only(self.url, worker, self.workers)


@pytest.fixture
def served(sqlite_template: Path, tmp_path: Path) -> Iterator[tuple[Served, str, Cxgap]]:
    database = tmp_path / "workers.sqlite3"
    shutil.copy(sqlite_template, database)
    url = f"sqlite:///{database}"
    cx = Cxgap(Settings(data_dir=tmp_path, database_url=url, secret_key="k"))
    with cx.transaction() as session:
        workspace = make_workspace(session)
        token = campaigns.create_survey(session, workspace=workspace, key="p", name="P").token
    port = _free_port()
    env = {
        **os.environ,
        "CXGAP_DATABASE_URL": url,
        "CXGAP_DATA_DIR": str(tmp_path),
        "CXGAP_SECRET_KEY": "",  # generated once, in the data folder, for both processes
        "CXGAP_SURVEY_RATE_LIMIT": str(LIMIT),
        "CXGAP_TRUSTED_PROXIES": "127.0.0.1",
        "PYTHONUNBUFFERED": "1",
    }
    command = [sys.executable, "-c", "from cxgap.cli.main import main; main()", "serve"]
    command += ["--port", str(port), "--workers", "2", "--no-access-log"]
    process = subprocess.Popen(
        command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    try:
        workers = _wait_for_workers(process, f"http://127.0.0.1:{port}")
        yield Served(f"http://127.0.0.1:{port}", workers), token, cx
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.communicate()
        cx.dispose()


def _wait_for_workers(process: subprocess.Popen[str], url: str) -> list[int]:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"cxgap serve exited: {process.communicate()[0]}")
        workers = _workers_of(process.pid)
        if len(workers) == 2 and all(_answers(url, w, workers) for w in workers):
            return workers
        time.sleep(0.3)
    pytest.fail("cxgap serve --workers 2 did not start two answering processes in 120 s")


def _answers(url: str, worker: int, workers: list[int]) -> bool:
    try:
        with only(url, worker, workers) as client:
            return client.get("/login", timeout=3).status_code == 200
    except httpx.TransportError:
        return False


def _open_form(client: httpx.Client, token: str, address: str) -> dict[str, str]:
    client.cookies.clear()  # a new visitor each time: a new answer key
    page = client.get(f"/s/{token}", headers={"X-Forwarded-For": address})
    assert page.status_code == 200
    return {**dict(HIDDEN.findall(page.text)), "cookie": page.cookies["cxgap_session"]}


def _send(client: httpx.Client, token: str, address: str, form: dict[str, str]) -> int:
    hidden = {k: v for k, v in form.items() if k != "cookie"}
    client.cookies.clear()  # only the form's own visitor cookie is sent
    response = client.post(
        f"/s/{token}",
        data=customer_form(**hidden),
        headers={"X-Forwarded-For": address, "Cookie": f"cxgap_session={form['cookie']}"},
    )
    return response.status_code


def test_two_processes_answer_store_once_and_share_the_rate_limit(
    served: tuple[Served, str, Cxgap],
) -> None:
    server, token, cx = served
    first, second = server.workers
    address = "203.0.113.9"
    with server.only(first) as client:
        forms = [_open_form(client, token, address) for _ in range(LIMIT + 1)]
        assert [_send(client, token, address, f) for f in forms[:2]] == [303, 303]
    with server.only(second) as client:
        # Opened on the first process, sent to the second: the same keys sign both.
        assert _send(client, token, address, forms[2]) == 303
        # The client's fourth answer within the hour: refused whichever process answers.
        assert _send(client, token, address, forms[3]) == 429
    with server.only(first) as client:
        assert _send(client, token, address, forms[3]) == 429
        other = "203.0.113.10"
        assert _send(client, token, other, _open_form(client, token, other)) == 303
    with cx.reading() as session:
        stored = list(session.scalars(select(CustomerResponse.external_id)))
    expected = [f"web-{f['submission_id']}" for f in forms[:3]]
    assert sorted(s for s in stored if s in expected) == sorted(expected)
    assert f"web-{forms[3]['submission_id']}" not in stored
    assert len(stored) == len(set(stored)) == 4
