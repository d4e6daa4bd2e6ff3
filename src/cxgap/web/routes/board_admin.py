"""The idea board's settings (``/w/{key}/community/board``, admins; ``docs/community.md``):
moderation of new ideas, open or closed (closed: the board only reads, with a notice in the
reader's language), public or private (private: only people signed in by the board's e-mail
link with an address on the allow-list). A refused allow-list names each bad line (422)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from cxgap.db.tables import Workspace
from cxgap.errors import ValidationError
from cxgap.services import board_access
from cxgap.services.accounts import Principal, Role
from cxgap.web.deps import CsrfDep, SessionDep, UserDep, open_workspace
from cxgap.web.render import locale_of, page, problem_text

router = APIRouter()
BOARD = "/w/{key}/community/board"
Choice = Annotated[str, Form(max_length=16)]


def _render(
    request: Request,
    user: Principal,
    workspace: Workspace,
    role: Role,
    values: dict[str, str],
    problems: list[str] | None = None,
) -> Response:
    context = {
        "user": user,
        "workspace": workspace,
        "role": role,
        "values": values,
        "problems": problems or [],
        "saved": request.query_params.get("saved") == "1",
    }
    status = 422 if problems else 200
    return page(request, "community/board_admin.html", context, status_code=status)


def _values(board: board_access.BoardSettings) -> dict[str, str]:
    return {
        "moderate": "1" if board.moderate else "",
        "state": "open" if board.open else "closed",
        "visibility": "private" if board.private else "public",
        "allow_list": "\n".join(board.allow_list),
    }


@router.get(BOARD, response_class=HTMLResponse)
def board_page(request: Request, key: str, session: SessionDep, user: UserDep) -> Response:
    workspace, role = open_workspace(session, user, key, Role.ADMIN)
    board = board_access.settings_of(session, workspace)
    return _render(request, user, workspace, role, _values(board))


def _save(
    request: Request, session: Session, user: Principal, key: str, values: dict[str, str]
) -> Response:
    workspace, role = open_workspace(session, user, key, Role.ADMIN)
    try:
        with session.begin_nested():  # a refusal undoes only this
            board_access.save_settings(
                session,
                workspace=workspace,
                moderate=values["moderate"] == "1",
                board_open=values["state"] != "closed",
                private=values["visibility"] == "private",
                allow_list=values["allow_list"],
            )
    except ValidationError as exc:
        locale = locale_of(request)
        problems = [problem_text(locale, p) for p in exc.problems]
        return _render(request, user, workspace, role, values, problems)
    return RedirectResponse(f"/w/{workspace.key}/community/board?saved=1", status_code=303)


@router.post(BOARD, response_class=HTMLResponse)
def save_board(
    request: Request,
    key: str,
    session: SessionDep,
    user: UserDep,
    _csrf: CsrfDep,
    moderate: Choice = "",
    state: Choice = "open",
    visibility: Choice = "public",
    allow_list: Annotated[str, Form(max_length=50_000)] = "",
) -> Response:
    values = {
        "moderate": moderate,
        "state": state,
        "visibility": visibility,
        "allow_list": allow_list,
    }
    return _save(request, session, user, key, values)
