"""A real SMTP server on loopback (aiosmtpd) that keeps what it receives.

Addresses whose local part starts with ``refuse`` are refused at RCPT (550), as a server
refuses an unknown mailbox; ``user``/``secret`` is the only login accepted when AUTH is on.
"""

from __future__ import annotations

import asyncio
import dataclasses
import socket
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

import pytest

from cxgap.services.core import Cxgap

LOGIN = ("user", "secret")


@dataclass
class SmtpServer:
    host: str
    port: int
    messages: list[EmailMessage] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    delay: float = 0.0  # seconds spent on each message, as a slow relay would

    def url(self, *, auth: bool = False) -> str:
        credentials = f"{LOGIN[0]}:{LOGIN[1]}@" if auth else ""
        return f"smtp://{credentials}{self.host}:{self.port}"

    def wait_for(self, count: int, timeout: float = 5.0) -> list[EmailMessage]:
        deadline = time.monotonic() + timeout
        while len(self.messages) < count and time.monotonic() < deadline:
            time.sleep(0.02)
        return self.messages

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if m["To"].addresses[0].addr_spec == address]

    def configure(self, cx: Cxgap, *, auth: bool = False) -> None:
        """Point the app's settings at this server."""
        cx.settings = dataclasses.replace(
            cx.settings, smtp_url=self.url(auth=auth), mail_from="CX team <cx@example.com>"
        )


class _Collector:
    def __init__(self, server: SmtpServer) -> None:
        self.server = server

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: Any
    ) -> str:
        if address.startswith("refuse"):
            self.server.refused.append(address)
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.server.delay:
            await asyncio.sleep(self.server.delay)
        message = message_from_bytes(envelope.original_content, policy=policy.default)
        assert isinstance(message, EmailMessage)
        self.server.messages.append(message)
        return "250 Message accepted for delivery"


def _authenticator(server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any) -> Any:
    from aiosmtpd.smtp import AuthResult, LoginPassword

    ok = isinstance(auth_data, LoginPassword) and (auth_data.login, auth_data.password) == (
        LOGIN[0].encode(),
        LOGIN[1].encode(),
    )
    return AuthResult(success=ok, handled=False)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def smtp_server() -> Iterator[SmtpServer]:
    """A fresh SMTP server on a free loopback port, stopped after the test. It offers AUTH
    (without TLS, loopback only) and accepts mail with or without logging in."""
    controller_module = pytest.importorskip("aiosmtpd.controller")
    server = SmtpServer("127.0.0.1", _free_port())
    controller = controller_module.Controller(
        _Collector(server),
        hostname=server.host,
        port=server.port,
        authenticator=_authenticator,
        auth_require_tls=False,
    )
    controller.start()
    try:
        yield server
    finally:
        controller.stop()
