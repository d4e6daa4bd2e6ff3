"""ASGI middleware: request body limits, the interface language, security headers, no caching."""

from __future__ import annotations

import html
import json

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from cxgap.errors import BodyLimitExceeded
from cxgap.i18n import LOCALES, negotiate_locale, translate

PUBLIC_PREFIXES = ("/s/", "/a/", "/r/", "/login", "/invite/", "/optout/", "/community/")


class BodyLimitMiddleware:
    """Refuse request bodies over the limit with 413, before the app reads them."""

    def __init__(self, app: ASGIApp, *, default_limit: int, public_limit: int) -> None:
        self.app, self.default_limit, self.public_limit = app, default_limit, public_limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        limit = self.public_limit if path.startswith(PUBLIC_PREFIXES) else self.default_limit
        headers = dict(scope.get("headers") or [])
        declared = headers.get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            await _too_large(send, limit, headers)
            return
        received = 0

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyLimitExceeded
            return message

        try:
            await self.app(scope, limited_receive, send)
        except BodyLimitExceeded:
            await _too_large(send, limit, headers)


def _size(limit: int) -> str:
    """``5 MB`` or ``256 KiB``: the limit the way the settings state it."""
    return f"{limit / 2**20:.0f} MB" if limit >= 2**20 else f"{limit // 1024} KiB"


async def _too_large(send: Send, limit: int, headers: dict[bytes, bytes]) -> None:
    """A JSON error for API clients; a short page in the reader's language for browsers
    (a form posted without JavaScript lands here, and raw JSON would mean nothing to them)."""
    locale = negotiate_locale(headers.get(b"accept-language", b"").decode("latin-1"))
    message = translate("web.error.too_large", locale, limit=_size(limit))
    if b"text/html" in headers.get(b"accept", b""):
        title = html.escape(translate("web.error.too_large_title", locale))
        body = (
            f'<!doctype html><html lang="{locale}"><meta charset="utf-8"><title>{title}</title>'
            f"<h1>{title}</h1><p>{html.escape(message)}</p>"
            f'<p><a href="/">{html.escape(translate("web.error.home", locale))}</a></p></html>'
        ).encode()
        content_type = b"text/html; charset=utf-8"
    else:
        body = json.dumps(
            {
                "error": {
                    "code": "too_large",
                    "type": "PayloadTooLargeError",
                    "message": message,
                    "problems": [],
                }
            }
        ).encode()
        content_type = b"application/json"
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [(b"content-type", content_type), (b"connection", b"close")],
        }
    )
    await send({"type": "http.response.body", "body": body})


class LocaleMiddleware:
    """``?lang=fr`` switches and remembers; otherwise the session's, else the browser's."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        session = scope.get("session", {})
        query = scope.get("query_string", b"").decode("latin-1")
        chosen = next(
            (p[5:7] for p in query.split("&") if p.startswith("lang=") and p[5:7] in LOCALES),
            None,
        )
        if chosen:
            session["locale"] = chosen
        headers = dict(scope.get("headers") or [])
        accept = headers.get(b"accept-language", b"").decode("latin-1")
        locale = chosen or session.get("locale") or negotiate_locale(accept)
        scope.setdefault("state", {})["locale"] = locale
        await self.app(scope, receive, send)


class SecurityHeadersMiddleware:
    """No inline scripts, no framing, no sniffing: the pages need nothing from elsewhere."""

    HEADERS = (
        (
            b"content-security-policy",
            b"default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
            b"script-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'",
        ),
        (b"x-content-type-options", b"nosniff"),
        (b"referrer-policy", b"same-origin"),
        (b"x-frame-options", b"DENY"),
    )

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message.setdefault("headers", [])
                message["headers"] = list(message["headers"]) + list(self.HEADERS)
            await send(message)

        await self.app(scope, receive, with_headers)


class NoStoreMiddleware:
    """``Cache-Control: no-store`` on everything but ``/static``: pages, exports and API
    answers carry personal data (and forms a one-time token), so no browser or shared cache
    may keep a copy for the next person at the same computer or behind the same proxy."""

    CACHEABLE_PREFIX = "/static/"

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith(self.CACHEABLE_PREFIX):
            await self.app(scope, receive, send)
            return

        async def no_store(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [
                    (name, value)
                    for name, value in message.get("headers", [])
                    if name.lower() not in {b"cache-control", b"expires"}
                ]
                message["headers"] = [*headers, (b"cache-control", b"no-store")]
            await send(message)

        await self.app(scope, receive, no_store)
