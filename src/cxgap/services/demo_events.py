"""The demo's event log stored in its workspace (``demo/events.py``): one import named like
a shop's export, the activities mapped onto the demo journey's touchpoints, so the lived
paths, conformance, retention and value pages are filled on first run."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.orm import Session

from cxgap.db.event_writes import finish_import, set_activity_mapping, start_import, store_events
from cxgap.db.tables import Workspace
from cxgap.demo.events import ACTIVITIES, demo_events
from cxgap.schema import CustomerAnswer

DEMO_FILE = "maison-lumen-events.csv"


def store_demo_events(
    session: Session, *, workspace: Workspace, customers: Sequence[CustomerAnswer], seed: int
) -> int:
    """Generate and store the demo customers' events; how many."""
    events = demo_events(customers, seed=seed)
    import_id = start_import(session, workspace.id, DEMO_FILE, "demo")
    stored = store_events(session, workspace.id, import_id, events)
    cases = len({event.case for event in events})
    finish_import(session, import_id, events=stored, cases=cases, skipped=0)
    mapped = {activity: touchpoint for touchpoint, activity in ACTIVITIES.items()}
    set_activity_mapping(session, workspace.id, mapped)
    return stored
