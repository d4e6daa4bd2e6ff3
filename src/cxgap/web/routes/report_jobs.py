"""The executive report prepared in the background: "prepare the report" queues a ``report``
job, the results page follows it, and a download route serves the file once it is done.

The direct download (``/w/{key}/report.html``) stays: the report of a workspace of a few
thousand answers renders in well under a second (docs/scale.md); the job is for workspaces
whose results take longer than a request should.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, RedirectResponse, Response

from cxgap import jobs
from cxgap.db.tables import Workspace
from cxgap.errors import NotFoundError
from cxgap.services.accounts import Role
from cxgap.web.audit_hooks import note_export
from cxgap.web.deps import CsrfDep, SessionDep, SettingsDep, UserDep, open_workspace
from cxgap.web.render import locale_of
from cxgap.web.routes.results import OptionsDep

router = APIRouter(prefix="/w/{key}")


def latest_report_job(session: SessionDep, workspace: Workspace, locale: str) -> jobs.JobRow | None:
    """The newest report job of the workspace in this language: its progress or its file."""
    for row in jobs.job_rows(session, workspace_id=workspace.id, kinds=[jobs.REPORT], limit=20):
        if row.payload.get("locale") == locale:
            return row
    return None


@router.post("/report/prepare")
def prepare_report(
    request: Request,
    key: str,
    session: SessionDep,
    user: UserDep,
    settings: SettingsDep,
    options: OptionsDep,
    _csrf: CsrfDep,
) -> Response:
    """Queue the report (the same options as the page); back to the results page."""
    workspace, _ = open_workspace(session, user, key, Role.VIEWER)
    locale = locale_of(request)
    method = str(request.url_for("method_page", key=key))
    jobs.submit(
        session,
        jobs.REPORT,
        workspace_id=workspace.id,
        payload=jobs.report_payload(
            locale=locale,
            min_group_size=options.min_group_size or settings.min_group_size,
            confidence=options.confidence,
            statistics_doc_url=f"{method}?lang={locale}",
        ),
        coalesce=True,
        requested_by_id=user.user_id,
    )
    query = f"min_group_size={options.min_group_size or settings.min_group_size}"
    query += f"&confidence={options.confidence}"
    return RedirectResponse(f"/w/{workspace.key}/results?{query}", status_code=303)


@router.get("/report/jobs/{job_id}")
def download_prepared_report(
    request: Request,
    key: str,
    job_id: int,
    session: SessionDep,
    user: UserDep,
    settings: SettingsDep,
) -> Response:
    """The file of a done report job of this workspace (404 for any other job)."""
    workspace, _ = open_workspace(session, user, key, Role.VIEWER)
    row = jobs.job_row(session, job_id, workspace_id=workspace.id)
    result = row.progress.result if row is not None else None
    if row is None or row.progress.kind != jobs.REPORT or result is None:
        raise NotFoundError(f"No prepared report {job_id} in workspace {workspace.key!r}")
    path = jobs.report_file(settings.data_dir, dict(result))
    note_export(request, session, user, workspace, what="report", fmt="html", job=job_id)
    return FileResponse(
        path,
        media_type="text/html; charset=utf-8",
        filename=str(result.get("file_name") or path.name),
    )
