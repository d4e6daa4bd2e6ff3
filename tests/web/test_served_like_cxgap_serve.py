"""`cxgap serve` itself, in a child process on loopback: what the flood and the log reader saw.

The hostile run reached the server from 127.0.0.1, where uvicorn believes X-Forwarded-For by
default: each flood post named a new client and all 500 were accepted. These tests start the
real command, post through real HTTP and read the real access log it prints.
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
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from cxgap.config import Settings
from cxgap.services import campaigns
from cxgap.services.core import Cxgap
from tests.factories import customer_form, make_workspace

LIMIT = 5
pytestmark = pytest.mark.slow  # each test starts the real server (several seconds)


@dataclass
class Served:
    url: str
    survey: str
    invitations: list[str]
    process: subprocess.Popen[str]

    def stop(self) -> str:
        """Stop the server the way an operator does (SIGINT) and return what it printed."""
        self.process.send_signal(signal.SIGINT)
        try:
            output, _ = self.process.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            output, _ = self.process.communicate()
        return output


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def serve(sqlite_template: Path, tmp_path: Path) -> Iterator[Callable[..., Served]]:
    """Starts ``cxgap serve`` on a copy of the test database with a survey and invitations."""
    started: list[Served] = []

    def start(**env: str) -> Served:
        database = tmp_path / f"served-{len(started)}.sqlite3"
        shutil.copy(sqlite_template, database)
        url = f"sqlite:///{database}"
        cx = Cxgap(Settings(data_dir=tmp_path, database_url=url, secret_key="k"))
        with cx.transaction() as session:
            workspace = make_workspace(session)
            survey = campaigns.create_survey(session, workspace=workspace, key="p", name="P")
            invited = campaigns.create_survey(
                session, workspace=workspace, key="v", name="V", invitation_only=True
            )
            tokens = campaigns.create_invitations(session, survey=invited, count=1)
            survey_token = survey.token
        cx.dispose()
        port = _free_port()
        environment = {
            **os.environ,
            "CXGAP_DATABASE_URL": url,
            "CXGAP_DATA_DIR": str(tmp_path),
            "CXGAP_SECRET_KEY": "served-test-key",
            "CXGAP_SURVEY_RATE_LIMIT": str(LIMIT),
            "CXGAP_TRUSTED_PROXIES": "",
            "PYTHONUNBUFFERED": "1",
            **env,
        }
        command = [sys.executable, "-c", "from cxgap.cli.main import main; main()"]
        process = subprocess.Popen(
            [*command, "serve", "--host", "127.0.0.1", "--port", str(port)],
            env=environment,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        served = Served(f"http://127.0.0.1:{port}", survey_token, tokens, process)
        started.append(served)
        _wait_until_up(served)
        return served

    yield start
    for served in started:
        if served.process.poll() is None:
            served.stop()


def _wait_until_up(served: Served) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if served.process.poll() is not None:
            pytest.fail(f"cxgap serve exited: {served.process.communicate()[0]}")
        try:
            if httpx.get(f"{served.url}/login", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.2)
    served.stop()
    pytest.fail("cxgap serve did not answer within 90 s")


def _post_answer(served: Served, forwarded_for: str) -> int:
    """One visitor: open the survey, answer it; the status of the answer."""
    path = f"{served.url}/s/{served.survey}"
    with httpx.Client(follow_redirects=False, timeout=30) as browser:
        html = browser.get(path, headers={"X-Forwarded-For": forwarded_for}).text
        hidden = dict(re.findall(r'name="(csrf_token|submission_id)" value="([^"]*)"', html))
        form = {**customer_form(), **hidden, "language": "en"}
        return browser.post(path, data=form, headers={"X-Forwarded-For": forwarded_for}).status_code


def test_a_flood_with_made_up_forwarded_addresses_stops_at_the_limit(
    serve: Callable[..., Served],
) -> None:
    served = serve()
    codes = [_post_answer(served, f"198.51.100.{n}") for n in range(LIMIT + 4)]
    served.stop()
    assert codes == [303] * LIMIT + [429] * 4


def test_behind_a_configured_proxy_clients_are_told_apart(serve: Callable[..., Served]) -> None:
    served = serve(CXGAP_TRUSTED_PROXIES="127.0.0.1")
    distinct = [_post_answer(served, f"198.51.100.{n}") for n in range(LIMIT + 4)]
    # One client, who also writes a made-up address in front: the proxy appended the real one.
    same = [_post_answer(served, f"10.9.9.{n}, 203.0.113.50") for n in range(LIMIT + 1)]
    served.stop()
    assert distinct == [303] * (LIMIT + 4)
    assert same == [303] * LIMIT + [429]


def test_the_access_log_of_cxgap_serve_shows_no_link_token(serve: Callable[..., Served]) -> None:
    served = serve()
    invitation = served.invitations[0]
    httpx.get(f"{served.url}/s/{served.survey}?invitation={invitation}&lang=fr")
    # A link that went through a mail scanner or a login redirect arrives percent-encoded.
    encoded = f"%2Fs%2F{served.survey}%3Finvitation%3D{invitation}%26lang%3Dfr"
    httpx.get(f"{served.url}/login?next={encoded}")
    httpx.get(f"{served.url}/invite/member-invitation-secret")
    log = served.stop()
    assert '"GET /login?next=' in log and "/invite/***" in log  # the access log is there
    for secret in (served.survey, invitation, "member-invitation-secret"):
        assert secret not in log
