"""The three gaps page and the executive report page: generate the report now (as a job,
downloaded when done) and its monthly schedule."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response

from cxgap import jobs
from cxgap.db.tables import Workspace
from cxgap.errors import NotFoundError
from cxgap.reporting.executive_period import parse_period
from cxgap.reporting.executive_view import action_text
from cxgap.services.accounts import Role
from cxgap.services.action_outcomes import workspace_action_gaps
from cxgap.services.executive_output import FORMATS, LOCALES, check_choice
from cxgap.services.flagged import resolve
from cxgap.services.gap_trends import gaps_view
from cxgap.services.report_schedules import members_of, save_schedule, schedule_of
from cxgap.services.subject_gaps import workspace_subject_gaps
from cxgap.services.taxonomy import list_topics
from cxgap.web.audit_hooks import note_export
from cxgap.web.deps import CsrfDep, SessionDep, SettingsDep, UserDep, open_workspace
from cxgap.web.flagged_notice import flagged_notice
from cxgap.web.render import locale_of, page

router = APIRouter(prefix="/w/{key}")
JOBS_SHOWN = 10


@router.get("/gaps", response_class=HTMLResponse)
def gaps_page(
    request: Request,
    key: str,
    session: SessionDep,
    user: UserDep,
    flagged: Annotated[str | None, Query(pattern="^(include|exclude)$")] = None,
) -> Response:
    """Knowledge, desire and action gaps side by side per pillar, with their trend since the
    last campaign; with or without the flagged answers (the workspace's choice)."""
    workspace, role = open_workspace(session, user, key, Role.VIEWER)
    mode = resolve(session, workspace, flagged)
    action_gaps = workspace_action_gaps(session, workspace)
    view = gaps_view(session, workspace, action_gaps=action_gaps, flagged=mode)
    topics = {t.key: t for t in list_topics(session, workspace)}
    context = {
        "workspace": workspace, "role": role, "user": user, "view": view,
        "action_text": action_text, "can_plan": role in (Role.ANALYST, Role.ADMIN),
        "irritants": [(g, topics.get(g.subject)) for g in action_gaps if g.kind == "topic"],
        "others": workspace_subject_gaps(session, workspace),
        "flagged_notice": flagged_notice(
            session, workspace, role=role, mode=mode, here=f"/w/{key}/gaps",
                locale=locale_of(request),
        ),
    }  # fmt: skip
    return page(request, "gaps.html", context)


def _report_jobs(session: SessionDep, workspace: Workspace) -> list[jobs.JobRow]:
    return jobs.job_rows(
        session, workspace_id=workspace.id, kinds=[jobs.EXECUTIVE_REPORT], limit=JOBS_SHOWN
    )


@router.get("/reports/executive", response_class=HTMLResponse)
def executive_page(request: Request, key: str, session: SessionDep, user: UserDep) -> Response:
    """Generate the report now, follow the jobs, download the files; the monthly schedule."""
    workspace, role = open_workspace(session, user, key, Role.VIEWER)
    context = {
        "workspace": workspace,
        "role": role,
        "user": user,
        "jobs": _report_jobs(session, workspace),
        "default_period": parse_period(None).label,
        "formats": tuple(FORMATS),
        "schedule": schedule_of(session, workspace),
        "members": members_of(session, workspace),
    }
    return page(request, "executive_report.html", context)


@router.post("/reports/executive/generate")
def generate_executive(
    request: Request,
    key: str,
    session: SessionDep,
    user: UserDep,
    _csrf: CsrfDep,
    period: Annotated[str, Form()] = "",
    lang: Annotated[str, Form()] = "",
    format: Annotated[str, Form()] = "pdf",
    paper: Annotated[str, Form()] = "",
) -> Response:
    """Queue the report (checked first: a bad period is refused here, not in the job)."""
    workspace, _ = open_workspace(session, user, key, Role.VIEWER)
    locale = check_choice("lang", lang or locale_of(request), LOCALES)
    fmt = check_choice("format", format, tuple(FORMATS))
    chosen = parse_period(period or None)
    jobs.submit(
        session,
        jobs.EXECUTIVE_REPORT,
        workspace_id=workspace.id,
        payload=jobs.executive_payload(
            period=chosen.label, locale=locale, fmt=fmt, paper=paper or None
        ),
        requested_by_id=user.user_id,
    )
    return RedirectResponse(f"/w/{workspace.key}/reports/executive", status_code=303)


@router.get("/reports/executive/jobs/{job_id}")
def download_executive(
    request: Request,
    key: str,
    job_id: int,
    session: SessionDep,
    user: UserDep,
    settings: SettingsDep,
) -> Response:
    """The file of a done executive report job of this workspace (404 for any other job)."""
    workspace, _ = open_workspace(session, user, key, Role.VIEWER)
    row = jobs.job_row(session, job_id, workspace_id=workspace.id)
    result = row.progress.result if row is not None else None
    if row is None or row.progress.kind != jobs.EXECUTIVE_REPORT or result is None:
        raise NotFoundError(f"No executive report {job_id} in workspace {workspace.key!r}")
    path = jobs.report_file(settings.data_dir, dict(result))
    fmt = str(result.get("format", "pdf"))
    note_export(request, session, user, workspace, what="executive_report", fmt=fmt, job=job_id)
    return FileResponse(
        path,
        media_type=str(result.get("media_type") or FORMATS.get(fmt, "application/octet-stream")),
        filename=str(result.get("file_name") or path.name),
    )


@router.post("/reports/executive/schedule")
def save_executive_schedule(
    request: Request,
    key: str,
    session: SessionDep,
    user: UserDep,
    _csrf: CsrfDep,
    enabled: Annotated[bool, Form()] = False,
    lang: Annotated[str, Form()] = "en",
    paper: Annotated[str, Form()] = "",
    recipients: Annotated[list[int] | None, Form()] = None,
) -> Response:
    """The monthly schedule (admins): on or off, language, paper, recipients among members."""
    workspace, _ = open_workspace(session, user, key, Role.ADMIN)
    save_schedule(
        session,
        workspace,
        enabled=enabled,
        locale=lang,
        paper=paper,
        recipient_ids=recipients or [],
    )
    return RedirectResponse(f"/w/{workspace.key}/reports/executive", status_code=303)
