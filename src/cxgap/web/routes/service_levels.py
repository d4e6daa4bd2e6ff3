"""The service levels in the browser: the calendar, the policies in order, the menu's tiers,
the publication of the public menu, and the whole document as JSON (export and import).

Viewers read every page; admins edit. Each section is a plain form whose fields are named by
their JSON path (``web/service_level_forms.py``); a refused save shows the problems next to
their fields, in the reader's language, and stores nothing.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, File, Request, UploadFile
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from cxgap.db.tables import Workspace
from cxgap.errors import ConflictError, FieldProblem, NotFoundError, ValidationError
from cxgap.services import service_levels
from cxgap.services.accounts import Principal, Role
from cxgap.sla.calendar import WEEKDAYS
from cxgap.sla.credits import Menu
from cxgap.sla.documents import read_menu
from cxgap.sla.menu_terms import (
    hours_sentences,
    next_holidays,
    priority_label,
    tier_label,
    tier_targets,
)
from cxgap.sla.reading import Reader
from cxgap.web import service_level_forms as forms
from cxgap.web.deps import CsrfDep, SessionDep, UserDep, open_workspace
from cxgap.web.render import locale_of, page

router = APIRouter()
SECTIONS = ("calendar", "policies", "tiers")
BASE = "/w/{key}/service-levels"


async def _form(request: Request) -> dict[str, str]:
    form = await request.form()
    return {name: value for name, value in form.multi_items() if isinstance(value, str)}


def _menu(document: dict[str, Any]) -> Menu | None:
    try:
        return read_menu(Reader(service_levels.SOURCE), document)
    except ValidationError:
        return None


def _context(
    user: Principal, workspace: Workspace, role: Role, levels: service_levels.ServiceLevels
) -> dict[str, Any]:
    return {
        "user": user,
        "workspace": workspace,
        "role": role,
        "can_edit": role == Role.ADMIN,
        "levels": levels,
        "tier_label": tier_label,
        "priority_label": priority_label,
    }


@router.get(BASE, response_class=HTMLResponse)
def overview(request: Request, key: str, session: SessionDep, user: UserDep) -> Response:
    workspace, role = open_workspace(session, user, key, Role.VIEWER)
    levels = service_levels.load_service_levels(session, workspace=workspace)
    return _overview(request, session, user, workspace, role, levels)


def _overview(
    request: Request,
    session: SessionDep,
    user: Principal,
    workspace: Workspace,
    role: Role,
    levels: service_levels.ServiceLevels,
    problems: list[FieldProblem] | None = None,
    slug: str | None = None,
) -> Response:
    locale = locale_of(request)
    errors = forms.errors_by_field(problems or [], {"public_slug", "file"}, locale)
    return page(
        request,
        "service_levels.html",
        {
            **_context(user, workspace, role, levels),
            "history": service_levels.history(session, workspace=workspace),
            "errors": errors,
            "slug": levels.public_slug or workspace.key if slug is None else slug,
            "saved": request.query_params.get("saved"),
        },
        status_code=422 if problems else 200,
    )


def _values(section: str, document: dict[str, Any]) -> dict[str, str]:
    if section == "calendar":
        return forms.calendar_values(document["calendar"])
    if section == "policies":
        return forms.policies_values(document)
    if section == "tiers":
        return forms.tiers_values(document)
    _check_section(section)
    return {}


def _check_section(section: str) -> None:
    if section not in SECTIONS:
        raise NotFoundError(f"no section {section!r} of the service levels")


def _section(
    request: Request,
    user: Principal,
    workspace: Workspace,
    role: Role,
    levels: service_levels.ServiceLevels,
    section: str,
    values: dict[str, str],
    problems: list[FieldProblem] | None = None,
    conflict: bool = False,
) -> Response:
    locale = locale_of(request)
    menu = _menu(levels.document)
    extra: dict[str, Any] = {}
    if menu is not None and section == "calendar":
        extra["hours"] = hours_sentences(menu.policies.calendar, locale)
        extra["holidays"] = next_holidays(menu.policies.calendar, date.today(), locale)
    if menu is not None and section == "tiers":
        priorities = levels.document.get("priorities") or []
        extra["targets"] = {
            t.name: tier_targets(menu.policies, t.name, priorities) for t in menu.tiers
        }
        extra["tier_hours"] = {
            t.name: hours_sentences(t.calendar or menu.policies.calendar, locale)
            for t in menu.tiers
        }
    fields = set(values) | {k for k in values if "." in k}
    errors = forms.errors_by_field(problems or [], fields | _posted_fields(section, values), locale)
    return page(
        request,
        f"service_levels_{section}.html",
        {
            **_context(user, workspace, role, levels),
            "section": section,
            "values": values,
            "rows": forms.row_indexes(values, section) if section != "calendar" else [],
            "rule_rows": range(forms.RULE_ROWS),
            "metrics": ("first_response", "next_response", "resolution"),
            "match_keys": forms.MATCH_KEYS,
            "errors": errors,
            "conflict": conflict,
            "saved": request.query_params.get("saved"),
            **extra,
        },
        status_code=409 if conflict else 422 if problems else 200,
    )


def _posted_fields(section: str, values: dict[str, str]) -> set[str]:
    """Every field the section's form shows, so a problem finds its own field."""
    fields = {"priorities"}
    for i in forms.row_indexes(values, section):
        at = f"{section}[{i}]"
        fields |= {f"{at}.name", f"{at}.fee", f"{at}.availability_target", f"{at}.cap_percent"}
        fields |= {f"{at}.{k}" for k in ("label_en", "label_fr", "currency", "pause_statuses")}
        fields |= {f"{at}.calendar"} | {f"{at}.calendar.hours.{d}" for d in WEEKDAYS}
        fields |= {f"{at}.match.{k}" for k in forms.MATCH_KEYS} | {f"{at}.match"}
        fields |= {f"{at}.targets.{m}" for m in ("first_response", "next_response", "resolution")}
        for rules in ("sla_credits", "availability_credits"):
            for j in range(forms.RULE_ROWS):
                fields |= {f"{at}.{rules}[{j}].below", f"{at}.{rules}[{j}].percent"}
    return fields


@router.post(BASE + "/publication", response_class=HTMLResponse)
async def publication(
    request: Request, key: str, session: SessionDep, user: UserDep, _csrf: CsrfDep
) -> Response:
    workspace, role = open_workspace(session, user, key, Role.ADMIN)
    form = await _form(request)
    slug, published = form.get("public_slug", ""), form.get("published") == "on"
    try:
        with session.begin_nested():
            service_levels.set_publication(
                session, workspace=workspace, published=published, slug=slug, user_id=user.user_id
            )
    except ValidationError as exc:
        levels = service_levels.load_service_levels(session, workspace=workspace)
        return _overview(request, session, user, workspace, role, levels, exc.problems, slug)
    return RedirectResponse(f"/w/{key}/service-levels?saved=publication", status_code=303)


@router.get(BASE + ".json")
def export_document(key: str, session: SessionDep, user: UserDep) -> Response:
    """The whole document with each tier's accounts: a MENU.json for ``cxgap credits``."""
    workspace, _ = open_workspace(session, user, key, Role.VIEWER)
    document = service_levels.full_document(session, workspace=workspace)
    disposition = f'attachment; filename="{workspace.key}-service-levels.json"'
    return JSONResponse(document, headers={"content-disposition": disposition})


@router.post(BASE + "/import", response_class=HTMLResponse)
async def import_document(
    request: Request,
    key: str,
    session: SessionDep,
    user: UserDep,
    _csrf: CsrfDep,
    file: Annotated[UploadFile, File()],
) -> Response:
    """Replace the whole document by a JSON file (the export's form, accounts included)."""
    workspace, role = open_workspace(session, user, key, Role.ADMIN)
    data = await file.read(2 * 1024 * 1024 + 1)
    try:
        document = _json(data)
        with session.begin_nested():
            service_levels.save_document(
                session, workspace=workspace, document=document, user_id=user.user_id
            )
    except ValidationError as exc:
        levels = service_levels.load_service_levels(session, workspace=workspace)
        problems = [_in_file(p) for p in exc.problems]
        return _overview(request, session, user, workspace, role, levels, problems)
    return RedirectResponse(f"/w/{key}/service-levels?saved=import", status_code=303)


def _json(data: bytes) -> object:
    if len(data) > 2 * 1024 * 1024:
        raise service_levels.refuse("file", "too_long", f"{len(data)} bytes", limit="2 MiB")
    try:
        return json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise service_levels.refuse("file", "json", None, error=str(exc)[:120]) from None


def _in_file(problem: FieldProblem) -> FieldProblem:
    """A problem of the imported document shown next to the file field, naming its path."""
    if problem.field == "file":
        return problem
    params = {**problem.params}
    return FieldProblem(
        "file",
        problem.message,
        problem.value,
        None,
        problem.source,
        problem.code,
        {**params, "path": problem.field},
    )


# Last: the sections' /{section} must not catch /publication or /import.
@router.post(BASE + "/{section}", response_class=HTMLResponse)
async def section_save(
    request: Request, key: str, section: str, session: SessionDep, user: UserDep, _csrf: CsrfDep
) -> Response:
    workspace, role = open_workspace(session, user, key, Role.ADMIN)
    _check_section(section)
    form = await _form(request)
    levels = service_levels.load_service_levels(session, workspace=workspace)
    document, rows, found = _edited(levels.document, section, form)
    if found:  # the form's own problems, already at the form's fields
        return _section(request, user, workspace, role, levels, section, form, found)
    try:
        with session.begin_nested():  # a refusal leaves nothing behind
            service_levels.save_document(
                session,
                workspace=workspace,
                document=document,
                user_id=user.user_id,
                expected_version=_version(form),
            )
    except ValidationError as exc:
        problems = forms.renumbered(exc.problems, section, rows)
        return _section(request, user, workspace, role, levels, section, form, problems)
    except ConflictError:
        return _section(request, user, workspace, role, levels, section, form, conflict=True)
    return RedirectResponse(f"/w/{key}/service-levels/{section}?saved=1", status_code=303)


def _version(form: dict[str, str]) -> int | None:
    try:
        return int(form.get("version", ""))
    except ValueError:
        return None


def _edited(
    document: dict[str, Any], section: str, form: dict[str, str]
) -> tuple[dict[str, Any], list[int], list[FieldProblem]]:
    """The document with the section replaced by the form, the form rows of its policies or
    tiers in their new order, and the problems found reading the form."""
    found = forms.FormProblems()
    rows: list[int] = []
    edited = dict(document)
    if section == "calendar":
        edited["calendar"] = forms.read_calendar_form(form, found)
    elif section == "policies":
        edited["policies"], rows = forms.read_policies_form(form, found)
        edited["priorities"] = forms.words(form.get("priorities", ""))
    else:
        edited["tiers"], rows = forms.read_tiers_form(form, found)
    return edited, rows, found.problems


@router.get(BASE + "/{section}", response_class=HTMLResponse)
def section_page(
    request: Request, key: str, section: str, session: SessionDep, user: UserDep
) -> Response:
    workspace, role = open_workspace(session, user, key, Role.VIEWER)
    levels = service_levels.load_service_levels(session, workspace=workspace)
    values = _values(section, levels.document)
    return _section(request, user, workspace, role, levels, section, values)
