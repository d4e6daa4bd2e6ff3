"""Service accounts and availability incidents in the browser (viewers read, admins edit)."""

from __future__ import annotations

from datetime import datetime
from functools import partial
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, File, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from cxgap import audit
from cxgap.db.tables import Workspace
from cxgap.errors import FieldProblem, ValidationError
from cxgap.services import availability_incidents as incidents
from cxgap.services import service_accounts, service_levels
from cxgap.services.accounts import Principal, Role
from cxgap.sla.menu_terms import tier_label
from cxgap.web import service_level_forms as forms
from cxgap.web.audit_hooks import note_deletion
from cxgap.web.deps import CsrfDep, SessionDep, UserDep, open_workspace
from cxgap.web.render import locale_of, page

router = APIRouter()
BASE = "/w/{key}/service-levels"
MAX_CSV = 2 * 1024 * 1024


async def _form(request: Request) -> dict[str, str]:
    form = await request.form()
    return {name: value for name, value in form.multi_items() if isinstance(value, str)}


def _page(
    request: Request,
    session: SessionDep,
    user: Principal,
    workspace: Workspace,
    role: Role,
    template: str,
    values: dict[str, str] | None = None,
    problems: list[FieldProblem] | None = None,
) -> Response:
    levels = service_levels.load_service_levels(session, workspace=workspace)
    fields = {"key", "name", "tier", "contact", "start", "end", "accounts", "note", "file"}
    errors = forms.errors_by_field(problems or [], fields, locale_of(request))
    tiers = [(str(t["name"]), tier_label(t, locale_of(request))) for t in levels.document["tiers"]]
    return page(
        request,
        template,
        {
            "user": user,
            "workspace": workspace,
            "role": role,
            "can_edit": role == Role.ADMIN,
            "levels": levels,
            "tiers": tiers,
            "accounts": service_accounts.list_accounts(session, workspace=workspace),
            "incidents": incidents.list_incidents(session, workspace=workspace),
            "values": values or {},
            "errors": errors,
            "row_errors": _row_errors(problems or [], locale_of(request)),
            "local": partial(_local, ZoneInfo(str(levels.document["calendar"]["timezone"]))),
            "conflict": False,
            "saved": request.query_params.get("saved"),
        },
        status_code=422 if problems else 200,
    )


def _local(zone: ZoneInfo, instant: datetime) -> str:
    """An incident's instant in the calendar's time zone, as the form takes it."""
    return instant.astimezone(zone).strftime("%Y-%m-%d %H:%M")


def _row_errors(problems: list[FieldProblem], locale: str) -> list[str]:
    """The problems of an imported file, each with its row and column."""
    return [
        f"{problem.row} · {problem.field} · {forms.problem_text(problem, locale)}"
        for problem in problems
        if problem.row is not None
    ]


@router.get(BASE + "/accounts", response_class=HTMLResponse)
def accounts_page(request: Request, key: str, session: SessionDep, user: UserDep) -> Response:
    workspace, role = open_workspace(session, user, key, Role.VIEWER)
    return _page(request, session, user, workspace, role, "service_accounts.html")


@router.post(BASE + "/accounts", response_class=HTMLResponse)
async def account_save(
    request: Request, key: str, session: SessionDep, user: UserDep, _csrf: CsrfDep
) -> Response:
    workspace, role = open_workspace(session, user, key, Role.ADMIN)
    form = await _form(request)
    try:
        with session.begin_nested():
            service_accounts.save_account(
                session,
                workspace=workspace,
                key=form.get("key", ""),
                name=form.get("name", ""),
                tier=form.get("tier"),
                contact=form.get("contact"),
            )
    except ValidationError as exc:
        template = "service_accounts.html"
        return _page(request, session, user, workspace, role, template, form, exc.problems)
    return RedirectResponse(f"/w/{key}/service-levels/accounts?saved=1", status_code=303)


@router.post(BASE + "/accounts/{account_key}/delete", response_class=HTMLResponse)
def account_delete(
    request: Request,
    key: str,
    account_key: str,
    session: SessionDep,
    user: UserDep,
    _csrf: CsrfDep,
) -> Response:
    workspace, _ = open_workspace(session, user, key, Role.ADMIN)
    service_accounts.delete_account(session, workspace=workspace, key=account_key)
    note_deletion(request, session, user, workspace, audit.Target("service_account", account_key))
    return RedirectResponse(f"/w/{key}/service-levels/accounts?saved=1", status_code=303)


@router.get(BASE + "/incidents", response_class=HTMLResponse)
def incidents_page(request: Request, key: str, session: SessionDep, user: UserDep) -> Response:
    workspace, role = open_workspace(session, user, key, Role.VIEWER)
    return _page(request, session, user, workspace, role, "service_incidents.html")


@router.post(BASE + "/incidents", response_class=HTMLResponse)
async def incident_add(
    request: Request, key: str, session: SessionDep, user: UserDep, _csrf: CsrfDep
) -> Response:
    workspace, role = open_workspace(session, user, key, Role.ADMIN)
    form = await _form(request)
    item = incidents.IncidentInput(
        form.get("start", ""), form.get("end", ""), form.get("accounts", ""), form.get("note", "")
    )
    try:
        with session.begin_nested():
            incidents.add_incident(session, workspace=workspace, item=item)
    except ValidationError as exc:
        template = "service_incidents.html"
        return _page(request, session, user, workspace, role, template, form, exc.problems)
    return RedirectResponse(f"/w/{key}/service-levels/incidents?saved=1", status_code=303)


@router.post(BASE + "/incidents/import", response_class=HTMLResponse)
async def incidents_import(
    request: Request,
    key: str,
    session: SessionDep,
    user: UserDep,
    _csrf: CsrfDep,
    file: Annotated[UploadFile, File()],
) -> Response:
    workspace, role = open_workspace(session, user, key, Role.ADMIN)
    data = await file.read(MAX_CSV + 1)
    try:
        if len(data) > MAX_CSV:
            raise service_levels.refuse("file", "too_long", f"{len(data)} bytes", limit="2 MiB")
        with session.begin_nested():
            count = incidents.import_incidents_csv(session, workspace=workspace, data=data)
    except ValidationError as exc:
        problems: list[Any] = [p if p.row is not None else _at_file(p) for p in exc.problems]
        template = "service_incidents.html"
        return _page(request, session, user, workspace, role, template, None, problems)
    return RedirectResponse(f"/w/{key}/service-levels/incidents?saved={count}", status_code=303)


def _at_file(problem: FieldProblem) -> FieldProblem:
    return FieldProblem(
        "file",
        problem.message,
        problem.value,
        None,
        problem.source,
        problem.code,
        {**problem.params, "path": problem.field},
    )


@router.post(BASE + "/incidents/{incident_id}/delete", response_class=HTMLResponse)
def incident_delete(
    request: Request,
    key: str,
    incident_id: int,
    session: SessionDep,
    user: UserDep,
    _csrf: CsrfDep,
) -> Response:
    workspace, _ = open_workspace(session, user, key, Role.ADMIN)
    incidents.delete_incident(session, workspace=workspace, incident_id=incident_id)
    target = audit.Target("availability_incident", incident_id)
    note_deletion(request, session, user, workspace, target)
    return RedirectResponse(f"/w/{key}/service-levels/incidents?saved=1", status_code=303)
