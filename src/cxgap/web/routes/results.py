"""The results page, its JSON twin, the downloadable report and the raw CSV exports."""

from __future__ import annotations

import io
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from cxgap.errors import NotFoundError
from cxgap.services.accounts import Role
from cxgap.services.exports import write_answers_csv
from cxgap.services.reports import render_report
from cxgap.services.results import results_for
from cxgap.web.deps import SessionDep, SettingsDep, UserDep, open_workspace
from cxgap.web.render import locale_of, page

router = APIRouter(prefix="/w/{key}")


@router.get("/results", response_class=HTMLResponse)
def results_page(
    request: Request, key: str, session: SessionDep, user: UserDep, settings: SettingsDep
) -> Response:
    from cxgap.reporting.render import render_results_fragment

    workspace, role = open_workspace(session, user, key, Role.VIEWER)
    results = results_for(session, workspace, min_group_size=settings.min_group_size)
    fragment = render_results_fragment(results, locale=locale_of(request))
    return page(
        request,
        "results.html",
        {"user": user, "workspace": workspace, "role": role, "fragment": fragment},
    )


@router.get("/results.json")
def results_json(
    key: str, session: SessionDep, user: UserDep, settings: SettingsDep
) -> dict[str, Any]:
    workspace, _ = open_workspace(session, user, key, Role.VIEWER)
    return results_for(session, workspace, min_group_size=settings.min_group_size)


@router.get("/report.html", response_class=HTMLResponse)
def report(
    request: Request, key: str, session: SessionDep, user: UserDep, settings: SettingsDep
) -> Response:
    workspace, _ = open_workspace(session, user, key, Role.VIEWER)
    results = results_for(session, workspace, min_group_size=settings.min_group_size)
    html = render_report(results, locale=locale_of(request), workspace_name=workspace.name)
    filename = f"cxgap-{workspace.key}-report-{locale_of(request)}.html"
    return HTMLResponse(html, headers={"content-disposition": f'attachment; filename="{filename}"'})


@router.get("/export/{name}.csv")
def export_csv(key: str, name: str, session: SessionDep, user: UserDep) -> Response:
    workspace, _ = open_workspace(session, user, key, Role.ANALYST)
    if name not in {"internal_answers", "customer_answers"}:
        raise NotFoundError(f"No export {name!r}")
    buffer = io.StringIO()
    write_answers_csv(
        session, workspace=workspace, which=name.removesuffix("_answers"), handle=buffer
    )
    return Response(
        buffer.getvalue().encode("utf-8"),
        media_type="text/csv; charset=utf-8",
        headers={"content-disposition": f'attachment; filename="{workspace.key}-{name}.csv"'},
    )
