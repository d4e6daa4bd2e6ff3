"""Assessment results and customer answers."""

from __future__ import annotations

import io
from typing import Any, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field

from cxgap.analytics.results_json import ResultsJson
from cxgap.services.accounts import Role
from cxgap.services.exports import write_answers_csv
from cxgap.services.flagged import excluded_ids, resolve
from cxgap.services.results import results_for
from cxgap.services.survey_imports import import_customer_rows
from cxgap.web.api.deps import CallerDep, open_workspace
from cxgap.web.api.errors import ProblemOut, error_responses
from cxgap.web.audit_hooks import note_export
from cxgap.web.deps import SessionDep, SettingsDep

router = APIRouter(prefix="/api/v1")
MAX_API_ANSWERS = 10_000


class ResultsOut(BaseModel):
    """The assessment results object, described field by field in docs/results-format.md."""

    model_config = ConfigDict(extra="allow")

    workspace: str
    computed_at: str
    confidence: float
    min_group_size: int
    pillars: list[dict[str, Any]]


class AnswersIn(BaseModel):
    answers: list[dict[str, str | int | float | bool | None]] = Field(
        min_length=1,
        max_length=MAX_API_ANSWERS,
        description="Flat answers with the CSV import's fields (nps, <pillar>_importance, …)",
    )
    skip_invalid: bool = Field(False, description="Store valid answers, report the others")
    pseudonymise: bool = Field(
        True,
        description="Replace customer_ref by a keyed hash before storing (the default, as in "
        "the browser and the CLI); false stores it in clear",
    )


class ImportOut(BaseModel):
    source: str
    rows_read: int
    stored: int
    rows_refused: int
    problems: list[ProblemOut]


@router.get(
    "/workspaces/{key}/results",
    response_model=ResultsOut,
    tags=["results"],
    operation_id="get_results",
    responses=error_responses(),
)
def workspace_results(
    key: str,
    session: SessionDep,
    caller: CallerDep,
    settings: SettingsDep,
    min_group_size: int | None = Query(None, ge=1, le=100_000),
    flagged: Literal["include", "exclude"] | None = Query(
        None,
        description="With or without the answers integrity checks flag (docs/integrity.md); "
        "absent: the workspace's choice",
    ),
) -> ResultsJson:
    """The assessment results object (docs/results-format.md)."""
    workspace, _ = open_workspace(session, caller, key, Role.VIEWER)
    return results_for(
        session,
        workspace,
        min_group_size=min_group_size or settings.min_group_size,
        flagged=resolve(session, workspace, flagged),
    )


@router.post(
    "/workspaces/{key}/customer-answers",
    response_model=ImportOut,
    tags=["answers"],
    operation_id="post_customer_answers",
    responses=error_responses(),
)
def post_customer_answers(
    key: str, body: AnswersIn, session: SessionDep, caller: CallerDep, settings: SettingsDep
) -> dict[str, object]:
    """Store customer answers; all or nothing unless ``skip_invalid``. Answers with a
    ``response_id`` already stored replace it."""
    workspace, _ = open_workspace(session, caller, key, Role.ANALYST)
    report = import_customer_rows(
        session,
        workspace=workspace,
        rows=body.answers,
        source="api",
        skip_invalid=body.skip_invalid,
        pseudonym_secret=settings.resolved_secret_key() if body.pseudonymise else None,
    )
    return report.as_dict()


@router.get(
    "/workspaces/{key}/answers/export",
    tags=["answers"],
    operation_id="export_answers",
    response_class=Response,
    responses={
        200: {"description": "The raw answers, as the Results page's CSV downloads",
              "content": {"text/csv": {}}},
        **error_responses(),
    },
)  # fmt: skip
def export_answers(
    request: Request,
    key: str,
    session: SessionDep,
    caller: CallerDep,
    which: Literal["customer", "internal"] = "customer",
    flagged: Literal["include", "exclude"] | None = Query(
        None,
        description="Customer answers with or without the flagged ones; absent: the "
        "workspace's choice",
    ),
) -> Response:
    """Every stored answer, one row each, with the columns of docs/export.md (the flagged
    customer answers left out when the reading excludes them)."""
    workspace, _ = open_workspace(session, caller, key, Role.ANALYST)
    mode = resolve(session, workspace, flagged)
    excluded = excluded_ids(session, workspace, mode) if which == "customer" else frozenset()
    buffer = io.StringIO()
    write_answers_csv(session, workspace=workspace, which=which, handle=buffer, excluded=excluded)
    note_export(request, session, caller.principal, workspace, what=f"{which}_answers",
                fmt="csv", via="api")  # fmt: skip
    name = f"{workspace.key}-{which}_answers{'-without-flagged' if excluded else ''}.csv"
    return Response(
        buffer.getvalue().encode("utf-8"),
        media_type="text/csv; charset=utf-8",
        headers={"content-disposition": f'attachment; filename="{name}"'},
    )
