"""The pages worth computing before anyone opens them: after an event import (or a change
of the feedback or its analysis that the paths and retention figures depend on), the
paths, journey-map and retention/value pages read their reports from the results cache, as
the ``warm_pages`` job (``cxgap.jobs.warming``) left them, instead of computing them on the
first view.

Each report is the one its page asks for with no filter chosen: the paths page (the first
current journey), each journey map's lived lane, and the retention and value pages (one
computation gives both); then the paths page under each persona, the filter a CX team
picks first (at 10 M events a persona's report is computed in tens of seconds: better in
the job than in a page view).
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from cxgap.db.event_tables import EventRow
from cxgap.db.tables import Workspace
from cxgap.services.journey_paths import PathsQuery, paths_report
from cxgap.services.journeys import list_journeys, list_personas
from cxgap.services.retention_pages import retention_pages
from cxgap.services.retention_pages_settings import settings_from_query

MAX_JOURNEYS = 20  # journey maps whose lived lane is warmed (by key)
MAX_PERSONAS = 20  # personas whose paths page is warmed (by key)


def has_events(session: Session, workspace_id: int) -> bool:
    """Whether the workspace holds events (without them the pages have nothing to show)."""
    found = session.scalar(
        select(EventRow.id).where(EventRow.workspace_id == workspace_id).limit(1)
    )
    return found is not None


def paths_queries(session: Session, workspace: Workspace) -> list[PathsQuery]:
    """The paths reports the pages open with: the paths page, each journey's map, then the
    paths page under each persona."""
    journeys = [row.key for row in list_journeys(session, workspace=workspace)]
    personas = [p.key for p in list_personas(session, workspace=workspace)]
    return [
        PathsQuery(),
        *(PathsQuery(journey=key) for key in journeys[:MAX_JOURNEYS]),
        *(PathsQuery(persona=key) for key in personas[:MAX_PERSONAS]),
    ]


def warm_paths(session: Session, workspace: Workspace, query: PathsQuery) -> None:
    """The paths report of ``query`` computed and stored in the results cache (kept as it
    is when nothing it depends on changed)."""
    paths_report(session, workspace, query)


def warm_retention(session: Session, workspace: Workspace) -> bool:
    """The retention and value pages' figures with their default settings, computed and
    stored in the results cache; whether they had to be computed."""
    return not retention_pages(session, workspace, settings_from_query({})).get("cached")
