"""Creating a journey from its JSON document (the editor's fallback without JavaScript)."""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, File, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from cxgap.errors import FieldProblem, PayloadTooLargeError, ValidationError
from cxgap.services import journeys
from cxgap.services.accounts import Principal, Role
from cxgap.web.deps import CsrfDep, SessionDep, UserDep, open_workspace
from cxgap.web.render import page

router = APIRouter()
IMPORT_LIMIT = 2 * 1024 * 1024


@router.get("/w/{key}/journey-import", response_class=HTMLResponse)
def journey_import_form(request: Request, key: str, session: SessionDep, user: UserDep) -> Response:
    workspace, role = open_workspace(session, user, key, Role.ANALYST)
    context = {"user": user, "workspace": workspace, "role": role}
    return page(request, "journey_import.html", context)


@router.post("/w/{key}/journey-import", response_class=HTMLResponse)
async def journey_import(
    request: Request,
    key: str,
    session: SessionDep,
    user: UserDep,
    _csrf: CsrfDep,
    file: Annotated[UploadFile, File()],
) -> Response:
    """Create a journey from its JSON document (the editor's fallback without JavaScript)."""
    workspace, role = open_workspace(session, user, key, Role.ANALYST)
    raw = await file.read(IMPORT_LIMIT + 1)
    if len(raw) > IMPORT_LIMIT:
        raise PayloadTooLargeError(f"{file.filename}: a journey file is at most 2 MiB")
    try:
        document = json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        problem = FieldProblem("$", f"is not valid JSON: {exc}", source=file.filename)
        return _import_refused(request, user, workspace, role, [problem])
    except RecursionError:  # nested thousands of levels deep: no journey file is
        problem = FieldProblem("$", "nests objects or lists too deeply", source=file.filename)
        return _import_refused(request, user, workspace, role, [problem])
    try:
        row = journeys.import_journey(session, workspace=workspace, document=document)
    except ValidationError as exc:
        return _import_refused(request, user, workspace, role, exc.problems)
    return RedirectResponse(f"/w/{key}/journeys/{row.key}", status_code=303)


def _import_refused(
    request: Request, user: Principal, workspace: Any, role: Role, problems: list[FieldProblem]
) -> Response:
    context = {"user": user, "workspace": workspace, "role": role, "problems": problems}
    return page(request, "journey_import.html", context, status_code=422)
