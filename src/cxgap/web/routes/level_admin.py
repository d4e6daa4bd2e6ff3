"""The levels editor (``/w/{key}/community/levels``, admins; ``docs/community.md``): the
workspace's power-user levels in one form — rename in both languages, change a threshold,
add a level on the last line, delete one — checked as a whole; a refusal shows the form
again with each problem beside its field (422), nothing stored."""

from __future__ import annotations

import re
from dataclasses import replace

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from cxgap.community.level_edits import LevelRow
from cxgap.db.tables import Workspace
from cxgap.errors import FieldProblem, ValidationError
from cxgap.services import community_levels
from cxgap.services.accounts import Principal, Role
from cxgap.web.deps import SessionDep, UserDep, open_workspace
from cxgap.web.render import locale_of, page, problem_text, translate_for
from cxgap.web.routes.help_centre import FieldsDep
from cxgap.web.security import CSRF_FIELD, check_csrf

router = APIRouter()
LEVELS = "/w/{key}/community/levels"
MAX_ROWS = 50
_FIELD = re.compile(r"^level-(\d{1,2})-(key|name_en|name_fr|threshold|delete)$")


def rows_of(fields: dict[str, str]) -> list[LevelRow]:
    """The editor's rows from the posted fields (``level-<n>-<field>``), in form order."""
    found: dict[int, dict[str, str]] = {}
    for name, value in fields.items():
        match = _FIELD.match(name)
        if match and int(match.group(1)) <= MAX_ROWS:
            found.setdefault(int(match.group(1)), {})[match.group(2)] = value
    return [
        LevelRow(
            row=n,
            key=values.get("key", "").strip(),
            name_en=values.get("name_en", ""),
            name_fr=values.get("name_fr", ""),
            threshold=values.get("threshold", ""),
            delete=values.get("delete") == "1",
        )
        for n, values in sorted(found.items())
    ]


LABELS = {
    "name_en": "community_admin.field.name_en",
    "name_fr": "community_admin.field.name_fr",
    "threshold": "community_admin.levels.threshold",
}


def said(locale: str, problem: FieldProblem) -> str:
    """A problem as the editor says it: the level's line, the field's label, the reason."""
    label = LABELS.get(problem.field)
    if problem.code == "level_same":  # the other level, named in the reader's language
        other = problem.params.get(f"other_{'fr' if locale == 'fr' else 'en'}", "")
        problem = replace(problem, params={"other": other})
    text = problem_text(
        locale,
        replace(problem, row=None, field=translate_for(locale, label) if label else problem.field),
    )
    if problem.row is None:
        return text
    return f"{translate_for(locale, 'community_admin.levels.row', n=problem.row)} — {text}"


def _render(
    request: Request,
    session: Session,
    user: Principal,
    workspace: Workspace,
    role: Role,
    *,
    rows: list[LevelRow] | None = None,
    problems: ValidationError | None = None,
) -> Response:
    locale = locale_of(request)
    shown = rows if rows is not None else community_levels.editor_rows(session, workspace)
    if rows is None or not any(row.blank for row in shown):
        shown = [*shown, LevelRow(len(shown) + 1, "", "", "", "")]  # the line to add one
    found = problems.problems if problems else []
    context = {
        "user": user,
        "workspace": workspace,
        "role": role,
        "rows": shown,
        "problems": [said(locale, p) for p in found],
        "wrong": {(p.row, p.field) for p in found},
        "saved": request.query_params.get("saved") == "1",
    }
    return page(
        request, "community/levels_admin.html", context, status_code=422 if problems else 200
    )


@router.get(LEVELS, response_class=HTMLResponse)
def levels_page(request: Request, key: str, session: SessionDep, user: UserDep) -> Response:
    workspace, role = open_workspace(session, user, key, Role.ADMIN)
    return _render(request, session, user, workspace, role)


@router.post(LEVELS, response_class=HTMLResponse)
def save_levels(
    request: Request, key: str, session: SessionDep, user: UserDep, fields: FieldsDep
) -> Response:
    workspace, role = open_workspace(session, user, key, Role.ADMIN)
    check_csrf(request, fields.get(CSRF_FIELD))
    rows = rows_of(fields)
    try:
        with session.begin_nested():  # a refusal undoes only this
            community_levels.save_levels(session, workspace=workspace, rows=rows)
    except ValidationError as exc:
        return _render(request, session, user, workspace, role, rows=rows, problems=exc)
    return RedirectResponse(f"/w/{workspace.key}/community/levels?saved=1", status_code=303)
