"""The executive report of a workspace for a period, as JSON, HTML or PDF."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from cxgap.services.accounts import Role
from cxgap.services.executive_output import executive_file
from cxgap.web.api.deps import CallerDep, open_workspace
from cxgap.web.api.errors import error_responses
from cxgap.web.audit_hooks import note_export
from cxgap.web.deps import SessionDep

router = APIRouter(prefix="/api/v1")


@router.get(
    "/workspaces/{key}/reports/executive",
    tags=["reports"],
    operation_id="get_executive_report",
    responses={
        **error_responses(),
        200: {
            "content": {"application/json": {}, "text/html": {}, "application/pdf": {}},
            "description": "The report (docs/reports.md): JSON keys are stable",
        },
    },
)
def executive_report(
    request: Request,
    key: str,
    session: SessionDep,
    caller: CallerDep,
    period: str | None = Query(
        None, description="2026-11, 2026-Q3, 2026 or 2026-09-01..2026-11-30; default: last month"
    ),
    lang: Literal["en", "fr"] = Query("en"),
    format: Literal["json", "html", "pdf"] = Query("json"),
    paper: Literal["a4", "letter"] | None = Query(None, description="PDF only"),
) -> Response:
    """Headline figures with their change, the three gaps per pillar, the priority pillars,
    the top irritants with a verbatim, the measured journey map, actions and integrity
    warnings."""
    workspace, _ = open_workspace(session, caller, key, Role.VIEWER)
    rendered = executive_file(
        session, workspace, period=period, fmt=format, locale=lang, paper=paper,
    )  # fmt: skip
    if format != "json":
        note_export(request, session, caller.principal, workspace, what="executive_report",
                    fmt=format, via="api")  # fmt: skip
    headers = {"Content-Disposition": f'attachment; filename="{rendered.file_name}"'}
    if format == "json":
        headers = {}
    return Response(rendered.content, media_type=rendered.media_type, headers=headers)
