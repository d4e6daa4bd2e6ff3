"""The paths report (``services.journey_paths``) on a small log written here, on SQLite and
PostgreSQL: every figure checked against counts made independently in the test (plain loops
over the log), the persona and segment filters, and the cache recomputed when the events,
the mapping or the feedback change, and only then."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy.orm import Session

from cxgap.db.event_writes import finish_import, set_activity_mapping, start_import, store_events
from cxgap.db.tables import Workspace
from cxgap.errors import NotFoundError, ValidationError
from cxgap.events.model import Event
from cxgap.journeys.model import Journey, Persona, Phase, Stage, Text, Touchpoint
from cxgap.services import journey_paths
from cxgap.services.core import Cxgap
from cxgap.services.journey_paths import PathsQuery, paths_report
from cxgap.services.journeys import create_journey, create_persona
from cxgap.services.segments import create_segment
from cxgap.services.workspaces import create_workspace
from tests.enrichment_factory import add_feedback

T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
DESIGN = ("visit", "order", "pay")
ACTIVITY = {"visit": "Visit", "order": "Order", "pay": "Pay"}
# case -> [(hours after T0, activity, channel)]
LOG: dict[str, list[tuple[float, str, str]]] = {
    "c1": [(0, "Visit", "web"), (1, "Order", "web"), (2, "Pay", "web")],
    "c2": [(0, "Visit", "web"), (1, "Order", "web"), (2, "Pay", "web")],
    "c3": [(0, "Visit", "web"), (5, "Call", "phone"), (30, "Call", "phone"), (31, "Order", "web")],
    "c4": [(0, "Order", "phone"), (1, "Visit", "web"), (2, "Visit", "web")],
    "c5": [(0, "Visit", "web"), (24 * 10, "Call", "phone"), (24 * 30, "Call", "shop")],
    "c6": [(0, "Visit", "web")],
}


def _events(log: dict[str, list[tuple[float, str, str]]]) -> list[Event]:
    return [
        Event(case, T0 + timedelta(hours=h), activity, position=i, channel=channel)
        for i, (case, h, activity, channel) in enumerate(
            (case, h, a, c) for case, rows in log.items() for h, a, c in rows
        )
    ]


def _journey() -> Journey:
    touchpoints = tuple(
        Touchpoint(key, Text(key.title(), key.title() + " (fr)"), "web", True) for key in DESIGN
    )
    stage = Stage("buy", Text("Buy", "Acheter"), Phase.DURING, touchpoints)
    return Journey("shop", Text("Shop", "Boutique"), stages=(stage,))


def _store(session: Session, ws: Workspace, log: dict[str, list[tuple[float, str, str]]]) -> None:
    import_id = start_import(session, ws.id, "log.csv", "generic")
    events = _events(log)
    store_events(session, ws.id, import_id, iter(events))
    finish_import(session, import_id, events=len(events), cases=len(log), skipped=0)


def _said(
    session: Session, ws: Workspace, customer: str, nps: int, score: float, segment: str
) -> None:
    item = add_feedback(
        session, ws, f"text of {customer}", nps=nps, score=score,
        findings=(("delivery", -0.8),) if score < 0 else (), attributes={"segment": segment},
    )  # fmt: skip
    item.customer_ref = customer


@pytest.fixture
def world(cx: Cxgap) -> Cxgap:
    with cx.transaction() as session:
        ws = create_workspace(session, key="acme", name="Acme")
        create_journey(session, workspace=ws, journey=_journey())
        create_segment(session, workspace=ws, key="pro", name_en="Pro", name_fr="Pro")
        create_persona(session, workspace=ws, persona=Persona("ana", "Ana", segment="pro"))
        _store(session, ws, LOG)
        set_activity_mapping(session, ws.id, {a: tp for tp, a in ACTIVITY.items()})
        _said(session, ws, "c1", 10, 0.6, "pro")
        _said(session, ws, "c3", 2, -0.7, "pro")
        _said(session, ws, "c4", 6, -0.5, "home")
    return cx


def _report(cx: Cxgap, query: PathsQuery = PathsQuery()) -> dict[str, Any]:
    with cx.transaction() as session:
        ws = session.query(Workspace).filter_by(key="acme").one()
        return paths_report(session, ws, query)


def test_the_figures_match_counts_made_by_hand(world: Cxgap) -> None:
    report = _report(world)
    # variants: by hand from LOG
    paths = Counter(tuple(a for _, a, _ in rows) for rows in LOG.values())
    assert report["cases"] == 6 and report["events"] == sum(len(r) for r in LOG.values())
    assert report["distinct_variants"] == len(paths) == 5
    assert report["variants"][0] == {
        "activities": ["Visit", "Order", "Pay"], "cases": 2, "share": 2 / 6,
    }  # fmt: skip
    # directly-follows: Visit -> Order in c1, c2 (1 h each); Call -> Order in c3 (1 h)
    edges = {(e["source"], e["target"]): e for e in report["graph"]["edges"]}
    assert edges[("Visit", "Order")]["events"] == 2 and edges[("Visit", "Order")]["cases"] == 2
    assert edges[("Visit", "Order")]["median_seconds"] == 3600.0
    assert edges[("Call", "Call")]["events"] == 2  # c3 and c5
    # funnel on touchpoints: visit reached by all but... c4 starts with Order then Visit
    steps = {s["step"]: s for s in report["funnel"]["steps"]}
    assert steps["visit"]["reached"] == 6  # every case has a Visit
    assert steps["order"]["reached"] == 3  # c1, c2, c3 (c4's Order comes before its Visit)
    assert steps["pay"]["reached"] == 2
    assert steps["order"]["median_seconds_from_previous"] == 3600.0  # 1 h, 1 h, 31 h
    # contacts by default: Call (mostly phone/shop); within 7 days: c3's first Call only
    rc = report["repeat_contacts"]
    assert report["filters"]["contacts"] == ["Call"]
    assert (rc["contacts"], rc["repeated"], rc["cases_with_repeat"]) == (4, 1, 1)
    by_channel = {c["channel"]: (c["contacts"], c["repeated"]) for c in rc["by_channel"]}
    assert by_channel == {"phone": (3, 1), "shop": (1, 0)}
    # channel switches: c3 web>phone>web = 2, c4 phone>web = 1, c5 web>phone>shop = 2
    sw = report["channel_switches"]
    assert sw["switches"] == 5
    assert {b["switches"]: b["cases"] for b in sw["by_bucket"]} == {"0": 3, "1": 1, "2": 2, "3+": 0}
    # rework: Call repeated in c3 (directly) and c5 (directly); Visit in c4 directly
    rework = {a["activity"]: a for a in report["rework"]["activities"]}
    assert report["rework"]["cases_with_loop"] == 3
    assert (rework["Call"]["cases"], rework["Call"]["repeated_cases"]) == (2, 2)
    # conformance: exact c1, c2; strict adds c6 (a skip); lenient ignores the undesigned
    # Calls (c3, c5) and refuses only c4 (Order, then back to Visit)
    c = report["conformance"]
    assert (c["exact"]["cases"], c["strict"]["cases"], c["lenient"]["cases"]) == (2, 3, 5)
    assert {u["activity"]: (u["events"], u["cases"]) for u in c["undesigned"]} == {"Call": (4, 2)}
    skipped = {t["touchpoint"]: t["skipped"] for t in c["touchpoints"]}
    assert skipped == {"visit": 0, "order": 2, "pay": 4}
    # lived lane: pay is the last touchpoint of c1 and c2
    lane = {cell["touchpoint"]: cell for cell in report["lane"]["cells"]}
    assert (lane["pay"]["cases"], lane["pay"]["left_after"]) == (2, 2)
    assert lane["visit"]["cases"] == 6
    # voice: c1 (10), c3 (2), c4 (6) answered
    assert report["answered_cases"] == 3
    by_repeat = {g["group"]: g for g in report["voice"]["by_repeat"]}
    assert by_repeat["yes"]["cases"] == 1 and by_repeat["yes"]["nps"]["score"] == -100.0
    assert by_repeat["yes"]["irritants"] == [{"topic": "delivery", "cases": 1}]
    no = by_repeat["no"]
    assert (no["cases"], no["answered"], no["nps"]["n"]) == (5, 2, 2)
    assert no["nps"]["score"] == 0.0  # one promoter (10), one detractor (6)


def test_persona_and_segment_keep_their_customers(world: Cxgap) -> None:
    pro = _report(world, PathsQuery(segment="pro"))
    assert pro["cases"] == 2 and pro["filters"]["segment"] == "pro"  # c1 and c3
    ana = _report(world, PathsQuery(persona="ana"))
    assert ana["cases"] == 2 and ana["filters"]["persona_segment"] == "pro"
    with pytest.raises(NotFoundError):
        _report(world, PathsQuery(persona="nobody"))
    with pytest.raises(ValidationError):
        _report(world, PathsQuery(within_days=0))


def test_the_cache_follows_events_mapping_and_feedback(
    world: Cxgap, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = _report(world)
    computed: list[int] = []
    real = journey_paths.compute_paths_report

    def counting(*args: Any, **kwargs: Any) -> dict[str, Any]:
        computed.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(journey_paths, "compute_paths_report", counting)
    assert _report(world) == first and computed == []  # from the cache
    with world.transaction() as session:
        ws = session.query(Workspace).filter_by(key="acme").one()
        _store(session, ws, {"c7": [(0, "Visit", "web")]})
    assert _report(world)["cases"] == 7 and len(computed) == 1
    with world.transaction() as session:
        ws = session.query(Workspace).filter_by(key="acme").one()
        set_activity_mapping(session, ws.id, {"Call": "order", "Visit": "visit"})
    assert _report(world)["conformance"]["undesigned"] == [] and len(computed) == 2
    with world.transaction() as session:
        ws = session.query(Workspace).filter_by(key="acme").one()
        _said(session, ws, "c2", 9, 0.5, "home")
    assert _report(world)["answered_cases"] == 4 and len(computed) == 3
    assert _report(world, PathsQuery(within_days=30))["repeat_contacts"]["within_days"] == 30
    assert len(computed) == 4
