"""The home page: the workspaces a user can open; superusers create new ones."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from cxgap.errors import PermissionDeniedError
from cxgap.services.workspaces import create_workspace, workspaces_for
from cxgap.web.deps import CsrfDep, SessionDep, UserDep
from cxgap.web.render import page

router = APIRouter()


@router.get("/", response_class=HTMLResponse)
def home(request: Request, session: SessionDep, user: UserDep) -> Response:
    return page(request, "home.html", {"user": user, "workspaces": workspaces_for(session, user)})


@router.post("/workspaces")
def new_workspace(
    session: SessionDep,
    user: UserDep,
    _csrf: CsrfDep,
    name: Annotated[str, Form(max_length=200)],
    key: Annotated[str, Form(max_length=63)] = "",  # empty: derived from the name
) -> Response:
    if not user.is_superuser:
        raise PermissionDeniedError("Only a site administrator can create workspaces")
    workspace = create_workspace(session, key=key, name=name)
    return RedirectResponse(f"/w/{workspace.key}", status_code=303)
