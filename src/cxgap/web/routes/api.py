"""REST API v1: token-authenticated JSON over the same services as the pages."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse
from pydantic import BaseModel, Field

from cxgap.services import campaigns
from cxgap.services.accounts import Role
from cxgap.services.imports import import_customer_rows
from cxgap.services.results import results_for
from cxgap.services.workspaces import pillars_of, segments_of, workspaces_for
from cxgap.web.deps import ApiUserDep, SessionDep, SettingsDep, open_workspace

router = APIRouter(prefix="/api")
MAX_API_ANSWERS = 10_000


class WorkspaceOut(BaseModel):
    key: str
    name: str
    role: str


class PillarOut(BaseModel):
    key: str
    name_en: str
    name_fr: str
    description_en: str
    description_fr: str
    position: int
    retired: bool = False


class SegmentOut(BaseModel):
    key: str
    name_en: str
    name_fr: str


class CollectorOut(BaseModel):
    key: str
    name: str
    kind: str = Field(description="survey (customers) or campaign (internal self-assessment)")
    path: str = Field(description="Public link path, to append to the server address")
    is_open: bool
    answers: int


class WorkspaceDetail(WorkspaceOut):
    pillars: list[PillarOut]
    segments: list[SegmentOut]
    collectors: list[CollectorOut]


class AnswersIn(BaseModel):
    answers: list[dict[str, str | int | float | bool | None]] = Field(
        max_length=MAX_API_ANSWERS,
        description="Flat answers with the CSV import's fields (nps, <pillar>_importance, …)",
    )
    skip_invalid: bool = Field(False, description="Store valid answers, report the others")


class ProblemOut(BaseModel):
    field: str
    message: str
    value: str | None
    row: int | None
    source: str | None
    code: str | None = Field(None, description="required, range, too_long, choice, rank, format")


class ImportOut(BaseModel):
    source: str
    rows_read: int
    stored: int
    rows_refused: int
    problems: list[ProblemOut]


@router.get("/v1/workspaces", response_model=list[WorkspaceOut], tags=["workspaces"])
def list_workspaces(session: SessionDep, user: ApiUserDep) -> list[WorkspaceOut]:
    return [WorkspaceOut(key=w.key, name=w.name, role=r) for w, r in workspaces_for(session, user)]


@router.get("/v1/workspaces/{key}", response_model=WorkspaceDetail, tags=["workspaces"])
def workspace_detail(key: str, session: SessionDep, user: ApiUserDep) -> WorkspaceDetail:
    workspace, role = open_workspace(session, user, key, Role.VIEWER)
    collectors = [
        CollectorOut(key=s.key, name=s.name, kind="survey", path=f"/s/{s.token}",
                     is_open=s.is_open, answers=n)
        for s, n in campaigns.surveys_of(session, workspace)
    ] + [
        CollectorOut(key=c.key, name=c.name, kind="campaign", path=f"/a/{c.token}",
                     is_open=c.is_open, answers=n)
        for c, n in campaigns.campaigns_of(session, workspace)
    ]  # fmt: skip
    return WorkspaceDetail(
        key=workspace.key,
        name=workspace.name,
        role=role.value,
        pillars=[
            PillarOut.model_validate(p, from_attributes=True).model_copy(
                update={"retired": p.retired_at is not None}
            )
            for p in pillars_of(session, workspace, include_retired=True)
        ],
        segments=[
            SegmentOut(key=s.key, name_en=s.name_en, name_fr=s.name_fr)
            for s in segments_of(session, workspace)
        ],
        collectors=collectors,
    )


@router.get("/v1/workspaces/{key}/results", tags=["results"])
def workspace_results(
    key: str,
    session: SessionDep,
    user: ApiUserDep,
    settings: SettingsDep,
    min_group_size: int | None = Query(None, ge=1, le=100_000),
) -> dict[str, Any]:
    """The assessment results object (docs/results-format.md)."""
    workspace, _ = open_workspace(session, user, key, Role.VIEWER)
    return results_for(session, workspace, min_group_size=min_group_size or settings.min_group_size)


@router.post("/v1/workspaces/{key}/customer-answers", response_model=ImportOut, tags=["answers"])
def post_customer_answers(
    key: str, body: AnswersIn, session: SessionDep, user: ApiUserDep
) -> dict[str, object]:
    """Store customer answers; all or nothing unless ``skip_invalid``. Answers with a
    ``response_id`` already stored replace it."""
    workspace, _ = open_workspace(session, user, key, Role.ANALYST)
    report = import_customer_rows(
        session,
        workspace=workspace,
        rows=body.answers,
        source="api",
        skip_invalid=body.skip_invalid,
    )
    return report.as_dict()


@router.get("/docs", include_in_schema=False, response_class=HTMLResponse)
def api_docs(request: Request) -> HTMLResponse:
    """Swagger UI from vendored files (no CDN; the init script is a static file for the CSP)."""
    return HTMLResponse(
        """<!doctype html><html><head><meta charset="utf-8"><title>cxgap API</title>
<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/static/vendor/swagger-ui/swagger-ui.css"></head>
<body><div id="swagger-ui"></div>
<script src="/static/vendor/swagger-ui/swagger-ui-bundle.js"></script>
<script src="/static/api-docs.js"></script></body></html>"""
    )
