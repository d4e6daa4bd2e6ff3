"""A write the database did not take (locked past the busy timeout, a failed commit, a
broken connection) answers "nothing was saved, please try again", never a success and never
a bare 500: the request's transaction was rolled back, so sending again is safe (a survey
answer sent again replaces the same answer: it is stored once)."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response
from sqlalchemy.exc import SQLAlchemyError

from cxgap.i18n import translate
from cxgap.web.render import locale_of, page

log = logging.getLogger(__name__)

STATUS = 503
RETRY_AFTER_S = 5
MESSAGE_KEY = "security_imports.store_failed"
PUBLIC_PREFIXES = ("/s/", "/a/", "/r/")


@dataclass(frozen=True)
class StoreFailed:
    """What error.html shows."""

    status_code: int = STATUS
    message_key: str = MESSAGE_KEY
    message_params: dict[str, object] = field(default_factory=dict)


def install_store_errors(app: FastAPI) -> None:
    app.add_exception_handler(SQLAlchemyError, store_failed)


async def store_failed(request: Request, exc: Exception) -> Response:
    # The exception's text holds the statement's parameters (answers, e-mails), the path a
    # link's token: only the route's pattern and the error's class are logged.
    route = request.scope.get("route")
    log.warning(
        "database write failed, nothing stored: %s %s (%s)",
        request.method,
        getattr(route, "path", "(no route)"),
        type(exc).__name__,
    )
    headers = {"Retry-After": str(RETRY_AFTER_S)}
    locale = locale_of(request)
    path = request.url.path
    if path.startswith("/api/") or "application/json" in request.headers.get("accept", ""):
        body = {
            "error": {
                "code": "store_failed",
                "message": translate(MESSAGE_KEY, locale),
                "type": "StoreFailed",
                "problems": [],
            }
        }
        return JSONResponse(body, status_code=STATUS, headers=headers)
    if path.startswith(PUBLIC_PREFIXES):
        response = page(request, "public/not_saved.html", {}, status_code=STATUS)
    else:
        response = page(request, "error.html", {"error": StoreFailed()}, status_code=STATUS)
    response.headers.update(headers)
    return response
