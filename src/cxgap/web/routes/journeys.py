"""Personas and journey maps, read-only for now: the list, each map, its JSON and SVG."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from cxgap.journeys.svg import render_journey_svg
from cxgap.services import journeys
from cxgap.services.accounts import Role
from cxgap.services.workspaces import segments_of
from cxgap.web.deps import SessionDep, UserDep, open_workspace
from cxgap.web.render import locale_of, page

router = APIRouter(prefix="/w/{key}/journeys")


@router.get("", response_class=HTMLResponse)
def journey_list(request: Request, key: str, session: SessionDep, user: UserDep) -> Response:
    workspace, role = open_workspace(session, user, key, Role.VIEWER)
    locale = locale_of(request)
    segment_names = {
        s.key: s.name_fr if locale == "fr" else s.name_en for s in segments_of(session, workspace)
    }
    return page(
        request,
        "journeys.html",
        {
            "user": user,
            "workspace": workspace,
            "role": role,
            "personas": journeys.list_personas(session, workspace=workspace),
            "journeys": journeys.list_journeys(session, workspace=workspace),
            "segment_names": segment_names,
        },
    )


@router.get("/{journey_key}.json")
def journey_json(
    request: Request, key: str, journey_key: str, session: SessionDep, user: UserDep
) -> dict[str, Any]:
    workspace, _ = open_workspace(session, user, key, Role.VIEWER)
    return journeys.export_journey(
        session, workspace=workspace, key=journey_key, locale=locale_of(request)
    )


@router.get("/{journey_key}.svg")
def journey_svg(
    request: Request, key: str, journey_key: str, session: SessionDep, user: UserDep
) -> Response:
    workspace, _ = open_workspace(session, user, key, Role.VIEWER)
    journey, _ = journeys.get_journey(session, workspace=workspace, key=journey_key)
    return Response(
        render_journey_svg(journey, locale=locale_of(request)),
        media_type="image/svg+xml",
        headers={"content-disposition": f'attachment; filename="{journey_key}.svg"'},
    )


@router.get("/{journey_key}", response_class=HTMLResponse)
def journey_page(
    request: Request, key: str, journey_key: str, session: SessionDep, user: UserDep
) -> Response:
    workspace, role = open_workspace(session, user, key, Role.VIEWER)
    journey, revision = journeys.get_journey(session, workspace=workspace, key=journey_key)
    others = journeys.list_journeys(session, workspace=workspace)
    counterparts = [
        row
        for row in others
        if row.key != journey.key and (row.based_on == journey.key or journey.based_on == row.key)
    ]
    return page(
        request,
        "journey.html",
        {
            "user": user,
            "workspace": workspace,
            "role": role,
            "journey": journey,
            "revision": revision,
            "counterparts": counterparts,
            "svg": render_journey_svg(journey, locale=locale_of(request)),
        },
    )
