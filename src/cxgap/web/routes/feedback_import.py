"""Import feedback files in the browser: upload, map the columns, run, read the report.

1. ``POST /w/{key}/import/feedback``: the file streams to the data dir; its preset is chosen
   or detected from its header layout.
2. ``/w/{key}/import/feedback/{token}``: the mapping step (each column, sample values, the
   record field it feeds), checked on the first rows; the mapping downloads as a mapping
   file for ``cxgap import feedback --mapping``, or an existing one is uploaded.
3. Run: an ``import`` job (``cxgap.jobs``) imports the file in whichever worker takes it;
   the page polls the job row every second (any web process can answer; or it is refreshed
   by hand without JavaScript), then shows the import's report.
"""

from __future__ import annotations

import json
import time
from typing import Annotated, Any, BinaryIO

from fastapi import APIRouter, File, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData

from cxgap.db.tables import Workspace
from cxgap.errors import NotFoundError, ValidationError
from cxgap.files import open_private
from cxgap.ingest import PRESETS
from cxgap.jobs import IMPORT, get_job, import_payload, job_progress, submit
from cxgap.services import feedback_imports, feedback_uploads
from cxgap.services.accounts import Principal, Role
from cxgap.services.core import Cxgap
from cxgap.services.feedback_uploads import DETECT, MappingStep, StagedUpload
from cxgap.web.audit_hooks import note_export
from cxgap.web.deps import CsrfDep, CxDep, SessionDep, UserDep, current_user, open_workspace
from cxgap.web.form_stream import stream_form
from cxgap.web.import_job_view import ImportJobView, import_view
from cxgap.web.import_problems import PAGE_SIZE, problem_rows, problems_csv
from cxgap.web.mapping_form import (
    ENCODINGS,
    choices_of,
    delimiter_of,
    mapping_context,
    mode_of,
    read_mapping_form,
    separator_of,
    text_of,
)
from cxgap.web.render import locale_of, page
from cxgap.web.security import check_csrf

router = APIRouter(prefix="/w/{key}/import/feedback")


def _base(request: Request, user: Principal, workspace: Workspace, role: Role) -> dict[str, Any]:
    return {"user": user, "workspace": workspace, "role": role}


@router.get("", response_class=HTMLResponse)
def upload_form(request: Request, key: str, session: SessionDep, user: UserDep) -> Response:
    workspace, role = open_workspace(session, user, key, Role.ANALYST)
    history = list(reversed(feedback_imports.list_imports(session, workspace)))
    cx = request.app.state.cx
    return page(
        request,
        "feedback_import.html",
        _base(request, user, workspace, role)
        | {
            "presets": [DETECT, *PRESETS],
            "history": history,
            "max_bytes": cx.settings.max_upload_bytes,
        },
    )


@router.post("")
async def upload(request: Request, key: str, cx: CxDep) -> Response:
    """Stream the file to disk, check it can be read, then go to the mapping step."""
    with cx.transaction() as session:  # closed before the (long) upload is read
        user = current_user(request, session)
        open_workspace(session, user, key, Role.ANALYST)
    staged: list[StagedUpload] = []
    handles: list[BinaryIO] = []

    def open_target(file_name: str) -> BinaryIO:
        item = feedback_uploads.new_upload(
            cx.settings, workspace_key=key, user_id=user.user_id, file_name=file_name
        )
        staged.append(item)
        handles.append(open_private(item.path))  # 0600: it holds personal data
        return handles[-1]

    try:
        limit = cx.settings.max_upload_bytes
        form = await stream_form(request, file_field="file", open_target=open_target, limit=limit)
        for handle in handles:
            handle.close()
        check_csrf(request, form.fields.get("csrf_token"))
    except BaseException:  # too large, cut short, forged: nothing stays on disk
        for handle in handles:
            handle.close()
        for item in staged:
            feedback_uploads.remove_upload(item)
        raise
    item = staged[0]
    item.size = form.size
    preset = form.fields.get("preset") or DETECT
    await run_in_threadpool(feedback_uploads.accept_upload, item, preset)
    return RedirectResponse(f"/w/{key}/import/feedback/{item.token}", status_code=303)


@router.get("/imports/{import_id}.json")
def report_json(key: str, import_id: int, session: SessionDep, user: UserDep) -> dict[str, Any]:
    """The import's history row and stored report, as JSON."""
    workspace, _ = open_workspace(session, user, key, Role.ANALYST)
    row = feedback_imports.get_import(session, workspace, import_id)
    return {
        "id": row.id,
        "file_name": row.file_name,
        "preset": row.preset,
        "mode": row.mode,
        "status": row.status,
        "rows_read": row.rows_read,
        "records_stored": row.records_stored,
        "created_at": row.created_at.isoformat(),
        "report": row.report,
    }


@router.get("/imports/{import_id}", response_class=HTMLResponse)
def report(
    request: Request,
    key: str,
    import_id: int,
    session: SessionDep,
    user: UserDep,
    upload: str | None = None,
) -> Response:
    workspace, role = open_workspace(session, user, key, Role.ANALYST)
    row = feedback_imports.get_import(session, workspace, import_id)
    data = dict(row.report or {})
    requested = request.query_params.get("page", "1")
    number = max(1, int(requested) if requested.isdigit() else 1)
    rows = problem_rows(data, locale_of(request))
    pages = max(1, -(-len(rows) // PAGE_SIZE))
    number = min(number, pages)
    retry = _retry_link(request, key, upload) if row.status == "refused" else None
    return page(
        request,
        "feedback_import_report.html",
        _base(request, user, workspace, role)
        | {
            "item": row,
            "data": data,
            "problems": rows[(number - 1) * PAGE_SIZE : number * PAGE_SIZE],
            "problem_count": len(rows),
            "page_number": number,
            "pages": pages,
            "retry": retry,
        },
    )


def _retry_link(request: Request, key: str, token: str | None) -> str | None:
    if not token:
        return None
    try:
        item = feedback_uploads.load_upload(request.app.state.cx.settings, token, workspace_key=key)
    except NotFoundError:  # expired or unknown: no link
        return None
    return f"/w/{key}/import/feedback/{item.token}?edit=1" if item.path.exists() else None


@router.get("/imports/{import_id}/problems.csv")
def report_csv(
    request: Request, key: str, import_id: int, session: SessionDep, user: UserDep
) -> Response:
    workspace, _ = open_workspace(session, user, key, Role.ANALYST)
    row = feedback_imports.get_import(session, workspace, import_id)
    body = problems_csv(dict(row.report or {}), locale_of(request))
    note_export(request, session, user, workspace, what=f"import:{import_id}:problems", fmt="csv")
    return Response(
        body.encode("utf-8"),  # the text starts with its byte order mark
        media_type="text/csv; charset=utf-8",
        headers={"content-disposition": f'attachment; filename="import-{import_id}-problems.csv"'},
    )


@router.get("/{token}", response_class=HTMLResponse)
def upload_page(
    request: Request, key: str, token: str, session: SessionDep, user: UserDep
) -> Response:
    workspace, role = open_workspace(session, user, key, Role.ANALYST)
    item = feedback_uploads.load_upload(request.app.state.cx.settings, token, workspace_key=key)
    job = _job_of(session, item)
    state = job.state if job is not None else None
    editing = "edit" in request.query_params
    base = _base(request, user, workspace, role)
    if job is not None and state in ("running", "failed"):
        return _progress_page(request, base, item, job, state)
    if job is None and item.running_since is not None and not editing:
        # Started by another web process, or interrupted by a restart: say both.
        return _progress_page(request, base, item, None, None)
    if job is not None and state == "refused" and not editing:
        return RedirectResponse(_report_url(key, job, token), 303)
    if not item.path.exists() and item.import_id is not None:
        return RedirectResponse(f"/w/{key}/import/feedback/imports/{item.import_id}", 303)
    if not item.path.exists():
        return RedirectResponse(f"/w/{key}/import/feedback", 303)
    preview, unreadable = feedback_uploads.preview_upload(item)
    step = feedback_uploads.mapping_step(item, preview, unreadable=unreadable)
    context = base | {"item": item, "step": step}
    if item.import_id is not None:  # the file is still here: its last import was refused
        context["refused_url"] = f"/w/{key}/import/feedback/imports/{item.import_id}?upload={token}"
    return page(request, "feedback_import_mapping.html", mapping_context(request, context, step))


@router.post("/{token}")
async def mapping_submit(request: Request, key: str, token: str, cx: CxDep) -> Response:
    """Check the mapping, download it as a mapping file, or run the import."""
    form = await read_mapping_form(request)
    check_csrf(request, text_of(form, "csrf_token"))
    # Reading the file is blocking work: out of the event loop.
    return await run_in_threadpool(_mapping_submit, request, key, token, cx, form)


def _mapping_submit(request: Request, key: str, token: str, cx: Cxgap, form: FormData) -> Response:
    with cx.transaction() as session:
        user = current_user(request, session)
        workspace, role = open_workspace(session, user, key, Role.ANALYST)
    item = feedback_uploads.load_upload(cx.settings, token, workspace_key=key)
    if not item.path.exists():
        return RedirectResponse(f"/w/{key}/import/feedback/{token}", 303)
    encoding = text_of(form, "encoding")
    if encoding not in ENCODINGS:
        raise ValidationError.single("encoding", f"must be one of {', '.join(ENCODINGS)}", encoding)
    delimiter = delimiter_of(form)
    preview, unreadable = feedback_uploads.preview_upload(item, encoding or None, delimiter or None)
    # Another separator gives other columns: their choices start again from the preset.
    resplit = delimiter != separator_of(text_of(form, "shown_delimiter"))
    choices = None if resplit else choices_of(form, preview, encoding, delimiter)
    mode = mode_of(form)
    pseudonymise = text_of(form, "pseudonymise") == "true"
    key_ = cx.settings.resolved_secret_key() if pseudonymise else None
    step = feedback_uploads.mapping_step(
        item,
        preview,
        choices,
        unreadable=unreadable,
        pseudonym_key=key_,
        read=(encoding, delimiter),
    )
    action = text_of(form, "action")
    if action == "download":
        return _mapping_download(item, step)
    if action == "run" and step.spec is not None:
        _queue_import(cx, item, workspace, user, step.document, mode, pseudonymise)
        return RedirectResponse(f"/w/{key}/import/feedback/{token}", 303)
    context = _base(request, user, workspace, role) | {"item": item, "step": step}
    if action == "run":  # refused before it started: the problems say why
        context["run_refused"] = True
    status = 422 if step.problems else 200
    return page(
        request,
        "feedback_import_mapping.html",
        mapping_context(request, context, step, mode=mode, pseudonymise=pseudonymise),
        status_code=status,
    )


def _queue_import(
    cx: Cxgap,
    item: StagedUpload,
    workspace: Workspace,
    user: Principal,
    mapping: dict[str, object],
    mode: str,
    pseudonymise: bool,
) -> None:
    """Queue the import job, unless one for this upload is already waiting or running."""
    with cx.transaction() as session:
        if item.job_id is not None:
            current = get_job(session, item.job_id)
            if current is not None and current.status in ("queued", "running"):
                return
        job = submit(
            session,
            IMPORT,
            workspace_id=workspace.id,
            payload=import_payload(item, mapping=mapping, mode=mode, pseudonymise=pseudonymise),
            exclusive=f"{IMPORT}:{workspace.id}",
            requested_by_id=user.user_id,
            max_attempts=2,
        )
        item.job_id, item.running_since = job.id, time.time()
    item.save()


def _job_of(session: Session, item: StagedUpload) -> ImportJobView | None:
    """The upload's import job as the pages show it (None: never run from the browser)."""
    if item.job_id is None:
        return None
    job = get_job(session, item.job_id)
    return None if job is None else import_view(job_progress(job))


def _mapping_download(item: StagedUpload, step: MappingStep) -> Response:
    stem = item.file_name.rsplit(".", 1)[0] or "feedback"
    safe = "".join(c if c.isalnum() or c in "-_" else "_" for c in stem)[:60]
    body = json.dumps(step.document, ensure_ascii=False, indent=2) + "\n"
    return Response(
        body.encode("utf-8"),
        media_type="application/json",
        headers={"content-disposition": f'attachment; filename="{safe}.mapping.json"'},
    )


@router.post("/{token}/mapping-file")
async def mapping_file(
    request: Request,
    key: str,
    token: str,
    cx: CxDep,
    user: UserDep,
    _csrf: CsrfDep,
    file: Annotated[UploadFile, File()],
) -> Response:
    """Use an existing mapping file (the JSON the CLI reads) for this upload."""
    with cx.transaction() as session:
        open_workspace(session, user, key, Role.ANALYST)
    item = feedback_uploads.load_upload(cx.settings, token, workspace_key=key)
    data = await file.read(feedback_uploads.MAX_MAPPING_BYTES + 1)
    feedback_uploads.attach_mapping(item, data, name=file.filename or "mapping.json")
    return RedirectResponse(f"/w/{key}/import/feedback/{token}", 303)


@router.post("/{token}/discard")
def discard(
    request: Request, key: str, token: str, session: SessionDep, user: UserDep, _csrf: CsrfDep
) -> Response:
    """Forget an upload that will not be imported."""
    open_workspace(session, user, key, Role.ANALYST)
    item = feedback_uploads.load_upload(request.app.state.cx.settings, token, workspace_key=key)
    job = _job_of(session, item)
    if job is None or job.state != "running":
        feedback_uploads.remove_upload(item)
    return RedirectResponse(f"/w/{key}/import/feedback", 303)


@router.get("/{token}/progress", response_class=HTMLResponse)
def progress(
    request: Request, key: str, token: str, session: SessionDep, user: UserDep
) -> Response:
    """The progress fragment htmx polls; once the import is over, the way to its report."""
    workspace, role = open_workspace(session, user, key, Role.ANALYST)
    item = feedback_uploads.load_upload(request.app.state.cx.settings, token, workspace_key=key)
    job = _job_of(session, item)
    state = job.state if job is not None else None
    if job is not None and state in ("done", "refused"):
        target = _report_url(key, job, token)
        return Response(status_code=204, headers={"HX-Redirect": target})
    context = _base(request, user, workspace, role) | {"item": item, "job": job, "state": state}
    return page(request, "feedback_import_progress_part.html", context)


def _report_url(key: str, job: ImportJobView, token: str) -> str:
    url = f"/w/{key}/import/feedback/imports/{job.import_id}"
    return url + (f"?upload={token}" if job.state == "refused" else "")


def _progress_page(
    request: Request,
    context: dict[str, Any],
    item: StagedUpload,
    job: ImportJobView | None,
    state: str | None,
) -> Response:
    context = context | {"item": item, "job": job, "state": state}
    return page(request, "feedback_import_progress.html", context)
