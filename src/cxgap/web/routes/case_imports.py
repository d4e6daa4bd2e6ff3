"""Past tickets uploaded as cases (``/w/<key>/case-imports``): the page twin of
``cxgap cases import`` (``services/case_imports.py``, docs/cases.md).

Analysts and admins upload a help desk's export; the whole file is stored or nothing, and a
refusal names the file, the row, the column and the value in the reader's language.
"""

from __future__ import annotations

import json
import re
import tempfile
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, Response

from cxgap.errors import FieldProblem, PayloadTooLargeError, ValidationError
from cxgap.i18n import catalog, translate
from cxgap.services.accounts import Role
from cxgap.services.case_imports import import_ticket_cases
from cxgap.tickets.importing import PRESETS
from cxgap.web.deps import CsrfDep, CxDep, SessionDep, UserDep, open_workspace
from cxgap.web.render import locale_of, page

router = APIRouter(prefix="/w/{key}/case-imports")
DATE_ORDERS = ("dmy", "mdy")
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def refusal_text(problem: FieldProblem, locale: str) -> str:
    """``tickets.csv, row 4, column "Priority": the reason (value: "P1")``, in ``locale``."""
    params = {k: v for k, v in problem.params.items() if k != "code"}
    key = f"sla.tickets.reason.{problem.code}"
    if key not in catalog("en"):
        key = f"sla.reason.{problem.code}"
    reason = translate(key, locale, **params) if key in catalog("en") else problem.message
    place = [problem.source or ""]
    if problem.row is not None:
        place.append(translate("sla.tickets.row", locale, row=problem.row))
    if problem.field and problem.field != "(file)":
        place.append(translate("sla.tickets.column", locale, column=problem.field))
    where = ", ".join(p for p in place if p)
    if problem.value is None:
        return translate("sla.refused_here", locale, place=where, reason=reason)
    value = json.dumps(problem.value, ensure_ascii=False)
    return translate("sla.refused", locale, place=where, reason=reason, value=value)


def _context(user: object, workspace: object, **more: object) -> dict[str, object]:
    return {
        "user": user,
        "workspace": workspace,
        "presets": PRESETS,
        "date_orders": DATE_ORDERS,
        **more,
    }


@router.get("", response_class=HTMLResponse)
def import_page(request: Request, key: str, session: SessionDep, user: UserDep) -> Response:
    workspace, _ = open_workspace(session, user, key, Role.ANALYST)
    return page(request, "case_import.html", _context(user, workspace))


@router.post("", response_class=HTMLResponse)
async def import_upload(
    request: Request,
    key: str,
    cx: CxDep,
    user: UserDep,
    _csrf: CsrfDep,
    file: Annotated[UploadFile, File()],
    preset: Annotated[str, Form(max_length=32)] = "",
    date_order: Annotated[str, Form(max_length=8)] = "",
) -> Response:
    limit = cx.settings.max_upload_bytes
    data = await file.read(limit + 1)
    name = _UNSAFE.sub("_", Path(file.filename or "tickets.csv").name)[-120:] or "tickets.csv"
    if len(data) > limit:
        raise PayloadTooLargeError(f"{name} is larger than the {limit // 1_000_000} MB limit")
    with cx.transaction() as session:  # refused: nothing stored
        workspace, _ = open_workspace(session, user, key, Role.ANALYST)
        try:
            with tempfile.TemporaryDirectory(prefix="cxgap-tickets-") as folder:
                path = Path(folder) / name
                path.write_bytes(data)
                with session.begin_nested():
                    done = import_ticket_cases(
                        session,
                        workspace=workspace,
                        path=path,
                        preset=preset or None,
                        date_order=date_order if date_order in DATE_ORDERS else None,
                    )
        except ValidationError as exc:
            locale = locale_of(request)
            problems = [refusal_text(p, locale) for p in exc.problems]
            context = _context(user, workspace, problems=problems, preset=preset)
            return page(request, "case_import.html", context, status_code=422)
        context = _context(user, workspace, report=done.report, file=name)
    return page(request, "case_import.html", context)
