"""What the event import page shows besides the import itself: the workspace journeys'
touchpoints, and each stored activity with its count, its mapping and a suggestion."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from cxgap.db.event_reads import activity_counts, activity_mapping
from cxgap.db.event_tables import EventRow
from cxgap.db.tables import Workspace
from cxgap.events.touchpoints import TouchpointName, suggest
from cxgap.services.journeys import get_journey, list_journeys

MAX_ACTIVITIES = 500
PREVIEW_EVENTS = 8


@dataclass(frozen=True)
class ActivityRow:
    """One activity of the stored events, for the mapping form."""

    activity: str
    events: int
    touchpoint: str | None  # as stored (the analyst's choice)
    mapped: bool  # the analyst chose (a touchpoint or none)
    suggestion: str | None


def workspace_touchpoints(
    session: Session, workspace: Workspace, locale: str
) -> list[TouchpointName]:
    """Every touchpoint of the workspace's journeys, once per key, in map order."""
    seen: dict[str, TouchpointName] = {}
    for row in list_journeys(session, workspace=workspace):
        journey, _ = get_journey(session, workspace=workspace, key=row.key)
        for tp in journey.touchpoints:
            if tp.key not in seen:
                names = (tp.key, tp.name.en, tp.name.fr)
                label = f"{tp.name.get(locale)} ({journey.name.get(locale)})"
                seen[tp.key] = TouchpointName(tp.key, tuple(n for n in names if n), label)
    return list(seen.values())


def activity_rows(
    session: Session, workspace: Workspace, touchpoints: list[TouchpointName]
) -> list[ActivityRow]:
    """The stored activities, most frequent first, with their mapping and a suggestion."""
    counts: dict[str, int] = {}
    for activity, events, _ in activity_counts(session, workspace.id):
        counts[activity] = counts.get(activity, 0) + events
    chosen = activity_mapping(session, workspace.id)
    names = list(counts)[:MAX_ACTIVITIES]
    suggestions = suggest(names, touchpoints)
    return [
        ActivityRow(
            activity=name,
            events=counts[name],
            touchpoint=chosen.get(name),
            mapped=name in chosen,
            suggestion=suggestions[name],
        )
        for name in names
    ]


def import_preview(session: Session, import_id: int) -> list[EventRow]:
    """The first events of an import, in file order (how its columns were read)."""
    return list(
        session.scalars(
            select(EventRow)
            .where(EventRow.import_id == import_id)
            .order_by(EventRow.id)
            .limit(PREVIEW_EVENTS)
        )
    )
