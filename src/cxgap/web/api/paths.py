"""Journeys as lived (issue 14): the paths report and the conformance to the map, from the
same cached report as the pages (``services.journey_paths``); see docs/journey-paths.md."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from cxgap.services.accounts import Role
from cxgap.services.journey_paths import MAX_DAYS, paths_report
from cxgap.web.api.deps import CallerDep, open_workspace
from cxgap.web.api.errors import error_responses
from cxgap.web.deps import SessionDep
from cxgap.web.paths_view import paths_query

router = APIRouter(prefix="/api/v1/workspaces/{key}")

JourneyQuery = Annotated[
    str | None, Query(max_length=64, description="Journey key (default: the first current map)")
]
PersonaQuery = Annotated[
    str | None, Query(max_length=64, description="Only the customers of this persona's segment")
]
SegmentQuery = Annotated[
    str | None, Query(max_length=64, description="Only the customers of this segment")
]
DaysQuery = Annotated[
    int | None, Query(ge=1, le=MAX_DAYS, description="Repeat-contact window in days (7)")
]
ContactQuery = Annotated[
    list[str] | None,
    Query(
        max_length=200,
        description="An activity that counts as a contact (repeat it); default: the "
        "activities mostly on an assisted channel",
    ),
]


class Filters(BaseModel):
    journey: str | None
    persona: str | None
    persona_segment: str | None
    segment: str | None
    within_days: int
    contacts: list[str]


class PathsOut(BaseModel):
    """Paths as lived; every block is described in docs/journey-paths.md."""

    workspace: str
    computed_at: str
    filters: Filters
    journey: dict[str, Any] | None = Field(description="The map read against: key, name, keys")
    cases: int
    events: int
    answered_cases: int = Field(description="Cases with feedback (joined by customer_ref)")
    distinct_variants: int
    variants: list[dict[str, Any]] = Field(description="The 50 most frequent variants")
    sankey: dict[str, Any] = Field(description="Nodes and links of the 10 most frequent paths")
    graph: dict[str, Any] = Field(description="Directly-follows graph (80 edges at most)")
    funnel: dict[str, Any] | None = Field(description="Drop-off along the map")
    repeat_contacts: dict[str, Any]
    channel_switches: dict[str, Any]
    rework: dict[str, Any]
    voice: dict[str, Any] = Field(description="NPS, sentiment, irritants by path group")


class ConformanceOut(BaseModel):
    """The lived paths against the map, and the lived lane per touchpoint."""

    workspace: str
    computed_at: str
    filters: Filters
    journey: dict[str, Any] | None
    cases: int
    conformance: dict[str, Any] | None = Field(description="None without a journey map")
    lane: dict[str, Any] | None = Field(description="Volume, drop-off, time per touchpoint")


@router.get(
    "/paths",
    response_model=PathsOut,
    tags=["paths"],
    operation_id="get_paths",
    responses=error_responses(),
)
def get_paths(
    key: str,
    session: SessionDep,
    caller: CallerDep,
    journey: JourneyQuery = None,
    persona: PersonaQuery = None,
    segment: SegmentQuery = None,
    days: DaysQuery = None,
    contact: ContactQuery = None,
) -> dict[str, Any]:
    """Variants, top paths, directly-follows graph, drop-off, repeat contacts, channel
    switches, rework and what the customers of each group said."""
    workspace, _ = open_workspace(session, caller, key, Role.VIEWER)
    report = paths_report(session, workspace, paths_query(journey, persona, segment, days, contact))
    return {k: v for k, v in report.items() if k in PathsOut.model_fields}


@router.get(
    "/paths/conformance",
    response_model=ConformanceOut,
    tags=["paths"],
    operation_id="get_paths_conformance",
    responses=error_responses(),
)
def get_paths_conformance(
    key: str,
    session: SessionDep,
    caller: CallerDep,
    journey: JourneyQuery = None,
    persona: PersonaQuery = None,
    segment: SegmentQuery = None,
) -> dict[str, Any]:
    """Designed touchpoints skipped, undesigned steps, the share following the map and
    where cases leave it; the lived lane of the map."""
    workspace, _ = open_workspace(session, caller, key, Role.VIEWER)
    report = paths_report(session, workspace, paths_query(journey, persona, segment, None, None))
    return {k: v for k, v in report.items() if k in ConformanceOut.model_fields}
