"""Import touchpoint events in the browser: upload a file, read back how it was read (the
columns found, the first events), and map its activities onto the journeys' touchpoints.

- ``GET /w/{key}/events/import``: the upload form (preset, date order, keep references),
  the last import's columns and first events, the activity → touchpoint form with a
  suggestion by name for each activity, and the import history;
- ``POST /w/{key}/events/import``: the file is staged in the data dir and an
  ``event_import`` job queued (``cxgap.jobs``), all or nothing (``cxgap.events.importing``);
  the page (``?job=<id>``) then follows the job row: its progress (the fragment
  ``GET /w/{key}/events/import/jobs/{id}`` polled every second, answered by any web process),
  then what was stored, or the refusal, each problem naming the file, row, column and value
  in the reader's language;
- ``POST /w/{key}/events/mapping``: the analyst's mapping, stored and applied to the events.

Every route needs the analyst role in the workspace; the POSTs check the CSRF token.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from cxgap.db.event_reads import event_imports
from cxgap.db.event_writes import set_activity_mapping
from cxgap.db.tables import Workspace
from cxgap.errors import NotFoundError, PayloadTooLargeError, ValidationError
from cxgap.events.spec import PRESET_NAMES
from cxgap.jobs import (
    EVENT_IMPORT,
    event_import_payload,
    get_job,
    job_progress,
    queue_warm_pages,
    submit,
)
from cxgap.services.accounts import Principal, Role
from cxgap.services.core import Cxgap
from cxgap.services.event_imports import activity_rows, import_preview, workspace_touchpoints
from cxgap.services.event_uploads import stage_event_file
from cxgap.web.deps import CsrfDep, CxDep, SessionDep, UserDep, open_workspace
from cxgap.web.event_job_view import EventJobView, event_job_view
from cxgap.web.render import locale_of, page

router = APIRouter(prefix="/w/{key}/events")
DETECT = "detect"
DATE_ORDERS = ("", "dmy", "mdy")
ACCEPT = ".csv,.tsv,.txt,.xlsx,.json,.jsonl,.ndjson,.xes,.gz"


def _context(
    request: Request,
    session: Session,
    user: Principal,
    workspace: Workspace,
    role: Role,
    shown: int | None = None,
) -> dict[str, Any]:
    locale = locale_of(request)
    touchpoints = workspace_touchpoints(session, workspace, locale)
    history = event_imports(session, workspace.id)
    current = next((row for row in history if row.id == shown), history[0] if history else None)
    return {
        "user": user,
        "workspace": workspace,
        "role": role,
        "presets": [DETECT, *PRESET_NAMES],
        "date_orders": DATE_ORDERS,
        "accept": ACCEPT,
        "history": history[:20],
        "current": current,
        "preview": import_preview(session, current.id) if current else [],
        "touchpoints": touchpoints,
        "activities": activity_rows(session, workspace, touchpoints),
        "just_imported": shown is not None,
    }


@router.get("/import", response_class=HTMLResponse)
def import_page(
    request: Request,
    key: str,
    session: SessionDep,
    user: UserDep,
    done: int | None = None,
    job: int | None = None,
) -> Response:
    workspace, role = open_workspace(session, user, key, Role.ANALYST)
    view = _job_view(request, session, workspace, job) if job is not None else None
    if view is not None and view.state == "done":
        done = view.import_id
    context = _context(request, session, user, workspace, role, done)
    if view is not None:
        context |= {"job": view, "refusal": view.refusal, "live": _live(session)}
    return page(request, "events_import.html", context)


@router.get("/import/jobs/{job_id}", response_class=HTMLResponse)
def import_progress(
    request: Request, key: str, job_id: int, session: SessionDep, user: UserDep
) -> Response:
    """The progress fragment htmx polls; once the job is over, the page with its outcome."""
    workspace, role = open_workspace(session, user, key, Role.ANALYST)
    view = _job_view(request, session, workspace, job_id)
    if view.state != "running":
        target = f"/w/{key}/events/import?job={job_id}"
        return Response(status_code=204, headers={"HX-Redirect": target})
    context = {"user": user, "workspace": workspace, "role": role, "job": view}
    context["live"] = _live(session)
    return page(request, "_events_import_progress.html", context)


def _job_view(
    request: Request, session: Session, workspace: Workspace, job_id: int
) -> EventJobView:
    row = get_job(session, job_id)
    if row is None or row.workspace_id != workspace.id or row.kind != EVENT_IMPORT:
        raise NotFoundError(f"No event import job {job_id} in this workspace")
    name = str((row.payload or {}).get("file_name") or "")
    return event_job_view(job_progress(row), name, locale_of(request))


def _live(session: Session) -> bool:
    """Whether the job row shows the share read while the import runs (not on SQLite,
    whose one writer is the import until it commits)."""
    return session.get_bind().dialect.name != "sqlite"


def _queue(cx: Cxgap, user: Principal, key: str, payload: dict[str, object]) -> int:
    """Queue the import job; its id."""
    with cx.transaction() as session:
        workspace, _ = open_workspace(session, user, key, Role.ANALYST)
        job = submit(
            session,
            EVENT_IMPORT,
            workspace_id=workspace.id,
            payload=payload,
            exclusive=f"{EVENT_IMPORT}:{workspace.id}",
            requested_by_id=user.user_id,
            max_attempts=2,
        )
        return job.id


@router.post("/import", response_class=HTMLResponse)
async def upload(
    request: Request,
    key: str,
    cx: CxDep,
    user: UserDep,
    _csrf: CsrfDep,
    file: Annotated[UploadFile, File()],
    preset: Annotated[str, Form()] = DETECT,
    date_order: Annotated[str, Form()] = "",
    keep_customer_ref: Annotated[bool, Form()] = False,
) -> Response:
    with cx.reading() as session:
        open_workspace(session, user, key, Role.ANALYST)  # before reading the file
    limit = cx.settings.max_upload_bytes
    if file.size is not None and file.size > limit:
        raise PayloadTooLargeError(
            f"{file.filename} is larger than the {limit // 1_000_000} MB limit"
        )
    if preset not in (DETECT, *PRESET_NAMES):
        raise ValidationError.single("preset", f"must be one of {', '.join(PRESET_NAMES)}", preset)
    if date_order not in DATE_ORDERS:
        raise ValidationError.single("date_order", "must be dmy or mdy", date_order)
    name = file.filename or "events.csv"
    stored = await run_in_threadpool(stage_event_file, cx.settings, file.file, name)
    payload = event_import_payload(
        stored=stored,
        file_name=name,
        preset=None if preset == DETECT else preset,
        date_order=date_order or None,
        pseudonymise=not keep_customer_ref,
    )
    job_id = await run_in_threadpool(_queue, cx, user, key, payload)
    return RedirectResponse(f"/w/{key}/events/import?job={job_id}", status_code=303)


@router.post("/mapping")
async def save_mapping(
    request: Request, key: str, session: SessionDep, user: UserDep, _csrf: CsrfDep
) -> Response:
    """Store the analyst's touchpoint for each activity of the form (blank: none)."""
    workspace, _ = open_workspace(session, user, key, Role.ANALYST)
    form = await request.form()
    activities = [str(v) for v in form.getlist("activity")]
    chosen = [str(v) for v in form.getlist("touchpoint")]
    if len(activities) != len(chosen):
        raise ValidationError.single("touchpoint", "one touchpoint per activity", len(chosen))
    known = {tp.key for tp in workspace_touchpoints(session, workspace, locale_of(request))}
    mapping: dict[str, str | None] = {}
    for activity, touchpoint in zip(activities, chosen, strict=True):
        if touchpoint and touchpoint not in known:
            raise ValidationError.single(
                activity, "is not a touchpoint of the journeys", touchpoint
            )
        mapping[activity[:200]] = touchpoint or None
    set_activity_mapping(session, workspace.id, mapping)
    queue_warm_pages(session, workspace.id)  # the paths and retention pages, computed again
    return RedirectResponse(f"/w/{key}/events/import?saved=1#mapping", status_code=303)
