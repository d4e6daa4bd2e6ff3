"""The idea board's tags, the team's side (``docs/community.md``): ``/w/{key}/community/tags``
lists them with how many ideas carry each; analysts and admins create, rename, recolour and
delete them, and put them on ideas from the team's idea page (``/w/{key}/ideas``). Viewers
read. A refusal shows the page again with the field named (422), nothing stored."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from cxgap.community.tags import COLOURS, DEFAULT_COLOUR, check_tag
from cxgap.db.tables import Workspace
from cxgap.errors import FieldProblem, ValidationError
from cxgap.services import idea_tags
from cxgap.services.accounts import Principal, Role
from cxgap.web.deps import CsrfDep, SessionDep, UserDep, open_workspace
from cxgap.web.render import locale_of, page, problem_text, translate_for

router = APIRouter()
TAGS = "/w/{key}/community/tags"
Name = Annotated[str, Form(max_length=200)]
Colour = Annotated[str, Form(max_length=20)]
LABELS = {
    "name_en": "community_admin.field.name_en",
    "name_fr": "community_admin.field.name_fr",
    "colour": "community_admin.tags.colour",
}


def _said(locale: str, problem: FieldProblem) -> str:
    label = LABELS.get(problem.field)
    if label is None:
        return problem_text(locale, problem)
    named = FieldProblem(
        translate_for(locale, label),
        problem.message,
        problem.value,
        code=problem.code,
        params=problem.params,
    )
    return problem_text(locale, named)


def _render(
    request: Request,
    session: Session,
    user: Principal,
    workspace: Workspace,
    role: Role,
    *,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    editing: int | None = None,
    status_code: int = 200,
) -> Response:
    context = {
        "user": user,
        "workspace": workspace,
        "role": role,
        "can_act": role.level >= Role.ANALYST.level,
        "tags": idea_tags.tags(session, workspace),
        "usage": idea_tags.usage(session, workspace),
        "colours": COLOURS,
        "values": values or {"colour": DEFAULT_COLOUR},
        "errors": errors or {},
        "editing": editing,
    }
    return page(request, "community/tags_admin.html", context, status_code=status_code)


@router.get(TAGS, response_class=HTMLResponse)
def tags_page(request: Request, key: str, session: SessionDep, user: UserDep) -> Response:
    workspace, role = open_workspace(session, user, key, Role.VIEWER)
    return _render(request, session, user, workspace, role)


def _refused(
    request: Request,
    session: Session,
    user: Principal,
    workspace: Workspace,
    role: Role,
    exc: ValidationError,
    values: dict[str, str],
    editing: int | None,
) -> Response:
    locale = locale_of(request)
    errors = {p.field: _said(locale, p) for p in exc.problems}
    return _render(
        request,
        session,
        user,
        workspace,
        role,
        values=values,
        errors=errors,
        editing=editing,
        status_code=422,
    )


@router.post(TAGS, response_class=HTMLResponse)
def create_tag(
    request: Request,
    key: str,
    session: SessionDep,
    user: UserDep,
    _csrf: CsrfDep,
    name_en: Name = "",
    name_fr: Name = "",
    colour: Colour = DEFAULT_COLOUR,
) -> Response:
    workspace, role = open_workspace(session, user, key, Role.ANALYST)
    values = {"name_en": name_en, "name_fr": name_fr, "colour": colour}
    try:
        with session.begin_nested():  # a refusal undoes only this
            spec = check_tag(name_en, name_fr, colour)
            tag = idea_tags.create_tag(session, workspace=workspace, spec=spec)
    except ValidationError as exc:
        return _refused(request, session, user, workspace, role, exc, values, None)
    return RedirectResponse(f"/w/{workspace.key}/community/tags#tag-{tag.id}", status_code=303)


@router.post(TAGS + "/{tag_id}", response_class=HTMLResponse)
def update_tag(
    request: Request,
    key: str,
    tag_id: int,
    session: SessionDep,
    user: UserDep,
    _csrf: CsrfDep,
    name_en: Name = "",
    name_fr: Name = "",
    colour: Colour = "",
) -> Response:
    workspace, role = open_workspace(session, user, key, Role.ANALYST)
    values = {"name_en": name_en, "name_fr": name_fr, "colour": colour}
    try:
        with session.begin_nested():
            spec = check_tag(name_en, name_fr, colour)
            idea_tags.update_tag(session, workspace=workspace, tag_id=tag_id, spec=spec)
    except ValidationError as exc:
        return _refused(request, session, user, workspace, role, exc, values, tag_id)
    return RedirectResponse(f"/w/{workspace.key}/community/tags#tag-{tag_id}", status_code=303)


@router.post(TAGS + "/{tag_id}/delete")
def delete_tag(
    key: str, tag_id: int, session: SessionDep, user: UserDep, _csrf: CsrfDep
) -> Response:
    workspace, _ = open_workspace(session, user, key, Role.ANALYST)
    idea_tags.delete_tag(session, workspace=workspace, tag_id=tag_id)
    return RedirectResponse(f"/w/{workspace.key}/community/tags", status_code=303)


@router.post("/w/{key}/ideas/{idea_id}/tags")
def tag_idea(
    key: str,
    idea_id: int,
    session: SessionDep,
    user: UserDep,
    _csrf: CsrfDep,
    tag: Annotated[list[int] | None, Form()] = None,
) -> Response:
    """Put exactly the ticked tags on the idea (none ticked: its tags are taken off)."""
    workspace, _ = open_workspace(session, user, key, Role.ANALYST)
    idea_tags.set_idea_tags(session, workspace=workspace, idea_id=idea_id, tag_ids=tag or [])
    return RedirectResponse(f"/w/{workspace.key}/ideas#idea-{idea_id}", status_code=303)
