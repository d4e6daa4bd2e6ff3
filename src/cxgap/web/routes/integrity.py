"""The integrity page (``/w/{key}/integrity``): flagged answers with their reasons, units on
a funnel plot, and the analyst's choice to show results without flagged answers (logged)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from cxgap.services import bot_answers
from cxgap.services.accounts import Role
from cxgap.services.flagged import flagged_set
from cxgap.services.integrity import record_choice
from cxgap.web.deps import CsrfDep, SessionDep, UserDep, open_workspace
from cxgap.web.integrity_panel import page_context
from cxgap.web.render import locale_of, page

router = APIRouter(prefix="/w/{key}")


@router.get("/integrity", response_class=HTMLResponse)
def integrity_page(request: Request, key: str, session: SessionDep, user: UserDep) -> Response:
    workspace, role = open_workspace(session, user, key, Role.ANALYST)
    context = page_context(session, workspace, locale_of(request))
    context.update(user=user, workspace=workspace, role=role)
    context.update(bots=bot_answers.summary(session, workspace), bots_cap=bot_answers.HELD_PER_HOUR)
    return page(request, "integrity.html", context)


@router.post("/integrity/choice")
def integrity_choice(
    key: str,
    session: SessionDep,
    user: UserDep,
    _csrf: CsrfDep,
    exclude: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "",
) -> Response:
    """Every result page of the workspace with (``exclude`` empty) or without the flagged
    answers from now on, for every reader: logged (services/flagged.py). Back to ``next``, a
    page of this workspace, or to the results page's panel."""
    workspace, _ = open_workspace(session, user, key, Role.ANALYST)
    excluded = exclude == "1"
    flagged = flagged_set(session, workspace).count
    record_choice(session, workspace=workspace, actor=user, exclude=excluded, flagged=flagged)
    if _own_page(key, next):
        return RedirectResponse(next, status_code=303)
    mode = "exclude" if excluded else "include"
    return RedirectResponse(f"/w/{key}/results?flagged={mode}#integrity", status_code=303)


def _own_page(key: str, path: str) -> bool:
    """A path of this workspace's pages (never another site: no scheme, no ``//``)."""
    return (
        path.startswith(f"/w/{key}/")
        and "//" not in path
        and "\\" not in path
        and all(c.isprintable() and not c.isspace() for c in path)
    )
