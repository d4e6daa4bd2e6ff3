"""The demo workspace carries its event log (``demo/events.py``) stored as one import, the
activities mapped onto the demo journey's touchpoints: the paths pages are filled on first
run. Checked against the generator itself, on SQLite and PostgreSQL."""

from __future__ import annotations

from cxgap.db.event_reads import activity_mapping, event_imports, event_totals, workspace_events
from cxgap.demo.events import ACTIVITIES, demo_events
from cxgap.demo.generator import generate_demo
from cxgap.events.model import cases, in_case_order
from cxgap.services.core import Cxgap
from cxgap.services.demo import create_demo_workspace
from cxgap.services.workspaces import get_workspace


def test_the_demo_stores_the_generated_log_as_one_mapped_import(cx: Cxgap) -> None:
    with cx.transaction() as session:
        create_demo_workspace(session, n_customers=120)
    expected = in_case_order(demo_events(generate_demo(seed=2026, n_customers=120).customers))
    with cx.reading() as session:
        workspace = get_workspace(session, "demo")
        stored = list(workspace_events(session, workspace.id))
        assert [(e.case, e.timestamp, e.activity, e.touchpoint, e.amount) for e in stored] == [
            (e.case, e.timestamp, e.activity, e.touchpoint, e.amount) for e in expected
        ]
        n_cases = len(list(cases(expected)))
        assert n_cases > 50
        assert event_totals(session, workspace.id) == (n_cases, len(expected))
        [row] = event_imports(session, workspace.id)
        assert (row.preset, row.events, row.cases) == ("demo", len(expected), n_cases)
        assert activity_mapping(session, workspace.id) == {a: t for t, a in ACTIVITIES.items()}
