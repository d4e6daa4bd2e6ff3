"""A survey answer under load skips what it does not need.

A valid first answer to a survey link (``POST /s/{token}``) is the one request that comes by
the thousand when a survey e-mail goes out. Through the whole app it pays for route matching
over every page, dependency resolution, the multipart-capable form parser and the ORM's unit
of work: about three quarters of its CPU. This ASGI layer sits inside every other middleware
(the client address, body limit, security headers, no-store, the signed session and the
language are all applied as before) and answers such a post itself: the CSRF token and the
answer key are checked as the route checks them (``web/routes/public.py``), the answer is
stored by ``services/public_answers.py`` in a transaction committed before the 303 (with
the answers that arrived meanwhile: ``web/answer_batches.py``).

Anything else (a problem in the form, an invitation, a bot, an answer sent again, a client
over its limit, a closed or unknown link, another content type) is rolled back untouched and
handed to the route with the body it posted, which answers as it always did. A database
that fails answers 503 "nothing was saved", as the route does.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import unquote_plus

from sqlalchemy.exc import SQLAlchemyError
from starlette.requests import Request
from starlette.responses import RedirectResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from cxgap.errors import CsrfError
from cxgap.services import public_answers
from cxgap.services.core import Cxgap
from cxgap.web.answer_batches import AnswerWriter
from cxgap.web.routes.public import respondent_key
from cxgap.web.security import CSRF_FIELD, check_csrf
from cxgap.web.store_errors import store_failed

_ANSWER_PATH = re.compile(r"/s/([^/]+)")
_SUBMISSION_ID = re.compile(r"[0-9a-f]{32}")
_FORM_TYPE = b"application/x-www-form-urlencoded"


@dataclass(frozen=True)
class _Pattern:
    path: str


_ROUTE = _Pattern("/s/{token}")  # what the route's logs name instead of the link


class SurveyAnswerFastPath:
    """Answers plain first survey answers; hands every other request on unchanged."""

    def __init__(self, app: ASGIApp, *, cx: Callable[[], Cxgap]) -> None:
        self.app = app
        self.writer = AnswerWriter(cx)  # answers arriving together share one commit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        found = _ANSWER_PATH.fullmatch(scope["path"]) if scope["type"] == "http" else None
        if found is None or scope["method"] != "POST" or scope.get("query_string"):
            await self.app(scope, receive, send)
            return
        body = await _read_body(receive)
        replay = _replaying(body, receive)
        fields = _form_fields(scope, body)
        if fields is None:
            await self.app(scope, replay, send)
            return
        request = Request(scope, replay)
        answer = _answer(request, found.group(1), fields)
        if answer is None:
            await self.app(scope, replay, send)
            return
        try:
            stored = await self.writer.store(answer)
        except SQLAlchemyError as exc:  # logged under the route's pattern, never the token
            failed = Request({**scope, "route": _ROUTE}, replay)
            await (await store_failed(failed, exc))(scope, replay, send)
            return
        if not stored:
            await self.app(scope, replay, send)
            return
        response = RedirectResponse(f"/s/{answer.token}/thanks", status_code=303)
        await response(scope, replay, send)


async def _read_body(receive: Receive) -> bytes:
    chunks = []
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


def _replaying(body: bytes, receive: Receive) -> Receive:
    """The request's body once more for whoever answers, then the client's own messages."""
    pending = [{"type": "http.request", "body": body, "more_body": False}]

    async def replay() -> Message:
        return pending.pop() if pending else await receive()

    return replay


def _form_fields(scope: Scope, body: bytes) -> dict[str, str] | None:
    """The posted fields, as the route reads them (the last of a repeated name wins); None
    for what only the full form parser reads (multipart, other encodings, ``;`` separators,
    a name without ``=``). Most of a survey's fields are digits, decoded as they are:
    ``parse_qsl`` was the largest cost of this layer."""
    content_type = next((v for k, v in scope["headers"] if k == b"content-type"), b"")
    if content_type.split(b";")[0].strip().lower() != _FORM_TYPE or not body.isascii():
        return None
    text = body.decode("ascii")
    if ";" in text:
        return None
    fields: dict[str, str] = {}
    try:
        for pair in text.split("&"):
            if not pair:
                continue
            name, sep, value = pair.partition("=")
            if not sep:
                return None
            fields[_unquoted(name)] = _unquoted(value)
    except UnicodeDecodeError:
        return None
    return fields


def _unquoted(text: str) -> str:
    return unquote_plus(text, errors="strict") if "%" in text or "+" in text else text


def _answer(
    request: Request, token: str, fields: dict[str, str]
) -> public_answers.NewAnswer | None:
    """The answer when its form is this visit's (CSRF token, answer key), else None."""
    try:
        check_csrf(request, fields.get(CSRF_FIELD))
    except CsrfError:
        return None
    posted = fields.get("submission_id", "")
    if not _SUBMISSION_ID.fullmatch(posted):
        return None
    key = respondent_key(request, token, posted)  # as the route keeps it, in the cookie
    client = request.client.host if request.client else "unknown"
    return public_answers.NewAnswer(token, fields, key, client)
