"""The API's one error shape, its codes, and the error responses each route declares.

Messages follow the caller's ``Accept-Language`` (English or French; English by default):
each refused value is said with the message keys the pages use (``web.problem.<code>``,
the segment rule parser's ``segments.parse.<kind>``, the import reasons), the message
as a whole with ``api_round2.error.<code>``.

Every error answers ``{"error": {"code", "message", "field"?, "details"?}}``; ``type`` and
``problems`` (the names used before the shape was settled) are kept beside them so that older
clients keep working.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exception_handlers import http_exception_handler
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from cxgap.errors import (
    AuthenticationError,
    ConflictError,
    CxgapError,
    FieldProblem,
    MissingTextDependencyError,
    NotFoundError,
    PayloadTooLargeError,
    PermissionDeniedError,
    RateLimitedError,
    ValidationError,
)
from cxgap.i18n import catalog, translate
from cxgap.web.import_problems import keyed_reason
from cxgap.web.render import problem_text

# Most specific first: the first class the error is an instance of names its code.
ERROR_CODES: tuple[tuple[type[CxgapError], str], ...] = (
    (AuthenticationError, "unauthenticated"),
    (PermissionDeniedError, "forbidden"),
    (NotFoundError, "not_found"),
    (ValidationError, "invalid"),
    (ConflictError, "conflict"),
    (RateLimitedError, "rate_limited"),
    (PayloadTooLargeError, "too_large"),
    (MissingTextDependencyError, "unavailable"),
)
HTTP_CODES = {
    400: "bad_request",
    401: "unauthenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    422: "invalid",
    429: "rate_limited",
}


class ProblemOut(BaseModel):
    """One refused value: where it is, what it was and why."""

    field: str
    message: str
    value: str | None = None
    row: int | None = None
    source: str | None = None
    code: str | None = Field(None, description="required, range, too_long, choice, format…")


class ErrorBody(BaseModel):
    code: str = Field(description="unauthenticated, forbidden, not_found, invalid, conflict…")
    message: str
    field: str | None = Field(None, description="The field at fault when there is one")
    details: list[ProblemOut] = Field(default_factory=list)
    type: str = Field(description="Deprecated: the server's exception name")
    problems: list[ProblemOut] = Field(
        default_factory=list, description="Deprecated: the same list as details"
    )


class ErrorOut(BaseModel):
    error: ErrorBody


_DESCRIPTIONS = {
    400: "The multipart body could not be read",
    401: "No token, or an unknown or revoked one",
    403: "The token is scoped to another workspace, or its role is too low",
    404: "No such workspace (or not a member), or no such item",
    409: "Clashes with stored data",
    413: "The upload is too large",
    422: "A value was refused; nothing was stored",
}


def error_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """The error responses a route declares in the OpenAPI document (401 always)."""
    wanted = sorted({401, 403, 404, 422, *statuses})
    return {s: {"model": ErrorOut, "description": _DESCRIPTIONS[s]} for s in wanted}


def error_code(exc: CxgapError) -> str:
    for kind, code in ERROR_CODES:
        if isinstance(exc, kind):
            return code
    return HTTP_CODES.get(exc.status_code, "bad_request")  # the sign-in page's 401, CSRF's 403


def problem_message(problem: FieldProblem, locale: str) -> str:
    """Why one value was refused, in ``locale``, with the pages' message keys; the service's
    own (English) message when no key says it."""
    if locale == "en":
        return problem.message
    if "rule_error" in problem.params:
        from cxgap.web.routes.segments import rule_message  # the Segments page's wording

        position = problem.params.get("position")
        lead = translate("segments.rule_refused_at", locale, position=position)
        return f"{lead} {rule_message(problem, locale)}"
    keyed = keyed_reason(problem.params, locale)
    if keyed is not None:
        return keyed
    ticket = f"sla.tickets.reason.{problem.params.get('code')}"  # a ticket file's (cases import)
    if problem.source and "code" in problem.params and ticket in catalog(locale):
        return translate(ticket, locale, **{k: v for k, v in problem.params.items() if k != "code"})
    key = f"web.problem.{problem.code}"
    if problem.code is not None and key in catalog(locale):
        return translate(key, locale, **problem.params)
    return problem.message


def localized_message(exc: CxgapError, message: str, locale: str) -> str:
    """The error as a whole in ``locale``; in English the server's own message, which names
    the field and the value."""
    if locale == "en":
        return message
    key = f"api_round2.error.{error_code(exc)}"
    lead = translate(key, locale) if key in catalog(locale) else message
    if isinstance(exc, ValidationError) and exc.problems:
        first = replace(exc.problems[0], message=problem_message(exc.problems[0], locale))
        first = replace(first, code=None, params={})  # already said in ``locale``
        said = problem_text(locale, first)
        return f"{lead} {said[:1].upper()}{said[1:]}"
    return lead


def error_body(exc: CxgapError, message: str, locale: str = "en") -> dict[str, object]:
    problems: list[FieldProblem] = exc.problems if isinstance(exc, ValidationError) else []
    details = [p.as_dict() | {"message": problem_message(p, locale)} for p in problems]
    message = localized_message(exc, message, locale)
    body: dict[str, object] = {
        "code": error_code(exc),
        "message": message,
        "type": type(exc).__name__,
        "problems": details,
    }
    if details:
        body["details"] = details
    fields = {p.field for p in problems}
    if len(fields) == 1:
        body["field"] = fields.pop()
    return {"error": body}


def install_http_errors(app: FastAPI) -> None:
    """Unknown API paths and methods answer in the same shape (pages keep Starlette's)."""

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if not (request.url.path + "/").startswith("/api/"):
            return await http_exception_handler(request, exc)
        code = HTTP_CODES.get(exc.status_code, "http_error")
        locale = str(getattr(request.state, "locale", "en"))
        key = f"api_round2.error.{code}"
        message = translate(key, locale) if locale != "en" and key in catalog(locale) else None
        body = {
            "code": code,
            "message": message or str(exc.detail),
            "type": "HTTPException",
            "problems": [],
        }
        return JSONResponse({"error": body}, status_code=exc.status_code, headers=exc.headers)


_PYDANTIC_CODES = {
    "missing": "required",
    "string_too_long": "too_long",
    "too_long": "too_long",
    "literal_error": "choice",
    "enum": "choice",
}


def request_problem_code(error: dict[str, Any]) -> tuple[str | None, dict[str, object]]:
    """The pages' problem code (and its figures) for one of FastAPI's request errors, so that
    it is said in the caller's language like the services' own problems."""
    code = _PYDANTIC_CODES.get(str(error.get("type")))
    context = error.get("ctx") or {}
    if code == "too_long":
        return code, {"limit": context.get("max_length")}
    return code, {}
