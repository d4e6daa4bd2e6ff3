"""The results page, its JSON twin, the downloadable report and the raw CSV exports."""

from __future__ import annotations

import io
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import BaseModel, Field

from cxgap.analytics.priorities import MIN_ANSWERS_FOR_PRIORITIES
from cxgap.analytics.results_json import ResultsJson
from cxgap.db.tables import Workspace
from cxgap.errors import NotFoundError
from cxgap.jobs import JobRow
from cxgap.services.accounts import Role
from cxgap.services.exports import write_answers_csv
from cxgap.services.flagged import Mode, excluded_ids, resolve
from cxgap.services.reports import render_report
from cxgap.services.results import results_for
from cxgap.web.audit_hooks import note_export
from cxgap.web.deps import SessionDep, SettingsDep, UserDep, open_workspace
from cxgap.web.flagged_notice import flagged_notice
from cxgap.web.integrity_panel import panel_context
from cxgap.web.render import locale_of, page

router = APIRouter(prefix="/w/{key}")


GROUP_SIZES = (10, 20, 30, 50, 100)
CONFIDENCE_LEVELS = (0.90, 0.95, 0.99)


class ResultsOptions(BaseModel):
    """How the results are computed; the page offers these as choices, the JSON takes them."""

    min_group_size: int | None = Field(None, ge=10, le=100_000)
    confidence: float = Field(0.95, ge=0.8, le=0.999)


OptionsDep = Annotated[ResultsOptions, Query()]
# With or without the flagged answers; absent: the workspace's choice (services/flagged.py).
FlaggedDep = Annotated[str | None, Query(pattern="^(include|exclude)$")]


def _results(
    session: SessionDep,
    workspace: Workspace,
    settings: SettingsDep,
    options: ResultsOptions,
    mode: Mode,
) -> ResultsJson:
    return results_for(
        session,
        workspace,
        min_group_size=options.min_group_size or settings.min_group_size,
        confidence=options.confidence,
        flagged=mode,
    )


@router.get("/results", response_class=HTMLResponse)
def results_page(
    request: Request,
    key: str,
    session: SessionDep,
    user: UserDep,
    settings: SettingsDep,
    options: OptionsDep,
    flagged: FlaggedDep = None,
) -> Response:
    from cxgap.reporting.render import render_results_fragment

    workspace, role = open_workspace(session, user, key, Role.VIEWER)
    mode = resolve(session, workspace, flagged)
    results = _results(session, workspace, settings, options, mode)
    planning = f"/w/{key}/actions/new" if role in (Role.ANALYST, Role.ADMIN) else None
    fragment = render_results_fragment(
        results, locale=locale_of(request), statistics_doc_url=f"/w/{key}/results/method",
        plan_action_url=planning,
    )  # fmt: skip
    return page(
        request,
        "results.html",
        {
            "user": user,
            "workspace": workspace,
            "role": role,
            "fragment": fragment,
            "min_group_size": results["min_group_size"],
            "confidence": results["confidence"],
            "group_sizes": sorted({*GROUP_SIZES, settings.min_group_size}),
            "confidence_levels": CONFIDENCE_LEVELS,
            "report_job": _report_job(session, workspace, locale_of(request)),
            # With/without flagged answers: the notice, and every headline figure both ways
            # once an analyst looks at them or excludes them (docs/integrity.md).
            "flagged_notice": flagged_notice(
                session,
                workspace,
                role=role,
                mode=mode,
                here=f"/w/{key}/results",
                locale=locale_of(request),
            ),
            "integrity": (flagged or mode == "exclude")
            and panel_context(session, workspace, mode == "exclude"),
        },
    )


def _report_job(session: SessionDep, workspace: Workspace, locale: str) -> JobRow | None:
    from cxgap.web.routes.report_jobs import latest_report_job  # it imports this module

    return latest_report_job(session, workspace, locale)


@router.get("/results/method", response_class=HTMLResponse)
def method_page(request: Request, key: str, session: SessionDep, user: UserDep) -> Response:
    """How every figure is computed, in plain words, in the reader's language."""
    workspace, role = open_workspace(session, user, key, Role.VIEWER)
    context = {
        "user": user,
        "workspace": workspace,
        "role": role,
        "min_answers": MIN_ANSWERS_FOR_PRIORITIES,
    }
    return page(request, "method.html", context)


# response_model=None: the object goes out as the service built it (docs/results-format.md),
# not re-validated and re-serialised by a model FastAPI would derive from the TypedDict.
@router.get("/results.json", response_model=None)
def results_json(
    key: str,
    session: SessionDep,
    user: UserDep,
    settings: SettingsDep,
    options: OptionsDep,
    flagged: FlaggedDep = None,
) -> ResultsJson:
    workspace, _ = open_workspace(session, user, key, Role.VIEWER)
    return _results(session, workspace, settings, options, resolve(session, workspace, flagged))


@router.get("/report.html", response_class=HTMLResponse)
def report(
    request: Request,
    key: str,
    session: SessionDep,
    user: UserDep,
    settings: SettingsDep,
    options: OptionsDep,
    flagged: FlaggedDep = None,
) -> Response:
    workspace, _ = open_workspace(session, user, key, Role.VIEWER)
    mode = resolve(session, workspace, flagged)
    results = _results(session, workspace, settings, options, mode)
    method = str(request.url_for("method_page", key=key))
    html = render_report(
        results,
        locale=locale_of(request),
        workspace_name=workspace.name,
        statistics_doc_url=f"{method}?lang={locale_of(request)}",
    )
    filename = f"cxgap-{workspace.key}-report-{locale_of(request)}.html"
    note_export(request, session, user, workspace, what="report", fmt="html")
    return HTMLResponse(html, headers={"content-disposition": f'attachment; filename="{filename}"'})


@router.get("/export/{name}.csv")
def export_csv(
    request: Request,
    key: str,
    name: str,
    session: SessionDep,
    user: UserDep,
    flagged: FlaggedDep = None,
) -> Response:
    """The answers as CSV; an empty workspace gets the delimiter of the reader's language.
    The customer answers leave out the flagged ones when the reading excludes them, and the
    file's name says so (``…-customer_answers-without-flagged.csv``)."""
    workspace, _ = open_workspace(session, user, key, Role.ANALYST)
    if name not in {"internal_answers", "customer_answers"}:
        raise NotFoundError(f"No export {name!r}")
    which = name.removesuffix("_answers")
    mode = resolve(session, workspace, flagged)
    excluded = excluded_ids(session, workspace, mode) if which == "customer" else frozenset()
    buffer = io.StringIO()
    write_answers_csv(
        session,
        workspace=workspace,
        which=which,
        handle=buffer,
        default_language=locale_of(request),
        excluded=excluded,
    )
    note_export(request, session, user, workspace, what=name, fmt="csv")
    filename = f"{workspace.key}-{name}{'-without-flagged' if excluded else ''}.csv"
    return Response(
        buffer.getvalue().encode("utf-8"),
        media_type="text/csv; charset=utf-8",
        headers={"content-disposition": f'attachment; filename="{filename}"'},
    )
