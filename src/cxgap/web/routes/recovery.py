"""The recovery survey's public page (``/r/{token}``), reached from the e-mail sent when a
case was resolved or closed: one question, a comment, a thank-you. No login; the token is
the key, stored hashed, good for one answer within 30 days; answers are rate-limited per
network like the other public surveys (docs/cases.md, "Recovery survey")."""

from __future__ import annotations

from collections.abc import Mapping

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from cxgap.db.tables import Workspace
from cxgap.errors import (
    ConflictError,
    CsrfError,
    FieldProblem,
    NotFoundError,
    RateLimitedError,
    ValidationError,
)
from cxgap.jobs import enqueue_enrichment
from cxgap.schema import MAX_COMMENT_CHARS
from cxgap.services import recovery_answers
from cxgap.services.recovery_answers import EXPIRED, RecoveryLink
from cxgap.web.deps import SessionDep, SettingsDep
from cxgap.web.render import locale_of, page, translate_for
from cxgap.web.routes.public import FormFieldsDep
from cxgap.web.security import CSRF_FIELD, check_csrf

router = APIRouter()


def _unavailable(request: Request, reason: str, status_code: int, brand: str = "") -> Response:
    context = {"reason": reason, "brand": brand, "other_t": translate_for}
    return page(request, "public/recovery_unavailable.html", context, status_code=status_code)


def _link(session: SessionDep, token: str) -> RecoveryLink | None:
    try:
        return recovery_answers.open_link(session, token)
    except NotFoundError:
        return None


def _gate(request: Request, link: RecoveryLink | None) -> Response | None:
    if link is None:
        return _unavailable(request, "unknown", 404)
    if link.answered:
        return _unavailable(request, "answered", 409, link.brand)
    if link.expired:
        return _unavailable(request, "expired", 410, link.brand)
    return None


def _messages(problems: list[FieldProblem], locale: str) -> dict[str, str]:
    messages: dict[str, str] = {}
    for problem in problems:
        code = "expired" if problem.field == CSRF_FIELD else (problem.code or "choice")
        text = translate_for(locale, f"public.error.{code}", **problem.params)
        messages.setdefault(problem.field, text)
    return messages


def _form(
    request: Request,
    link: RecoveryLink,
    values: Mapping[str, str],
    problems: list[FieldProblem] | None = None,
    status_code: int = 200,
) -> Response:
    errors = _messages(problems or [], locale_of(request))
    labels = {
        "score": translate_for(locale_of(request), "case_recovery.public.question"),
        "comment": translate_for(locale_of(request), "case_recovery.public.comment"),
        CSRF_FIELD: translate_for(locale_of(request), "public.field.form"),
    }
    anchors = {"score": "score-1", "comment": "comment", CSRF_FIELD: "recovery-form"}
    summary = [(anchors[f], labels[f], text) for f, text in errors.items() if f in anchors]
    context = {
        "link": link,
        "values": values,
        "errors": errors,
        "error_summary": summary,
        "comment_max": MAX_COMMENT_CHARS,
    }
    return page(request, "public/recovery.html", context, status_code=status_code)


@router.get("/r/{token}", response_class=HTMLResponse)
def recovery_form(request: Request, token: str, session: SessionDep) -> Response:
    link = _link(session, token)
    if (refusal := _gate(request, link)) is not None or link is None:
        return refusal or _unavailable(request, "unknown", 404)
    return _form(request, link, {})


@router.post("/r/{token}", response_class=HTMLResponse)
def submit_recovery(
    request: Request,
    token: str,
    session: SessionDep,
    settings: SettingsDep,
    fields: FormFieldsDep,
) -> Response:
    link = _link(session, token)
    if (refusal := _gate(request, link)) is not None or link is None:
        return refusal or _unavailable(request, "unknown", 404)
    try:
        check_csrf(request, fields.get(CSRF_FIELD))
    except CsrfError as exc:
        problem = FieldProblem(CSRF_FIELD, str(exc))
        return _form(request, link, fields, [problem], status_code=403)
    try:
        feedback = recovery_answers.answer_recovery(
            session,
            token=token,
            score=fields.get("score"),
            comment=fields.get("comment"),
            client_ip=request.client.host if request.client else "unknown",
            secret=settings.resolved_secret_key(),
            rate_limit=settings.survey_rate_limit,
        )
    except ValidationError as exc:
        session.rollback()
        return _form(request, link, fields, exc.problems, status_code=422)
    except ConflictError as exc:  # answered or expired since the page was shown
        session.rollback()
        expired = exc.message_key == EXPIRED
        reason, code = ("expired", 410) if expired else ("answered", 409)
        return _unavailable(request, reason, code, link.brand)
    except RateLimitedError as exc:
        session.rollback()
        return _unavailable(request, "rate_limited", exc.status_code, link.brand)
    if feedback.text:  # a comment to read: have it enriched like any other verbatim
        workspace = session.get(Workspace, feedback.workspace_id)
        if workspace is not None:
            enqueue_enrichment(session, workspace)
    return RedirectResponse(f"/r/{token}/thanks", status_code=303)


@router.get("/r/{token}/thanks", response_class=HTMLResponse)
def recovery_thanks(request: Request, token: str, session: SessionDep) -> Response:
    link = _link(session, token)
    if link is None:
        return _unavailable(request, "unknown", 404)
    return page(request, "public/recovery_thanks.html", {"brand": link.brand})
