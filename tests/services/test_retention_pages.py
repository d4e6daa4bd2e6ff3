"""The retention and value pages' figures (``services.retention_pages``) on SQLite and
PostgreSQL, from a small purchase log built here and checked against figures worked out
independently: churn, repeat purchases, a cohort row, churn by segment, the NPS of those who
stayed vs those who left, and a CLV fit equal to ``cxgap clv fit`` on the same purchases
written as a CSV file, with group sums and the value at risk from that fit's own values."""

from __future__ import annotations

import csv
import json
import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pytest
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from cxgap.cli.main import app as cli
from cxgap.clv import Purchases, fit_clv, lifetime_value
from cxgap.db.event_writes import finish_import, start_import, store_events
from cxgap.db.tables import PersonaRow, Workspace
from cxgap.errors import ValidationError
from cxgap.events.model import Event
from cxgap.services.core import Cxgap
from cxgap.services.retention_pages import retention_pages
from cxgap.services.retention_pages_settings import PageSettings, settings_from_query
from cxgap.services.workspaces import bump_revision
from tests.factories import make_workspace
from tests.listening_factories import add_feedback

AS_OF = date(2026, 6, 30)
SEGMENTS = ("pro", "home")


@dataclass(frozen=True)
class Customer:
    ref: str
    segment: str
    nps: int
    days: tuple[date, ...]
    spend: tuple[float, ...]


def _customers(n: int = 240, seed: int = 14) -> list[Customer]:
    """Customers buying at their own rate, leaving after a purchase with their own chance,
    spending around their own level: the story BG/NBD and Gamma-Gamma assume."""
    rng = random.Random(seed)
    made: list[Customer] = []
    for i in range(n):
        start = date(2025, 1, 1) + timedelta(days=rng.randrange(0, 420))
        rate, leave = rng.gammavariate(2.0, 1 / 40), rng.betavariate(1.5, 6.0)
        level = rng.gammavariate(4.0, 25.0)
        days, day = [start], start
        while rng.random() > leave:
            day += timedelta(days=max(1, int(rng.expovariate(rate))))
            if day > AS_OF:
                break
            days.append(day)
        spend = tuple(round(rng.gammavariate(6.0, level / 6.0) + 1.0, 2) for _ in days)
        nps = rng.choice((2, 5, 6, 7, 8, 9, 10, 10)) if i % 7 else 0
        made.append(Customer(f"c{i:03d}", SEGMENTS[i % 2], nps, tuple(sorted(set(days))), spend))
    return made


def _events(customers: list[Customer]) -> list[Event]:
    events: list[Event] = []
    for c in customers:
        for day, amount in zip(c.days, c.spend, strict=False):
            at = datetime.combine(day, time(10), UTC)
            events.append(Event(c.ref, at, "Browse", channel="web", touchpoint="website"))
            events.append(Event(c.ref, at + timedelta(minutes=5), "Order placed", amount=amount))
    events.append(Event("c000", datetime.combine(AS_OF, time(18), UTC), "Browse"))  # the last day
    events.sort(key=lambda e: (e.timestamp, e.case))
    return [
        Event(
            e.case, e.timestamp, e.activity, i, e.channel, touchpoint=e.touchpoint, amount=e.amount
        )
        for i, e in enumerate(events)
    ]


def _store(session: Session, workspace: Workspace, events: list[Event]) -> None:
    import_id = start_import(session, workspace.id, "log.csv", "generic")
    stored = store_events(session, workspace.id, import_id, events)
    finish_import(session, import_id, events=stored, cases=len({e.case for e in events}), skipped=0)


def _world(cx: Cxgap, customers: list[Customer]) -> None:
    with cx.transaction() as session:
        workspace = make_workspace(session)  # segments pro and home, without rules
        session.add(
            PersonaRow(workspace_id=workspace.id, key="paul", name="Paul", segment_key="pro")
        )
        for c in customers:
            item = add_feedback(
                session,
                workspace,
                f"about {c.ref}",
                collected_at=datetime(2026, 3, 1, tzinfo=UTC),
                segment=c.segment,
                nps=c.nps,
                counts=False,  # the Listening counts are not read here
            )
            item.customer_ref = c.ref
        _store(session, workspace, _events(customers))


def _pages(cx: Cxgap, chosen: PageSettings | None = None) -> dict[str, object]:
    from cxgap.services.workspaces import get_workspace

    with cx.transaction() as session:
        return retention_pages(session, get_workspace(session, "acme"), chosen or PageSettings())


def _gone(c: Customer, days: int = 365) -> bool:
    return c.days[-1] + timedelta(days=days) <= AS_OF


def _nps(scores: list[int]) -> float:
    return 100.0 * (sum(s >= 9 for s in scores) - sum(s <= 6 for s in scores)) / len(scores)


def test_retention_figures_match_an_independent_count(cx: Cxgap) -> None:
    customers = _customers()
    _world(cx, customers)
    payload = _pages(cx)
    assert payload["empty"] is None and payload["cached"] is False
    r = payload["retention"]
    assert isinstance(r, dict)
    assert r["as_of"] == AS_OF.isoformat() and r["customers"] == len(customers)
    gone = [c for c in customers if _gone(c)]
    assert r["churn"]["churned"]["count"] == len(gone)
    assert r["churn"]["repeat"]["count"] == sum(len(c.days) > 1 for c in customers)
    pro = [c for c in customers if c.segment == "pro"]
    assert r["by"]["segment"]["pro"]["customers"] == len(pro)
    assert r["by"]["segment"]["pro"]["churned"]["count"] == sum(_gone(c) for c in pro)
    assert r["by"]["persona"]["paul"]["customers"] == len(pro)  # Paul stands for pro
    assert set(r["by"]["persona"]) == {"paul"}
    # the oldest cohort: customers who first bought in January 2025, and who bought in March
    first = [c for c in customers if (c.days[0].year, c.days[0].month) == (2025, 1)]
    row = r["cohorts"]["overall"]["cohorts"][0]
    assert row["cohort"] == "2025-01" and row["size"] == len(first)
    march = sum(any((d.year, d.month) == (2025, 3) for d in c.days) for c in first)
    assert row["active"][2] == march
    assert set(r["cohorts"]["groups"]) == set(SEGMENTS)
    # by persona: Paul's customers are the pro segment's, counted again from the log
    paul = r["cohorts_by"]["persona"]
    assert set(paul["groups"]) == {"paul"} and paul["ungrouped"] == len(customers) - len(pro)
    assert paul["groups"]["paul"] == r["cohorts"]["groups"]["pro"]
    first_pro = [c for c in pro if (c.days[0].year, c.days[0].month) == (2025, 1)]
    row = paul["groups"]["paul"]["cohorts"][0]
    assert row["size"] == len(first_pro)
    assert row["active"][2] == sum(
        any((d.year, d.month) == (2025, 3) for d in c.days) for c in first_pro
    )
    # stayed vs left: each side's NPS from the customers' scores
    sides = r["stayed_vs_left"]
    stayed = [c.nps for c in customers if not _gone(c)]
    left = [c.nps for c in gone]
    assert sides["stayed"]["nps"]["score"] == pytest.approx(_nps(stayed))
    assert sides["left"]["nps"]["score"] == pytest.approx(_nps(left))
    assert sides["differences"]["nps"]["diff"] == pytest.approx(_nps(stayed) - _nps(left))


def _csv(customers: list[Customer], folder: Path) -> Path:
    path = folder / "purchases.csv"
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(["customer", "date", "amount"])
        for c in customers:
            for day, amount in zip(c.days, c.spend, strict=False):
                writer.writerow([c.ref, day.isoformat(), amount])
    return path


def test_the_value_fit_is_that_of_cxgap_clv_fit_on_the_same_purchases(
    cx: Cxgap, tmp_path: Path
) -> None:
    customers = _customers()
    _world(cx, customers)
    value = _pages(cx)["value"]
    assert isinstance(value, dict) and value["problem"] is None
    command = [
        "clv", "fit", "--transactions", str(_csv(customers, tmp_path)),
        "--customer-column", "customer", "--date-column", "date", "--amount-column", "amount",
        "--calibration-end", AS_OF.isoformat(), "--time-unit", "W", "--format", "json",
    ]  # fmt: skip
    printed = CliRunner().invoke(cli, command)
    assert printed.exit_code == 0, printed.output
    fitted = json.loads(printed.output)
    for model, names in (("bgnbd", "r alpha a b"), ("gamma_gamma", "p q v")):
        for name in names.split():
            assert value["fit"][model][name] == pytest.approx(fitted[model][name], rel=1e-6)
    assert value["fit"]["customers"] == fitted["customers"] == len(customers)
    # each customer's 12-month value from the library directly, summed here by segment
    days = {c.ref: dict(zip(c.days, c.spend, strict=False)) for c in customers}
    fit = fit_clv(Purchases(days, sum(len(c.days) for c in customers), True), AS_OF, "W")
    assert fit.gamma_gamma is not None
    each = lifetime_value(
        fit.bgnbd, fit.gamma_gamma, fit.summary, periods=12, period_length=4.345, discount_rate=0.01
    )
    clv = dict(zip(fit.summary.customers, (float(v) for v in each), strict=True))
    assert value["total"] == pytest.approx(sum(clv.values()), rel=1e-6)
    by_segment = {g["group"]: g["total"] for g in value["by"]["segment"]["groups"]}
    for segment in SEGMENTS:
        mine = sum(clv[c.ref] for c in customers if c.segment == segment)
        assert by_segment[segment] == pytest.approx(mine, rel=1e-6)
    detractors = [c.ref for c in customers if c.nps <= 6]
    risk = value["at_risk"]
    assert risk["detractors"] == len(detractors)
    assert risk["total"] == pytest.approx(sum(clv[ref] for ref in detractors), rel=1e-6)
    assert "BG/NBD" in value["words"]["en"]["how"] and "BG/NBD" in value["words"]["fr"]["how"]


def test_figures_are_cached_until_the_events_or_the_feedback_change(cx: Cxgap) -> None:
    customers = _customers(n=60)
    _world(cx, customers)
    first = _pages(cx)
    again = _pages(cx)
    assert (first["cached"], again["cached"]) == (False, True)
    assert again["retention"] == first["retention"]
    with cx.transaction() as session:
        from cxgap.services.workspaces import get_workspace

        workspace = get_workspace(session, "acme")
        late = datetime(2026, 6, 30, 20, tzinfo=UTC)
        _store(session, workspace, [Event("new", late, "Order placed", amount=10.0)])
    after_events = _pages(cx)
    assert after_events["cached"] is False
    assert after_events["retention"]["customers"] == len(customers) + 1  # type: ignore[index]
    assert _pages(cx)["cached"] is True
    with cx.transaction() as session:
        bump_revision(session, get_workspace(session, "acme").id)  # what a feedback import does
    assert _pages(cx)["cached"] is False
    # other settings are another entry of the cache
    assert _pages(cx, PageSettings(inactivity_days=90))["cached"] is False


def test_empty_states_name_what_is_missing(cx: Cxgap) -> None:
    with cx.transaction() as session:
        workspace = make_workspace(session)
    assert _pages(cx)["empty"] == "no_events"
    with cx.transaction() as session:
        at = datetime(2026, 1, 5, tzinfo=UTC)
        _store(session, workspace, [Event("a", at, "Browse"), Event("b", at, "Browse", 1)])
    payload = _pages(cx)
    assert payload["empty"] == "no_purchases" and payload["value"] is None
    chosen = settings_from_query({"purchases": ["Browse"]})
    value = _pages(cx, chosen)["value"]  # purchases without amounts, no repeat: no CLV fit
    assert isinstance(value, dict) and value["fit"] is None
    assert value["problem"]["fr"]["message"] and value["problem"]["en"]["code"]
    with pytest.raises(ValidationError) as refused:
        _pages(cx, settings_from_query({"purchases": ["Order placed"]}))
    problem = refused.value.problems[0]
    assert (problem.field, problem.value, problem.code) == (
        "purchases",
        "Order placed",
        "unknown_activity",
    )


def test_settings_are_read_from_the_query_string_naming_each_refused_value() -> None:
    chosen = settings_from_query(
        {"inactivity_days": ["90"], "horizon": ["24"], "purchases": ["A, B", "C"]}
    )
    assert chosen == PageSettings(90, 24, ("A", "B", "C"), "purchase")
    assert settings_from_query({}) == PageSettings()
    with pytest.raises(ValidationError) as refused:
        settings_from_query({"inactivity_days": ["0"], "horizon": ["x"], "basis": ["weekly"]})
    found = [(p.field, p.value, p.code) for p in refused.value.problems]
    assert found == [
        ("inactivity_days", "0", "range"),
        ("horizon", "x", "range"),
        ("basis", "weekly", "choice"),
    ]
