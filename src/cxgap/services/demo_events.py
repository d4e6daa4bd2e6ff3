"""The demo's event log stored in its workspace (``demo/events.py``): one import named like
a shop's export, the activities mapped onto the demo journey's touchpoints, so the lived
paths, conformance, retention and value pages are filled on first run."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.orm import Session

from cxgap.db.event_writes import finish_import, set_activity_mapping, start_import, store_events
from cxgap.db.tables import Workspace
from cxgap.demo.events import ACTIVITIES
from cxgap.events.model import Event

DEMO_FILE = "maison-lumen-events.csv"


def store_demo_events(session: Session, *, workspace: Workspace, events: Sequence[Event]) -> int:
    """Store the demo customers' events (``demo.events.demo_events``); how many."""
    import_id = start_import(session, workspace.id, DEMO_FILE, "demo")
    stored = store_events(session, workspace.id, import_id, events)
    cases = len({event.case for event in events})
    finish_import(session, import_id, events=stored, cases=cases, skipped=0)
    mapped = {activity: touchpoint for touchpoint, activity in ACTIVITIES.items()}
    set_activity_mapping(session, workspace.id, mapped)
    return stored
