"""The journeys as lived (issue 14): the paths page and the conformance page of a workspace,
both from the one cached paths report (``services.journey_paths``)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from cxgap.db.event_reads import event_totals
from cxgap.reporting.formatting import format_percent
from cxgap.services.accounts import Principal, Role
from cxgap.services.journey_paths import MAX_DAYS, paths_report
from cxgap.web.deps import SessionDep, UserDep, open_workspace
from cxgap.web.paths_view import drawn_sankey, duration, filter_choices, names_for, paths_query
from cxgap.web.render import locale_of, page

router = APIRouter(prefix="/w/{key}/paths")

JourneyQuery = Annotated[str | None, Query(max_length=64, description="Journey key")]
PersonaQuery = Annotated[str | None, Query(max_length=64, description="Persona key")]
SegmentQuery = Annotated[str | None, Query(max_length=64, description="Segment key")]
DaysQuery = Annotated[int | None, Query(ge=1, le=MAX_DAYS, description="Repeat window, days")]
ContactQuery = Annotated[
    list[str] | None, Query(max_length=200, description="Contact activities (repeatable)")
]


def _context(
    request: Request,
    session: SessionDep,
    user: Principal,
    key: str,
    filters: tuple[str | None, str | None, str | None, int | None, list[str] | None],
) -> dict[str, Any]:
    workspace, role = open_workspace(session, user, key, Role.VIEWER)
    locale = locale_of(request)
    query = paths_query(*filters)
    report = paths_report(session, workspace, query)
    stored = report["cases"] or event_totals(session, workspace.id)[1]
    return {
        "user": user,
        "workspace": workspace,
        "role": role,
        "report": report,
        "query": query,
        "has_events": bool(stored),
        "names": names_for(session, workspace, report, locale),
        "dur": lambda seconds: duration(locale, seconds),
        "pct1": lambda share: format_percent(share, locale, decimals=1),
        **filter_choices(session, workspace, locale),
    }


@router.get("", response_class=HTMLResponse)
def paths_page(
    request: Request,
    key: str,
    session: SessionDep,
    user: UserDep,
    journey: JourneyQuery = None,
    persona: PersonaQuery = None,
    segment: SegmentQuery = None,
    days: DaysQuery = None,
    contact: ContactQuery = None,
) -> Response:
    context = _context(request, session, user, key, (journey, persona, segment, days, contact))
    report = context["report"]
    context["sankey_svg"] = drawn_sankey(report, locale_of(request)) if report["cases"] else ""
    return page(request, "paths.html", context)


@router.get("/conformance", response_class=HTMLResponse)
def conformance_page(
    request: Request,
    key: str,
    session: SessionDep,
    user: UserDep,
    journey: JourneyQuery = None,
    persona: PersonaQuery = None,
    segment: SegmentQuery = None,
) -> Response:
    context = _context(request, session, user, key, (journey, persona, segment, None, None))
    return page(request, "paths_conformance.html", context)
