"""The paths report from case shapes (``services.paths_compact``, the default) equals the
report of the case-by-case scan of event objects (``services.paths_scan``, ``by_event``),
figure for figure and in the same order, on SQLite and on PostgreSQL.

The log is generated with a fixed seed: ties in time (kept in file order), cases of one
event, loops, several channels and events without one, touchpoints outside the map,
repeat contacts on both sides of the window, one edge with more than 4,096 durations
(the digests' folded quantiles) and others with few (exact medians of even counts),
feedback for some customers, a persona and a segment.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy.orm import Session

from cxgap.db.event_writes import finish_import, set_activity_mapping, start_import, store_events
from cxgap.db.path_aggregates import Coded, case_shapes
from cxgap.db.tables import Workspace
from cxgap.events.model import Event
from cxgap.journeys.model import Journey, Persona, Phase, Stage, Text, Touchpoint
from cxgap.paths.durations import EXACT_LIMIT
from cxgap.services import paths_compact
from cxgap.services.core import Cxgap
from cxgap.services.journey_paths import PathsQuery, compute_paths_report, paths_report
from cxgap.services.journeys import create_journey, create_persona
from cxgap.services.segments import create_segment
from cxgap.services.workspaces import create_workspace
from tests.enrichment_factory import add_feedback

T0 = datetime(2026, 1, 5, 8, 0, tzinfo=UTC)
DESIGN = ("visit", "order", "pay", "deliver")
MAPPED = {"Visit": "visit", "Order": "order", "Pay": "pay", "Deliver": "deliver", "Ad": "gone"}
ACTIVITIES = ("Visit", "Order", "Pay", "Deliver", "Call", "Chat", "FAQ", "Ad")
CHANNELS = ("web", "app", "phone", "chat", "shop", None)


def _case(rng: random.Random, case: str, first: int) -> list[Event]:
    moment = T0 + timedelta(days=rng.randrange(60), seconds=rng.randrange(86_400))
    events: list[Event] = []
    for index in range(rng.choice((1, 1, 2, 3, 4, 5, 7, 9))):
        if index and rng.random() > 0.2:  # a fifth of the steps tie with the one before
            moment += timedelta(seconds=rng.choice((1, 59, 3600, 86_400 * rng.randrange(1, 12))))
            moment += timedelta(microseconds=rng.choice((0, 0, 1, 500_000)))
        activity = rng.choice(ACTIVITIES)
        channel = rng.choice(CHANNELS)
        events.append(Event(case, moment, activity, first + index, channel))
    return events


def _log(cases: int, seed: int) -> list[Event]:
    rng = random.Random(seed)
    events: list[Event] = []
    for number in range(cases):
        events += _case(rng, f"k{number % 7}-{number:04d}", len(events))
    # one edge with more durations than a digest keeps exactly: Visit -> Order
    for number in range(EXACT_LIMIT // 2 + 60):
        case, start = f"bulk{number:05d}", T0 + timedelta(minutes=number)
        for step in range(3):
            at = start + timedelta(seconds=step * (number % 97 + 1))
            events += [
                Event(case, at, "Visit", len(events), "web"),
                Event(case, at + timedelta(seconds=number % 13), "Order", len(events) + 1, "app"),
            ]
    return events


def _store(session: Session, ws: Workspace, events: list[Event]) -> None:
    import_id = start_import(session, ws.id, "log.csv", "generic")
    store_events(session, ws.id, import_id, iter(events))
    cases = len({event.case for event in events})
    finish_import(session, import_id, events=len(events), cases=cases, skipped=0)


def _journey() -> Journey:
    points = tuple(Touchpoint(key, Text(key, key), "web", True) for key in DESIGN)
    stage = Stage("buy", Text("Buy", "Acheter"), Phase.DURING, points)
    return Journey("shop", Text("Shop", "Boutique"), stages=(stage,))


@pytest.fixture
def world(cx: Cxgap) -> Cxgap:
    rng = random.Random(7)
    events = _log(400, seed=14)
    with cx.transaction() as session:
        ws = create_workspace(session, key="acme", name="Acme")
        create_journey(session, workspace=ws, journey=_journey())
        create_segment(session, workspace=ws, key="pro", name_en="Pro", name_fr="Pro")
        create_persona(session, workspace=ws, persona=Persona("ana", "Ana", segment="pro"))
        _store(session, ws, events)
        set_activity_mapping(session, ws.id, MAPPED)
        for case in sorted({event.case for event in events})[::3][:150]:
            score = rng.uniform(-1, 1)
            item = add_feedback(
                session, ws, f"text {case}", nps=rng.randrange(11), score=score,
                findings=(("delivery", -0.8),) if score < 0 else (("price", 0.5),),
                attributes={"segment": rng.choice(("pro", "home"))},
            )  # fmt: skip
            item.customer_ref = case
    return cx


def _both(cx: Cxgap, query: PathsQuery) -> tuple[dict[str, Any], dict[str, Any]]:
    with cx.reading() as session:
        ws = session.query(Workspace).filter_by(key="acme").one()
        shapes = compute_paths_report(session, ws, query)
        events = compute_paths_report(session, ws, query, by_event=True)
    for report in (shapes, events):
        del report["computed_at"]
    return shapes, events


@pytest.mark.parametrize(
    "query",
    [
        PathsQuery(),
        PathsQuery(within_days=1),
        PathsQuery(within_days=30, contacts=("Call", "Chat", "Visit")),
        PathsQuery(persona="ana"),
        PathsQuery(segment="pro", within_days=3),
    ],
    ids=["default", "one-day", "contacts", "persona", "segment"],
)
def test_the_report_from_shapes_is_the_scans_report(world: Cxgap, query: PathsQuery) -> None:
    shapes, events = _both(world, query)
    assert shapes == events
    assert shapes["cases"] > 0 and shapes["funnel"] is not None
    assert shapes["voice"]["by_variant"] and shapes["rework"]["cases_with_loop"] > 0


@pytest.mark.parametrize("held", [1, 7])
def test_dropping_the_readings_often_gives_the_same_report(
    world: Cxgap, monkeypatch: pytest.MonkeyPatch, held: int
) -> None:
    monkeypatch.setattr(paths_compact, "HELD_SEQUENCES", held)  # trimmed every few cases
    shapes, events = _both(world, PathsQuery(within_days=2, contacts=("Call", "Chat")))
    assert shapes == events


def test_the_cached_report_is_stored_and_read_back(world: Cxgap) -> None:
    with world.transaction() as session:
        ws = session.query(Workspace).filter_by(key="acme").one()
        first = paths_report(session, ws)  # computed from shapes, then stored
    with world.transaction() as session:
        ws = session.query(Workspace).filter_by(key="acme").one()
        again = paths_report(session, ws)
        events = compute_paths_report(session, ws, by_event=True)
    assert again == first
    assert {**first, "computed_at": None} == {**events, "computed_at": None}


def test_the_log_meets_what_it_is_meant_to_check(world: Cxgap) -> None:
    shapes, _ = _both(world, PathsQuery())
    edges = {(e["source"], e["target"]): e for e in shapes["graph"]["edges"]}
    assert edges[("Visit", "Order")]["events"] > EXACT_LIMIT  # the folded digest
    assert any(e["events"] % 2 == 0 and e["events"] < 50 for e in edges.values())
    assert shapes["answered_cases"] > 50 and shapes["repeat_contacts"]["repeated"] > 0
    assert shapes["conformance"]["undesigned"]  # Call, Chat, FAQ and the unknown "gone"
    assert shapes["channel_switches"]["by_bucket"][3]["cases"] > 0  # 3 switches or more


def test_without_a_journey_there_is_no_funnel_either_way(cx: Cxgap) -> None:
    with cx.transaction() as session:
        ws = create_workspace(session, key="acme", name="Acme")
        _store(session, ws, _log(60, seed=3))
    shapes, events = _both(cx, PathsQuery())
    assert shapes == events and shapes["funnel"] is None and shapes["lane"] is None


def test_shape_rows_keep_ties_in_file_order(cx: Cxgap) -> None:
    log = [
        Event("b", T0, "Pay", 0, "web"),
        Event("a", T0 + timedelta(hours=1), "Order", 1, None),
        Event("a", T0, "Visit", 2, "web"),
        Event("a", T0 + timedelta(hours=1), "Call", 3, "phone"),  # same time: after Order
        Event("b", T0 - timedelta(microseconds=1), "Ad", 4, "web"),
    ]
    with cx.transaction() as session:
        ws = create_workspace(session, key="acme", name="Acme")
        _store(session, ws, log)
    with cx.reading() as session:
        codes, rows = case_shapes(session, ws.id)
        read = [
            (
                case,
                codes.activity_names(a),
                codes.channels.decode(c),
                codes.touchpoints.decode(t),
                times,
            )
            for case, a, c, t, times in rows
        ]
    epoch = int(T0.timestamp()) * 1_000_000
    hour = 3_600_000_000
    assert read == [
        ("a", ["Visit", "Order", "Call"], ["web", None, "phone"], [None, None, None],
         [epoch, epoch + hour, epoch + hour]),
        ("b", ["Ad", "Pay"], ["web", "web"], [None, None], [epoch - 1, epoch]),
    ]  # fmt: skip


def test_names_are_coded_once_each() -> None:
    coded = Coded(["web"])
    assert coded.code("web") == 1 and coded.code(None) == 0
    assert coded.code("phone") == 2 and coded.code("phone") == 2
    assert coded.decode("2,0,1") == ["phone", None, "web"]
