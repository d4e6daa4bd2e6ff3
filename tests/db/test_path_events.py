"""``path_events``: the events the path analyses read, in the order and with the fields of
``workspace_events``, without attributes, outcome, lifecycle or amount (SQLite, PostgreSQL)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from cxgap.db.event_reads import path_events, workspace_events
from cxgap.db.event_writes import set_activity_mapping, start_import, store_events
from cxgap.events.model import Event
from cxgap.services.core import Cxgap
from cxgap.services.workspaces import create_workspace

T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


def test_path_events_read_what_the_paths_need_in_case_order(cx: Cxgap) -> None:
    log = [
        Event("b", T0 + timedelta(hours=1), "Pay", 0, "web", "ok", "complete", None, 9.5,
              {"k": "v"}),
        Event("a", T0, "Call", 1, "phone"),
        Event("b", T0, "Visit", 2, "web"),
        Event("a", T0, "Visit", 3, None),  # same time as Call: file order kept
    ]  # fmt: skip
    with cx.transaction() as session:
        ws = create_workspace(session, key="acme", name="Acme")
        store_events(session, ws.id, start_import(session, ws.id, "log.csv", "generic"), log)
        set_activity_mapping(session, ws.id, {"Visit": "site"})
    with cx.reading() as session:
        full = list(workspace_events(session, ws.id))
        light = list(path_events(session, ws.id))
    fields = [(e.case, e.timestamp, e.activity, e.position, e.channel, e.touchpoint) for e in full]
    assert [
        (e.case, e.timestamp, e.activity, e.position, e.channel, e.touchpoint) for e in light
    ] == fields
    assert [(e.case, e.activity) for e in light] == [
        ("a", "Call"), ("a", "Visit"), ("b", "Visit"), ("b", "Pay"),
    ]  # fmt: skip
    assert light[2].touchpoint == "site"
    assert (light[3].outcome, light[3].amount, dict(light[3].attributes)) == (None, None, {})
