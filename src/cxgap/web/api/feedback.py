"""Feedback: the Listening list and its filters, file imports and their history, exports."""

from __future__ import annotations

from datetime import date, datetime
from enum import Enum
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, File, Form, Path, Query, Request, UploadFile
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from cxgap.db.tables import Workspace
from cxgap.ingest.presets import PRESETS
from cxgap.ingest.records import SOURCE_TYPES
from cxgap.jobs import enqueue_enrichment
from cxgap.services import feedback_export, feedback_imports, listening
from cxgap.services.accounts import Role
from cxgap.services.listening import Filters
from cxgap.web.api.deps import CallerApartDep, CallerDep, open_workspace
from cxgap.web.api.errors import error_responses
from cxgap.web.api.fields import MAX_ID
from cxgap.web.api.pagination import DEFAULT_LIMIT, CursorQuery, LimitQuery, Page, paginate
from cxgap.web.audit_hooks import note_export
from cxgap.web.deps import CxDep, SessionDep
from cxgap.web.feedback_download import feedback_download

PRESET_PATTERN = "^(" + "|".join(PRESETS) + ")?$"
SourceType = Enum("SourceType", {name: name for name in SOURCE_TYPES}, type=str)  # type: ignore[misc]

router = APIRouter(prefix="/api/v1/workspaces/{key}/feedback", tags=["feedback"])


class FeedbackOut(BaseModel):
    id: int
    source_type: str
    channel: str | None
    collected_at: datetime
    text: str
    language: str | None
    nps: int | None
    csat: int | None
    ces: int | None
    stars: int | None
    touchpoint: str | None
    sentiment: str | None = Field(description="positive, neutral, negative; null if not analysed")
    score: float | None
    topics: list[str] = Field(description="Keys of the topics found in the text")


class ImportRunOut(BaseModel):
    id: int
    file_name: str
    preset: str | None
    mode: str
    status: str = Field(description="done or refused")
    rows_read: int
    records_stored: int
    created_at: datetime
    report: dict[str, Any] = Field(description="The import report (problems capped at 100)")


def listening_filters(
    source: Annotated[SourceType | None, Query(description="survey, review, ticket, …")] = None,
    channel: str | None = None,
    from_: Annotated[date | None, Query(alias="from", description="YYYY-MM-DD")] = None,
    to: Annotated[date | None, Query(description="YYYY-MM-DD")] = None,
    language: str | None = None,
    sentiment: Literal["positive", "neutral", "negative"] | None = None,
    topic: str | None = None,
    pillar: str | None = None,
    touchpoint: str | None = None,
    segment: str | None = None,
    persona: str | None = None,
    q: Annotated[str | None, Query(max_length=listening.MAX_SEARCH)] = None,
    flagged: Annotated[
        Literal["include", "exclude"] | None,
        Query(
            description="With or without the comments of flagged survey answers "
            "(docs/integrity.md); absent: the workspace's choice"
        ),
    ] = None,
) -> Filters:
    """The Listening page's filters, with the same names as its address."""
    values = {
        "source": source and source.value,
        "channel": channel,
        "from": from_ and from_.isoformat(),
        "to": to and to.isoformat(),
        "language": language,
        "sentiment": sentiment,
        "topic": topic,
        "pillar": pillar,
        "touchpoint": touchpoint,
        "segment": segment,
        "persona": persona,
        "q": q,
        "flagged": flagged,
    }
    return listening.parse_filters({k: v for k, v in values.items() if v})


FiltersDep = Annotated[Filters, Depends(listening_filters)]


@router.get(
    "",
    response_model=Page[FeedbackOut],
    operation_id="list_feedback",
    responses=error_responses(),
)
def list_feedback(
    key: str,
    session: SessionDep,
    caller: CallerDep,
    filters: FiltersDep,
    cursor: CursorQuery = None,
) -> Page[FeedbackOut]:
    """Feedback newest first with the Listening filters, 50 per page."""
    workspace, _ = open_workspace(session, caller, key, Role.VIEWER)
    found = listening.explore(
        session, workspace, filters, after=cursor, with_facets=False, cursor_field="cursor"
    )
    items = [
        FeedbackOut(
            id=v.row.id,
            source_type=v.row.source_type,
            channel=v.row.channel,
            collected_at=v.row.collected_at,
            text=v.row.text,
            language=v.row.language,
            nps=v.row.nps,
            csat=v.row.csat,
            ces=v.row.ces,
            stars=v.row.stars,
            touchpoint=v.row.touchpoint,
            sentiment=v.row.sentiment,
            score=v.row.score,
            topics=list(v.topics),
        )
        for v in found.verbatims
    ]
    return Page[FeedbackOut](items=items, next=found.next_cursor)


@router.post(
    "/imports",
    response_model=ImportRunOut,
    operation_id="import_feedback",
    responses=error_responses(400, 413),
)
async def import_feedback(
    key: str,
    cx: CxDep,
    caller: CallerApartDep,
    file: Annotated[UploadFile, File(description="CSV, XLSX or JSON feedback file")],
    preset: Annotated[
        str | None,
        Form(pattern=PRESET_PATTERN, description="An import preset; detected if absent"),
    ] = None,
    mode: Annotated[Literal["all_or_nothing", "skip_invalid"], Form()] = "all_or_nothing",
    pseudonymise: Annotated[
        bool,
        Form(description="Replace customer ids by a keyed hash (the default); false keeps them"),
    ] = True,
) -> ImportRunOut:
    """Import a feedback file as the browser does (preset detected from its columns unless
    given); a refused file is kept in the history with status ``refused`` and its problems.
    Its texts are then queued for enrichment."""
    with cx.transaction() as session:
        open_workspace(session, caller, key, Role.ANALYST)
    outcome = await run_in_threadpool(
        feedback_imports.run_feedback_import,
        cx,
        workspace_key=key,
        source=file.file,
        name=file.filename or "upload",
        preset=preset or None,
        mode=mode,
        pseudonymise=pseudonymise,
        after=_queue_enrichment,
    )
    with cx.transaction() as session:
        workspace, _ = open_workspace(session, caller, key, Role.ANALYST)
        return _import_out(feedback_imports.get_import(session, workspace, outcome.import_id))


@router.get(
    "/imports",
    response_model=Page[ImportRunOut],
    operation_id="list_feedback_imports",
    responses=error_responses(),
)
def list_imports(
    key: str,
    session: SessionDep,
    caller: CallerDep,
    limit: LimitQuery = DEFAULT_LIMIT,
    cursor: CursorQuery = None,
) -> Page[ImportRunOut]:
    """Feedback imports, newest first."""
    workspace, _ = open_workspace(session, caller, key, Role.ANALYST)
    history = [
        _import_out(row) for row in reversed(feedback_imports.list_imports(session, workspace))
    ]
    items, after = paginate(history, limit=limit, cursor=cursor)
    return Page[ImportRunOut](items=items, next=after)


@router.get(
    "/imports/{import_id}",
    response_model=ImportRunOut,
    operation_id="get_feedback_import",
    responses=error_responses(),
)
def get_import(
    key: str,
    import_id: Annotated[int, Path(ge=1, le=MAX_ID)],
    session: SessionDep,
    caller: CallerDep,
) -> ImportRunOut:
    workspace, _ = open_workspace(session, caller, key, Role.ANALYST)
    return _import_out(feedback_imports.get_import(session, workspace, import_id))


@router.get(
    "/export",
    operation_id="export_feedback",
    response_class=StreamingResponse,
    responses={
        200: {
            "description": "The file, as the Listening page's download",
            "content": {t.split(";")[0]: {} for t in feedback_export.MEDIA_TYPES.values()},
        },
        **error_responses(),
    },
)
def export_feedback(
    request: Request,
    key: str,
    session: SessionDep,
    caller: CallerDep,
    filters: FiltersDep,
    format: Literal["csv", "xlsx", "json"] = "csv",
) -> StreamingResponse:
    """The feedback records the filters select, as CSV, XLSX or JSON (``cxgap export``)."""
    workspace, _ = open_workspace(session, caller, key, Role.ANALYST)
    feedback_export.parse_format(format)
    where = feedback_export.listening_filter(session, workspace, filters)
    response = feedback_download(session, workspace, format, where)
    note_export(request, session, caller.principal, workspace, what="feedback", fmt=format,
                via="api")  # fmt: skip
    return response


def _queue_enrichment(session: Session, workspace: Workspace) -> None:
    enqueue_enrichment(session, workspace)


def _import_out(row: Any) -> ImportRunOut:
    return ImportRunOut.model_validate(row, from_attributes=True)
