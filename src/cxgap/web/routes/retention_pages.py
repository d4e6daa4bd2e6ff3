"""The Retention and Value pages (issue 14, docs/retention.md "Pages"): churn, repeat
purchases, cohort tables and curves, stayed vs left, and lifetime value by segment, persona
and path with the value at risk of detractors, from the workspace's stored events.

Both read one cached computation (``services.retention_pages``); the settings come from the
query string, and a value that cannot be used is shown on the page with its field and value,
in the reader's language (answered 422)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from cxgap.db.event_reads import activity_counts
from cxgap.db.tables import Workspace
from cxgap.errors import ValidationError
from cxgap.i18n import translate
from cxgap.services.accounts import Principal, Role
from cxgap.services.retention_pages import GROUPINGS, retention_pages
from cxgap.services.retention_pages_inputs import group_names
from cxgap.services.retention_pages_settings import PageSettings, settings_from_query
from cxgap.web import retention_view as view
from cxgap.web.deps import SessionDep, UserDep, open_workspace
from cxgap.web.render import locale_of, page

router = APIRouter(prefix="/w/{key}")


@router.get("/retention", response_class=HTMLResponse)
def retention_page(request: Request, key: str, session: SessionDep, user: UserDep) -> Response:
    workspace, role = open_workspace(session, user, key, Role.VIEWER)
    return _page(request, session, user, workspace, role, "retention.html")


@router.get("/value", response_class=HTMLResponse)
def value_page(request: Request, key: str, session: SessionDep, user: UserDep) -> Response:
    workspace, role = open_workspace(session, user, key, Role.VIEWER)
    return _page(request, session, user, workspace, role, "value.html")


def _page(
    request: Request,
    session: Session,
    user: Principal,
    workspace: Workspace,
    role: Role,
    template: str,
) -> Response:
    query = {name: request.query_params.getlist(name) for name in request.query_params}
    context: dict[str, Any] = {
        "user": user,
        "workspace": workspace,
        "role": role.value,
        "activities": [name for name, _, _ in activity_counts(session, workspace.id)],
        "view": view,
        "groupings": GROUPINGS,
        "problems": [],
        "data": None,
    }
    locale = locale_of(request)
    names = group_names(session, workspace, locale)
    context["names"] = names
    try:
        chosen = settings_from_query(query)
        context["chosen"] = chosen
        data = context["data"] = retention_pages(session, workspace, chosen)
    except ValidationError as refused:
        context.setdefault("chosen", PageSettings())
        context["problems"] = refused.problems
        context["raw"] = {name: ",".join(values) for name, values in query.items()}
        return page(request, template, context, 422)
    figures = data.get("retention")
    if figures:
        everyone = translate("retention_pages.everyone", locale)
        context["drawn"] = view.drawn_curves(figures["cohorts"], names["segment"], everyone)
        context["months"] = int(figures["cohorts"]["overall"]["months"])
    return page(request, template, context)
