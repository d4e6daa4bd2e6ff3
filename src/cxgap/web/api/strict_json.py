"""Refuse JSON request bodies that carry a lone UTF-16 surrogate (``"\\ud800"``) or are not
UTF-8.

``json.loads`` turns the escape into a Python string that cannot be encoded as UTF-8, so it
failed later, when stored or sent back (HTTP 500). It is refused once, here, for every JSON
body of the app (API and pages), with the error shape of the API and the field's path.
"""

from __future__ import annotations

import json
import re
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from cxgap.errors import FieldProblem, ValidationError
from cxgap.i18n import negotiate_locale
from cxgap.web.api.errors import error_body

# A \uD800–\uDFFF escape; a body without one cannot hold a surrogate (raw UTF-8 cannot).
_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")
_SURROGATE = re.compile("[\ud800-\udfff]")


def lone_surrogate_path(value: Any, path: tuple[str, ...] = ()) -> tuple[str, ...] | None:
    """Where in a decoded JSON value a string holds a lone surrogate, else None.

    Escaped pairs (``"\\ud83d\\ude00"``) are decoded to one character and pass.

    >>> lone_surrogate_path({"answers": [{"comment": "ok"}, {"comment": "\\ud800"}]})
    ('answers', '1', 'comment')
    >>> lone_surrogate_path(json.loads('["\\\\ud83d\\\\ude00"]')) is None
    True
    """
    if isinstance(value, str):
        return path if _SURROGATE.search(value) else None
    if isinstance(value, dict):
        for key, item in value.items():
            if _SURROGATE.search(key):
                return (*path, "(key)")
            found = lone_surrogate_path(item, (*path, key))
            if found is not None:
                return found
    if isinstance(value, list):
        for index, item in enumerate(value):
            found = lone_surrogate_path(item, (*path, str(index)))
            if found is not None:
                return found
    return None


_MESSAGES = {
    "surrogate": "contains a lone UTF-16 surrogate (\\ud800–\\udfff), which is not text",
    "encoding": "is not UTF-8 text",
}


def text_error(field: str, code: str = "surrogate") -> ValidationError:
    problem = FieldProblem(field=field, message=_MESSAGES[code], code=code)
    return ValidationError([problem], summary=f"Invalid request: field {field!r} is not text")


class StrictJsonMiddleware:
    """Read JSON bodies whole (the body limit stays outside) and refuse lone surrogates."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not _is_json(scope):
            await self.app(scope, receive, send)
            return
        messages: list[Message] = []
        body = b""
        while True:
            message = await receive()
            messages.append(message)
            if message["type"] != "http.request":
                break
            body += message.get("body", b"")
            if not message.get("more_body", False):
                break
        refused = _refused_field(body)
        if refused is not None:
            await _refuse(scope, send, *refused)
            return

        async def replay() -> Message:
            return messages.pop(0) if messages else await receive()

        await self.app(scope, replay, send)


def _is_json(scope: Scope) -> bool:
    for name, value in scope.get("headers") or []:
        if name == b"content-type":
            return b"json" in value.lower()
    return False


def _refused_field(body: bytes) -> tuple[str, str] | None:
    """(field, problem code) of a body that is not text, else None."""
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return "(body)", "encoding"  # else a bare 400 "error parsing the body"
    field = _surrogate_field(body)
    return None if field is None else (field, "surrogate")


def _surrogate_field(body: bytes) -> str | None:
    if not _SURROGATE_ESCAPE.search(body):
        return None
    try:
        decoded = json.loads(body)
    except (ValueError, RecursionError):
        return None  # malformed: the app's own parser refuses it
    path = lone_surrogate_path(decoded)
    return None if path is None else ".".join(path) or "(body)"


async def _refuse(scope: Scope, send: Send, field: str, code: str) -> None:
    headers = dict(scope.get("headers") or [])
    locale = negotiate_locale(headers.get(b"accept-language", b"").decode("latin-1"))
    error = text_error(field, code)
    content = json.dumps(error_body(error, error.summary, locale)).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 422,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(content)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": content})
