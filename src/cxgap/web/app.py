"""The web application factory."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager, contextmanager
from pathlib import Path
from typing import cast
from urllib.parse import urlsplit

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.middleware.sessions import SessionMiddleware

from cxgap import __version__
from cxgap.config import Settings
from cxgap.errors import (
    CxgapError,
    FieldProblem,
    LoginRequired,
    MissingTextDependencyError,
    ValidationError,
)
from cxgap.i18n import translate
from cxgap.jobs import start_embedded_worker
from cxgap.services.core import Cxgap
from cxgap.web import api, board_gate
from cxgap.web.api.errors import error_body, install_http_errors, request_problem_code
from cxgap.web.api.strict_json import StrictJsonMiddleware
from cxgap.web.client_address import ClientAddressMiddleware
from cxgap.web.log_redaction import install_redaction
from cxgap.web.middleware import (
    BodyLimitMiddleware,
    LocaleMiddleware,
    NoStoreMiddleware,
    SecurityHeadersMiddleware,
)
from cxgap.web.public_fast_path import SurveyAnswerFastPath
from cxgap.web.render import locale_of, make_templates, page
from cxgap.web.routes import (
    account,
    actions,
    audit,
    auth,
    badge_admin,
    board_admin,
    case_from_feedback,
    case_imports,
    case_rules_pages,
    cases,
    collect,
    community_mail,
    community_people,
    corrections,
    emerging_topics,
    enrichment_progress,
    event_import,
    executive,
    feedback_import,
    help_admin,
    help_centre,
    idea_admin,
    idea_board,
    idea_evidence,
    idea_links,
    idea_submit,
    imports,
    integrations,
    integrity,
    jobs,
    journey_editor,
    journey_import,
    journey_topics,
    journeys,
    level_admin,
    listening,
    listening_exact,
    listening_export,
    members,
    ownership,
    paths,
    personas,
    public,
    recovery,
    report_jobs,
    results,
    retention_pages,
    segments,
    service_accounts,
    service_credits,
    service_levels,
    service_menu,
    setup,
    sso,
    survey_links,
    survey_mailing,
    tag_admin,
    taxonomy,
    workspace,
)
from cxgap.web.store_errors import install_store_errors

STATIC_DIR = Path(__file__).with_name("static")
PUBLIC_FORM_LIMIT = 256 * 1024


def create_app(
    settings: Settings | None = None,
    *,
    cx: Cxgap | None = None,
    background_jobs: bool = False,
    like: FastAPI | None = None,
) -> FastAPI:
    """Build the app; the database must already be migrated (``cxgap db upgrade``).

    With ``background_jobs`` the app runs the embedded queue's worker thread while it serves
    (``cxgap serve`` asks for it; tests do not, so they start no thread unless they mean to).

    ``like``, an app this function built, lends the new one what does not depend on the
    context: its route table (with the state FastAPI builds for every route on the first
    request that reaches it: dependants, validators; about a second of CPU), its templates
    (with the ones already compiled) and its static files. What depends on the context is the
    new app's own: ``cx``, the middleware (secret key, cookies, limits, trusted proxies, the
    survey's short path), the lifespan and the error handlers. The routes read the context from
    the request's app, never from the app they were first included in; dependency overrides
    are shared with ``like`` (the product sets none). Tests that serve many databases use it
    (tests/warm_routes.py); ``cxgap serve`` builds one app per process and never does.
    """
    cx = cx or Cxgap(settings or Settings.from_env())
    app = FastAPI(
        lifespan=_job_lifespan(cx) if background_jobs else None,
        title="cxgap",
        version=__version__,
        description="Customer-experience gap workbench. Authenticate with "
        "`Authorization: Bearer <token>`.",
        docs_url=None,
        redoc_url=None,
        openapi_url="/api/openapi.json",
    )
    app.state.cx = cx
    install_redaction()  # secret links (invitations, surveys) never reach the access log
    app.state.templates = like.state.templates if like is not None else make_templates()
    if cx.settings.survey_fast_path:  # innermost: every layer below applies to it too
        app.add_middleware(SurveyAnswerFastPath, cx=lambda: cx)
    app.add_middleware(LocaleMiddleware)
    app.add_middleware(StrictJsonMiddleware)  # inside the body limit: reads JSON bodies whole
    app.add_middleware(
        SessionMiddleware,
        secret_key=cx.settings.resolved_secret_key(),
        session_cookie="cxgap_session",
        same_site="lax",
        https_only=cx.settings.secure_cookies,
        max_age=cx.settings.session_max_days * 24 * 3600,
    )
    app.add_middleware(
        BodyLimitMiddleware,
        default_limit=cx.settings.max_upload_bytes + 64 * 1024,
        public_limit=PUBLIC_FORM_LIMIT,
    )
    app.add_middleware(SecurityHeadersMiddleware)
    app.add_middleware(NoStoreMiddleware)
    # Outermost: every layer inside (limits, logs of the app, routes) sees the real client.
    app.add_middleware(ClientAddressMiddleware, trusted_proxies=cx.settings.trusted_proxies)
    if like is not None:
        _share_routes(app, like)
    else:
        _include_routes(app)
    _install_error_handlers(app)
    return app


def _share_routes(app: FastAPI, like: FastAPI) -> None:
    """The routes ``_include_routes`` gave ``like`` (the same objects, so the state FastAPI
    built for them is shared); the new app keeps those its constructor made (the OpenAPI
    document's route, which documents the app it belongs to)."""
    own = len(app.router.routes)  # both apps were made by the same FastAPI(...) call
    app.router.routes.extend(like.router.routes[own:])
    app.dependency_overrides = like.dependency_overrides
    sso.install(app)  # already done to the shared templates; the log filter, once


def _include_routes(app: FastAPI) -> None:
    app.mount("/static", StaticFiles(directory=str(STATIC_DIR)), name="static")
    # Pages stay out of the OpenAPI document: it describes the REST API only.
    pages = (
        auth,
        account,
        setup,
        workspace,
        members,
        collect,
        results,
        integrity,
        report_jobs,
        executive,
        journeys,
        listening,
        listening_exact,
        listening_export,
        imports,
        public,
        recovery,
        survey_mailing,
        community_mail,
        community_people,
        idea_submit,  # before idea_board: /ideas/new and /ideas/similar
        idea_board,
        idea_evidence,  # the ideas' verbatims (/w/{key}/ideas/{idea_id}/evidence)
        idea_admin,
        level_admin,
        tag_admin,
        badge_admin,
        idea_links,
        board_admin,
        help_centre,
        help_admin,
        survey_links,
        enrichment_progress,
        taxonomy,
        emerging_topics,
        corrections,
        integrations,
        audit,
        jobs,
        ownership,
        paths,
        retention_pages,
    )
    app.include_router(personas.router, include_in_schema=False)
    app.include_router(journey_editor.router, include_in_schema=False)  # before journeys: /new
    app.include_router(journey_import.router, include_in_schema=False)
    app.include_router(journey_topics.router, include_in_schema=False)
    for module in pages:
        app.include_router(module.router, include_in_schema=False)
    app.include_router(feedback_import.router, include_in_schema=False)
    app.include_router(event_import.router, include_in_schema=False)
    app.include_router(segments.router, include_in_schema=False)
    app.include_router(case_rules_pages.router, include_in_schema=False)  # before /{number}
    app.include_router(cases.router, include_in_schema=False)
    app.include_router(actions.router, include_in_schema=False)
    app.include_router(case_imports.router, include_in_schema=False)
    app.include_router(case_from_feedback.router, include_in_schema=False)
    app.include_router(sso.router, include_in_schema=False)
    # Accounts and incidents before the service levels' /{section} pages.
    app.include_router(service_accounts.router, include_in_schema=False)
    app.include_router(service_credits.router, include_in_schema=False)
    app.include_router(service_levels.router, include_in_schema=False)
    app.include_router(service_menu.router, include_in_schema=False)
    sso.install(app)  # the login page's "Sign in with …" button
    app.include_router(api.router)


def served_app() -> FastAPI:
    """The app of one web process of ``cxgap serve --workers N``: uvicorn calls this in each
    process it starts, with the settings in the environment. The processes run no background
    work; the command's supervising process runs it once (``background_work``)."""
    return create_app(Settings.from_env())


@contextmanager
def background_work(cx: Cxgap) -> Iterator[None]:
    """The embedded job worker thread (jobs of every kind, and the scheduled tasks such as
    webhook deliveries), while the block runs.

    One per installation is enough and is what ``cxgap serve`` starts, whatever the number
    of web processes: job claims are atomic (``jobs/store.py``) so more would be safe, but
    each would poll the database and hold the text models in its own memory."""
    worker = start_embedded_worker(cx)
    try:
        yield
    finally:
        if worker is not None:
            worker.stop()


def _job_lifespan(cx: Cxgap) -> Callable[[FastAPI], AbstractAsyncContextManager[None]]:
    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        with background_work(cx):
            yield

    return lifespan


def _wants_json(request: Request) -> bool:
    path = request.url.path
    return (
        path.startswith("/api/")
        or path.endswith(".json")
        or "application/json" in request.headers.get("accept", "")
    )


def _local_referrer(request: Request) -> str | None:
    """Where the user came from, if it was a page of this site (to offer a way back)."""
    referrer = urlsplit(request.headers.get("referer", ""))
    if referrer.netloc != request.url.netloc or not referrer.path.startswith("/"):
        return None
    return referrer.path + (f"?{referrer.query}" if referrer.query else "")


def _error_body(exc: CxgapError, locale: str) -> dict[str, object]:
    message = exc.summary if isinstance(exc, ValidationError) else str(exc)
    if isinstance(exc, MissingTextDependencyError):  # the reader's language, and what is missing
        message = translate("text.missing.module", locale, module=exc.module)
    return error_body(exc, message, locale)


def _install_error_handlers(app: FastAPI) -> None:
    install_http_errors(app)
    install_store_errors(app)

    @app.exception_handler(CxgapError)
    async def cxgap_error(request: Request, exc: CxgapError) -> Response:
        if isinstance(exc, LoginRequired) and not _wants_json(request):
            target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
            return RedirectResponse(f"/login?next={target}", status_code=303)
        if _wants_json(request):
            body = _error_body(exc, locale_of(request))
            return JSONResponse(body, status_code=exc.status_code)
        context = {"error": exc, "back": _local_referrer(request)}
        template = "error.html"
        if isinstance(exc, MissingTextDependencyError):
            template = "text_unavailable.html"
        return page(request, template, context, status_code=exc.status_code)

    @app.exception_handler(RequestValidationError)
    async def request_invalid(request: Request, exc: RequestValidationError) -> Response:
        problems = [
            FieldProblem(
                field=_request_field(err),
                message=str(err.get("msg", "is invalid")),
                value=err.get("input") if not isinstance(err.get("input"), dict) else None,
                code=request_problem_code(err)[0],
                params=request_problem_code(err)[1],
            )
            for err in exc.errors()
        ]
        return await cxgap_error(request, ValidationError(problems, summary="Invalid request"))

    board_gate.install(app)  # a private idea board's sign-in page (after the handlers above)


def _request_field(error: dict[str, object]) -> str:
    """Where a request error is: the field's path, or the body when it is not JSON at all
    (FastAPI's location then holds the parser's character position)."""
    if error.get("type") == "json_invalid":
        return "(body)"
    location = cast(Sequence[object], error.get("loc") or ())
    return ".".join(str(p) for p in location[1:]) or "(request)"
