"""A workspace: overview and its pillar framework (members: routes/members.py)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from cxgap.errors import NotFoundError
from cxgap.services import workspaces
from cxgap.services.accounts import Role
from cxgap.services.results import results_for
from cxgap.web.deps import CsrfDep, SessionDep, SettingsDep, UserDep, open_workspace
from cxgap.web.render import page

router = APIRouter(prefix="/w/{key}")


@router.get("", response_class=HTMLResponse)
def overview(
    request: Request, key: str, session: SessionDep, user: UserDep, settings: SettingsDep
) -> Response:
    workspace, role = open_workspace(session, user, key, Role.VIEWER)
    results = results_for(session, workspace, min_group_size=settings.min_group_size)
    return page(
        request,
        "workspace.html",
        {"user": user, "workspace": workspace, "role": role, "results": results},
    )


@router.get("/pillars", response_class=HTMLResponse)
def pillars(request: Request, key: str, session: SessionDep, user: UserDep) -> Response:
    workspace, role = open_workspace(session, user, key, Role.VIEWER)
    return page(
        request,
        "pillars.html",
        {
            "user": user,
            "workspace": workspace,
            "role": role,
            "pillars": workspaces.pillars_of(session, workspace, include_retired=True),
        },
    )


@router.post("/pillars")
def add_pillar(
    key: str,
    session: SessionDep,
    user: UserDep,
    _csrf: CsrfDep,
    pillar_key: Annotated[str, Form(max_length=63)],
    name_en: Annotated[str, Form(max_length=200)],
    name_fr: Annotated[str, Form(max_length=200)],
    description_en: Annotated[str, Form(max_length=2000)] = "",
    description_fr: Annotated[str, Form(max_length=2000)] = "",
    prompt_en: Annotated[str, Form(max_length=2000)] = "",
    prompt_fr: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    workspace, _ = open_workspace(session, user, key, Role.ADMIN)
    workspaces.add_pillar(
        session,
        workspace=workspace,
        key=pillar_key,
        name_en=name_en,
        name_fr=name_fr,
        description_en=description_en,
        description_fr=description_fr,
        prompt_en=prompt_en,
        prompt_fr=prompt_fr,
    )
    return RedirectResponse(f"/w/{key}/pillars", status_code=303)


@router.post("/pillars/{pillar_key}")
def edit_pillar(
    key: str,
    pillar_key: str,
    session: SessionDep,
    user: UserDep,
    _csrf: CsrfDep,
    action: Annotated[str, Form()],
    name_en: Annotated[str, Form(max_length=200)] = "",
    name_fr: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    workspace, _ = open_workspace(session, user, key, Role.ADMIN)
    if action == "rename":
        workspaces.rename_pillar(
            session, workspace=workspace, key=pillar_key, name_en=name_en, name_fr=name_fr
        )
    elif action in {"retire", "restore"}:
        workspaces.set_pillar_retired(
            session, workspace=workspace, key=pillar_key, retired=action == "retire"
        )
    else:
        raise NotFoundError(f"Unknown pillar action {action!r}")
    return RedirectResponse(f"/w/{key}/pillars", status_code=303)
