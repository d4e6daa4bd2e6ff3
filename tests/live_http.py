"""A real uvicorn server in a thread of the test process, and a respondent's browser as
plain HTTP: what the tests of commits, locks and concurrent writes need."""

from __future__ import annotations

import re
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import uvicorn

from cxgap.services.core import Cxgap
from tests.factories import customer_form
from tests.warm_routes import app_for

HIDDEN = re.compile(r'name="(csrf_token|submission_id)" value="([^"]*)"')


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def serving(cx: Cxgap) -> Iterator[str]:
    """The app over HTTP on a free loopback port; its base URL. Stopped, not killed."""
    port = _free_port()
    config = uvicorn.Config(
        app_for(cx), host="127.0.0.1", port=port, log_level="warning", lifespan="off"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name=f"uvicorn-{port}", daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            server.should_exit = True
            raise RuntimeError(f"the test server did not start on port {port}")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=15)
        assert not thread.is_alive(), "the test server did not stop"


class Respondent:
    """One browser with the survey form open: its cookie and the form's hidden fields."""

    def __init__(self, base: str, token: str) -> None:
        self.client = httpx.Client(base_url=base, follow_redirects=False, timeout=60)
        self.path = f"/s/{token}"
        page = self.client.get(self.path)
        page.raise_for_status()
        self.hidden = dict(HIDDEN.findall(page.text))

    @property
    def submission_id(self) -> str:
        return self.hidden["submission_id"]

    def send(self, **overrides: Any) -> httpx.Response:
        return self.client.post(self.path, data=customer_form(**{**self.hidden, **overrides}))

    def close(self) -> None:
        self.client.close()
