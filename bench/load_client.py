"""A light HTTP/1.1 keep-alive client on asyncio streams, for the survey load test.

The client shares the machine's cores with the server it measures, so it does as little as
it can: requests are written as bytes, responses are read by their ``Content-Length`` and
only the status, the cookies and (for form pages) the body are kept; the posts of the load
are built as bytes before it starts (``submission``). httpx costs several times more CPU per
request, which the server would then lack.
"""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass
from urllib.parse import urlencode

HIDDEN = re.compile(rb'name="(csrf_token|submission_id)" value="([^"]*)"')
COOKIE = re.compile(rb"^cxgap_session=([^;]*)", re.IGNORECASE)


@dataclass
class Reply:
    status: int
    cookie: str | None
    body: bytes


class Connection:
    """One keep-alive connection; reopened when the server closes it."""

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def _open(self) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
        if self.reader is None or self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        return self.reader, self.writer

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None

    def encode(self, method: str, path: str, headers: dict[str, str], body: bytes = b"") -> bytes:
        """The request as it goes on the wire (built once, before the clock starts)."""
        head = [f"{method} {path} HTTP/1.1", f"Host: {self.host}:{self.port}"]
        head += [f"{name}: {value}" for name, value in headers.items()]
        if body or method == "POST":
            head.append(f"Content-Length: {len(body)}")
        return ("\r\n".join(head) + "\r\n\r\n").encode("latin-1") + body

    async def request(
        self, method: str, path: str, headers: dict[str, str], body: bytes = b""
    ) -> Reply:
        return await self.send(self.encode(method, path, headers, body))

    async def send(self, raw: bytes) -> Reply:
        """Send a request built by ``encode`` and read its reply."""
        reader, writer = await self._open()
        writer.write(raw)
        try:
            return await self._read(reader)
        except (asyncio.IncompleteReadError, ConnectionError):
            self.close()
            raise

    async def _read(self, reader: asyncio.StreamReader) -> Reply:
        raw = await reader.readuntil(b"\r\n\r\n")
        lines = raw.split(b"\r\n")
        status = int(lines[0].split(b" ", 2)[1])
        length, cookie, close = 0, None, False
        for line in lines[1:]:
            name, _, value = line.partition(b":")
            name, value = name.strip().lower(), value.strip()
            if name == b"content-length":
                length = int(value)
            elif name == b"set-cookie" and (found := COOKIE.match(value)):
                cookie = found.group(1).decode("latin-1")
            elif name == b"connection" and value.lower() == b"close":
                close = True
            elif name == b"transfer-encoding":
                raise RuntimeError(f"the load client reads Content-Length only, got {value!r}")
        body = await reader.readexactly(length) if length else b""
        if close:
            self.close()
        return Reply(status, cookie, body)


@dataclass
class Respondent:
    """One visit of the survey link: its cookie, the form's hidden fields, its address."""

    address: str
    cookie: str
    csrf: str
    submission_id: str


async def open_form(conn: Connection, path: str, address: str) -> Respondent:
    reply = await conn.request("GET", path, {"X-Forwarded-For": address})
    hidden = {k.decode(): v.decode() for k, v in HIDDEN.findall(reply.body)}
    if reply.status != 200 or reply.cookie is None or len(hidden) != 2:
        raise RuntimeError(f"the survey form {path} answered {reply.status} without its fields")
    return Respondent(address, reply.cookie, hidden["csrf_token"], hidden["submission_id"])


def form_body(respondent: Respondent, answers: dict[str, str]) -> bytes:
    fields = {
        **answers,
        "csrf_token": respondent.csrf,
        "submission_id": respondent.submission_id,
    }
    return urlencode(fields).encode()


def submission(
    conn: Connection, path: str, respondent: Respondent, answers: dict[str, str]
) -> bytes:
    """The post of an answer, as bytes: the load builds them all before it starts, so that
    the client's CPU during the load is only writing them and reading the replies."""
    headers = {
        "X-Forwarded-For": respondent.address,
        "Cookie": f"cxgap_session={respondent.cookie}",
        "Content-Type": "application/x-www-form-urlencoded",
    }
    return conn.encode("POST", path, headers, form_body(respondent, answers))


async def submit(
    conn: Connection, path: str, respondent: Respondent, answers: dict[str, str]
) -> int:
    """Post the answer; the status (303: acknowledged, the answer is committed)."""
    return (await conn.send(submission(conn, path, respondent, answers))).status
