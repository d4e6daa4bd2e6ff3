"""Touchpoint events stored and read back (migration 0046) on SQLite and PostgreSQL: each
case's path in time order with ties in file order across batches, totals, the activity
mapping rewriting stored events, an import removed whole."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from cxgap.db import event_writes
from cxgap.db.event_reads import (
    activity_counts,
    activity_mapping,
    event_imports,
    event_totals,
    workspace_events,
)
from cxgap.db.event_writes import (
    delete_import,
    finish_import,
    set_activity_mapping,
    start_import,
    store_events,
)
from cxgap.events.model import Event
from cxgap.paths.variants import count_variants
from cxgap.services.core import Cxgap
from cxgap.services.workspaces import create_workspace

T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


def _log() -> list[Event]:
    """Case c-2 written first; c-1's two events at the same minute keep their file order
    ("B" before "A"); c-3 has an event from another zone and attributes."""
    paris = datetime(2026, 3, 1, 11, 30, tzinfo=UTC).astimezone(
        __import__("zoneinfo").ZoneInfo("Europe/Paris")
    )
    raw = [
        ("c-2", T0 + timedelta(hours=2), "Order", None, None),
        ("c-1", T0 + timedelta(minutes=5), "B", "web", None),
        ("c-1", T0 + timedelta(minutes=5), "A", "phone", 19.5),
        ("c-2", T0 + timedelta(hours=1), "Visit", "web", None),
        ("c-1", T0, "Visit", "web", None),
        ("c-3", paris, "Order", "shop", 250.0),
    ]
    return [
        Event(
            case=case,
            timestamp=at,
            activity=activity,
            position=i,
            channel=channel,
            amount=amount,
            attributes={"resource": "r1"} if case == "c-3" else {},
        )
        for i, (case, at, activity, channel, amount) in enumerate(raw)
    ]


def test_events_come_back_in_case_order_with_ties_in_file_order(cx: Cxgap, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(event_writes, "BATCH", 2)  # several batches on SQLite
    with cx.transaction() as session:
        workspace = create_workspace(session, key="acme", name="Acme")
        import_id = start_import(session, workspace.id, "log.csv", "generic")
        assert store_events(session, workspace.id, import_id, iter(_log())) == 6
        finish_import(session, import_id, events=6, cases=3, skipped=1, report={"x": 1})
    with cx.reading() as session:
        events = list(workspace_events(session, workspace.id))
        paths = [(e.case, e.activity) for e in events]
        assert paths == [
            ("c-1", "Visit"), ("c-1", "B"), ("c-1", "A"),
            ("c-2", "Visit"), ("c-2", "Order"), ("c-3", "Order"),
        ]  # fmt: skip
        assert events[2].amount == 19.5 and events[2].channel == "phone"
        assert events[5].timestamp == datetime(2026, 3, 1, 11, 30, tzinfo=UTC)
        assert events[5].timestamp.utcoffset() == timedelta(0)
        assert dict(events[5].attributes) == {"resource": "r1"}
        assert dict(events[0].attributes) == {}
        assert event_totals(session, workspace.id) == (3, 6)
        variants = count_variants([e.activity for e in group] for _, group in _by_case(events))
        assert sorted((v.activities, v.cases) for v in variants.variants) == [
            (("Order",), 1), (("Visit", "B", "A"), 1), (("Visit", "Order"), 1)
        ]  # fmt: skip
        [row] = event_imports(session, workspace.id)
        assert (row.status, row.events, row.cases, row.skipped) == ("done", 6, 3, 1)


def _by_case(events: list[Event]) -> list[tuple[str, list[Event]]]:
    from cxgap.events.model import cases

    return list(cases(events))


def test_the_mapping_rewrites_stored_events_and_an_import_goes_whole(cx: Cxgap) -> None:
    with cx.transaction() as session:
        workspace = create_workspace(session, key="acme", name="Acme")
        other = create_workspace(session, key="other", name="Other")
        first = start_import(session, workspace.id, "a.csv", "generic")
        store_events(session, workspace.id, first, _log())
        second = start_import(session, workspace.id, "b.csv", "generic")
        store_events(session, workspace.id, second, _log()[3:5])
        store_events(session, other.id, None, _log())
        set_activity_mapping(session, workspace.id, {"Visit": "website", "Order": None})
    with cx.transaction() as session:
        counts = activity_counts(session, workspace.id)
        assert ("Visit", 4, "website") in counts and ("Order", 2, None) in counts
        assert activity_mapping(session, workspace.id) == {"Visit": "website", "Order": None}
        set_activity_mapping(session, workspace.id, {"Visit": "site"})
        assert {e.touchpoint for e in workspace_events(session, other.id)} == {None}
        delete_import(session, first)
    with cx.reading() as session:
        assert event_totals(session, workspace.id) == (2, 2)
        assert {e.touchpoint for e in workspace_events(session, workspace.id)} == {"site"}
        assert event_totals(session, other.id) == (3, 6)
