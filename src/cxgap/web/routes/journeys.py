"""Personas and journey maps: the list, each map with its measured overlay and persona filter,
the current / target comparison, and the map as JSON, SVG, PNG and PDF."""

from __future__ import annotations

from functools import partial
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from cxgap.journeys.compare import compare_journeys
from cxgap.journeys.document import journey_to_document
from cxgap.journeys.export import render_pdf, render_png
from cxgap.journeys.model import Journey, channel_label
from cxgap.journeys.overlay import disagreements
from cxgap.journeys.svg import render_journey_svg
from cxgap.services import journeys, topic_links
from cxgap.services.accounts import Principal, Role
from cxgap.services.journey_paths import PathsQuery, paths_report
from cxgap.services.overlay import journey_pair, journey_with_overlay
from cxgap.services.personas import generation_label
from cxgap.services.workspaces import segments_of
from cxgap.web.audit_hooks import note_export
from cxgap.web.deps import SessionDep, UserDep, open_workspace
from cxgap.web.overlay_gap import overlay_gap_view
from cxgap.web.paths_view import duration, names_for
from cxgap.web.render import locale_of, page

router = APIRouter(prefix="/w/{key}/journeys")
PersonaQuery = Annotated[str | None, Query(description="Filter the overlay by persona key")]


@router.get("", response_class=HTMLResponse)
def journey_list(request: Request, key: str, session: SessionDep, user: UserDep) -> Response:
    workspace, role = open_workspace(session, user, key, Role.VIEWER)
    return page(
        request,
        "journeys.html",
        {
            "user": user,
            "workspace": workspace,
            "role": role,
            "personas": journeys.list_personas(session, workspace=workspace),
            "journeys": journeys.list_journeys(session, workspace=workspace),
            "segment_names": _segment_names(session, workspace, locale_of(request)),
            "segment_rules": {s.key: s.rule for s in segments_of(session, workspace) if s.rule},
            "channel": partial(_channel, locale_of(request)),
            "generation_label": partial(_generation, locale_of(request)),
        },
    )


def _channel(locale: str, channel: str) -> str:
    return channel_label(channel, locale)


def _generation(locale: str, value: str | None) -> str:
    return generation_label(value, locale)


def _measured(
    session: SessionDep, user: Principal, key: str, journey_key: str, persona: str | None
) -> tuple[Any, Journey, int]:
    workspace, _ = open_workspace(session, user, key, Role.VIEWER)
    journey, revision = journey_with_overlay(
        session, workspace=workspace, key=journey_key, persona=persona or None
    )
    return workspace, journey, revision


def _download(data: bytes | str, media_type: str, name: str) -> Response:
    headers = {"content-disposition": f'attachment; filename="{name}"'}
    return Response(data, media_type=media_type, headers=headers)


@router.get("/{journey_key}.json")
def journey_json(
    request: Request,
    key: str,
    journey_key: str,
    session: SessionDep,
    user: UserDep,
    persona: PersonaQuery = None,
) -> dict[str, Any]:
    workspace, journey, _ = _measured(session, user, key, journey_key, persona)
    locale = locale_of(request)
    links = topic_links.journey_topics(session, workspace=workspace, journey=journey)
    document = journey_to_document(journey, locale=locale, topics=links)
    document["overlay_gap"] = overlay_gap_view(
        session, workspace=workspace, journey=journey, persona=persona, locale=locale
    )
    return document


@router.get("/{journey_key}.svg")
def journey_svg(
    request: Request,
    key: str,
    journey_key: str,
    session: SessionDep,
    user: UserDep,
    persona: PersonaQuery = None,
) -> Response:
    workspace, journey, _ = _measured(session, user, key, journey_key, persona)
    note_export(request, session, user, workspace, what=f"journey:{journey_key}", fmt="svg")
    svg = render_journey_svg(journey, locale=locale_of(request))
    return _download(svg, "image/svg+xml", f"{journey_key}.svg")


@router.get("/{journey_key}.png")
def journey_png(
    request: Request,
    key: str,
    journey_key: str,
    session: SessionDep,
    user: UserDep,
    persona: PersonaQuery = None,
) -> Response:
    workspace, journey, _ = _measured(session, user, key, journey_key, persona)
    note_export(request, session, user, workspace, what=f"journey:{journey_key}", fmt="png")
    png = render_png(journey, locale=locale_of(request))
    return _download(png, "image/png", f"{journey_key}.png")


@router.get("/{journey_key}.pdf")
def journey_pdf(
    request: Request,
    key: str,
    journey_key: str,
    session: SessionDep,
    user: UserDep,
    persona: PersonaQuery = None,
    paper: Annotated[str | None, Query(max_length=10)] = None,
) -> Response:
    """The printable map: landscape A4 or Letter (``?paper=``; A4 in French, Letter in
    English by default), split by stages, then the measured overlay table."""
    workspace, journey, _ = _measured(session, user, key, journey_key, persona)
    note_export(request, session, user, workspace, what=f"journey:{journey_key}", fmt="pdf")
    pdf = render_pdf(journey, locale=locale_of(request), paper=paper)
    return _download(pdf, "application/pdf", f"{journey_key}.pdf")


@router.get("/{journey_key}/compare", response_class=HTMLResponse)
def journey_compare(
    request: Request,
    key: str,
    journey_key: str,
    session: SessionDep,
    user: UserDep,
    persona: PersonaQuery = None,
) -> Response:
    workspace, role = open_workspace(session, user, key, Role.VIEWER)
    current, target = journey_pair(
        session, workspace=workspace, key=journey_key, persona=persona or None
    )
    locale = locale_of(request)
    return page(
        request,
        "journey_compare.html",
        {
            "user": user,
            "workspace": workspace,
            "role": role,
            "journey_key": journey_key,
            "current": current,
            "target": target,
            "changes": compare_journeys(current, target),
            "persona": persona or "",
            "personas": journeys.list_personas(session, workspace=workspace),
            "channel": lambda channel: channel_label(channel, locale),
            "current_svg": render_journey_svg(current, locale=locale),
            "target_svg": render_journey_svg(target, locale=locale),
        },
    )


@router.get("/{journey_key}", response_class=HTMLResponse)
def journey_page(
    request: Request,
    key: str,
    journey_key: str,
    session: SessionDep,
    user: UserDep,
    persona: PersonaQuery = None,
) -> Response:
    workspace, journey, revision = _measured(session, user, key, journey_key, persona)
    _, role = open_workspace(session, user, key, Role.VIEWER)
    others = journeys.list_journeys(session, workspace=workspace)
    counterparts = [
        row
        for row in others
        if row.key != journey.key and (row.based_on == journey.key or journey.based_on == row.key)
    ]
    locale = locale_of(request)
    lived = paths_report(
        session, workspace, PathsQuery(journey=journey.key, persona=persona or None)
    )
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
            "persona": persona or "",
            "personas": journeys.list_personas(session, workspace=workspace),
            "disagreements": {tp.key for tp in disagreements(journey)},
            "measured_any": any(tp.measured.feedback_count for tp in journey.touchpoints),
            "overlay_gap": overlay_gap_view(
                session, workspace=workspace, journey=journey, persona=persona, locale=locale
            ),
            "stage_of": {tp.key: s for s in journey.stages for tp in s.touchpoints},
            "svg": render_journey_svg(journey, locale=locale),
            "segment_names": _segment_names(session, workspace, locale),
            "lane": lived["lane"],
            "lane_names": names_for(session, workspace, lived, locale),
            "lane_dur": partial(duration, locale),
        },
    )


def _segment_names(session: SessionDep, workspace: Any, locale: str) -> dict[str, str]:
    return {
        s.key: s.name_fr if locale == "fr" else s.name_en for s in segments_of(session, workspace)
    }
