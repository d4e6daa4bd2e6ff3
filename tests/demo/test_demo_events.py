"""The demo's event log: deterministic, consistent with the demo's customers and journeys, and
telling the story the survey answers tell (the unhappy contact again, switch channels, leave)."""

from __future__ import annotations

import itertools
from collections import defaultdict
from datetime import UTC, datetime, time, timedelta
from functools import cache

import pytest

from cxgap.demo.events import ACTIVITIES, demo_events, mood_of
from cxgap.demo.generator import DEMO_TODAY, DemoData, generate_demo
from cxgap.demo.journeys import current_journey
from cxgap.demo.personas import demo_personas
from cxgap.events.model import Event, cases, in_case_order
from cxgap.retention.churn import churn_by_group, statuses
from cxgap.retention.cohorts import retention
from cxgap.retention.history import purchase_history
from cxgap.retention.stayed_left import stayed_vs_left
from cxgap.retention.value import customer_values, value_at_risk


@cache
def demo() -> DemoData:
    return generate_demo()


@cache
def log() -> tuple[Event, ...]:
    return tuple(demo_events(demo().customers))


def _moods() -> dict[str, str]:
    return {c.customer_ref or "": mood_of(c).name for c in demo().customers}


def test_the_same_seed_gives_the_same_log_and_another_seed_another() -> None:
    customers = demo().customers[:40]
    assert demo_events(customers, seed=7) == demo_events(customers, seed=7)
    assert demo_events(customers, seed=7) != demo_events(customers, seed=8)
    # each customer has their own stream: the others leave their events as they were
    alone = demo_events(customers[:1], seed=7)
    among = [e for e in demo_events(customers, seed=7) if e.case == alone[0].case]
    assert [(e.activity, e.timestamp, e.channel) for e in alone] == [
        (e.activity, e.timestamp, e.channel) for e in among
    ]


def test_every_event_belongs_to_a_demo_customer_and_a_demo_touchpoint() -> None:
    events = log()
    refs = {c.customer_ref for c in demo().customers}
    assert {e.case for e in events} == refs  # every surveyed customer bought at least once
    keys = {tp.key for tp in current_journey(demo_personas()[0]).touchpoints}
    designed = [e for e in events if e.touchpoint is not None]
    assert {e.touchpoint for e in designed} == keys  # every step of the map is lived
    assert all(e.activity == ACTIVITIES[e.touchpoint or ""] for e in designed)
    undesigned = {e.activity for e in events if e.touchpoint is None}
    assert undesigned == {"Delivery rescheduled", "Live chat", "Return requested"}
    channels = {tp.key: tp.channel for tp in current_journey(demo_personas()[0]).touchpoints}
    fixed = [e for e in designed if e.touchpoint not in {"order", "after-sales"}]
    assert all(e.channel == channels[e.touchpoint or ""] for e in fixed)


def test_times_positions_and_amounts() -> None:
    events = log()
    # two years of purchases; browsing before the first one starts at most 20 days earlier
    start = datetime.combine(DEMO_TODAY - timedelta(days=730 + 20), time(), UTC)
    end = datetime.combine(DEMO_TODAY, time.max, UTC)
    assert all(start <= e.timestamp <= end and e.timestamp.tzinfo is not None for e in events)
    assert [e.position for e in events] == list(range(len(events)))
    assert all(a.timestamp <= b.timestamp for a, b in itertools.pairwise(events))
    assert all((e.amount is not None) == (e.touchpoint == "order") for e in events)
    assert all(e.amount is not None and e.amount > 0 for e in events if e.touchpoint == "order")
    answered = {c.customer_ref: c.submitted_at for c in demo().customers}
    for case, path in cases(in_case_order(events)):
        first_order = next(e for e in path if e.touchpoint == "order")
        assert first_order.timestamp < (answered[case] or end)  # bought before answering


def _after_sales(events: tuple[Event, ...]) -> dict[str, list[Event]]:
    contacts: dict[str, list[Event]] = defaultdict(list)
    for event in in_case_order(events):
        if event.touchpoint == "after-sales":
            contacts[event.case].append(event)
    return contacts


def _rate(flags: dict[str, bool], moods: dict[str, str], mood: str) -> float:
    chosen = [flags.get(case, False) for case, m in moods.items() if m == mood]
    return sum(chosen) / len(chosen)


def test_the_unhappy_contact_again_and_switch_channels_more() -> None:
    moods, contacts = _moods(), _after_sales(log())
    repeat = {  # contacted after-sales again within 14 days
        case: any(b.timestamp - a.timestamp <= timedelta(days=14) for a, b in itertools.pairwise(c))
        for case, c in contacts.items()
    }
    switched = {
        case: any(a.channel != b.channel for a, b in itertools.pairwise(c))
        for case, c in contacts.items()
    }
    assert _rate(repeat, moods, "unhappy") > 2 * _rate(repeat, moods, "promoter")
    assert _rate(switched, moods, "unhappy") > 2 * _rate(switched, moods, "promoter")
    assert _rate(repeat, moods, "promoter") > 0 and _rate(switched, moods, "promoter") > 0


def test_trade_buyers_order_by_phone_more_than_the_others() -> None:
    segment = {c.customer_ref: c.segment_key for c in demo().customers}
    orders = [e for e in log() if e.touchpoint == "order"]
    by_phone = defaultdict(list)
    for order in orders:
        by_phone[segment[order.case] == "pro_buyer"].append(order.channel == "phone")
    assert (
        sum(by_phone[True]) / len(by_phone[True])
        > 0.4
        > sum(by_phone[False]) / len(by_phone[False])
    )


def test_detractors_leave_more_and_buy_again_less_and_the_leavers_said_so() -> None:
    history = purchase_history(log())
    moods = _moods()
    groups = churn_by_group(history, 365, moods)
    unhappy, promoter = groups["unhappy"], groups["promoter"]
    assert unhappy.churned.share is not None and promoter.churned.share is not None
    assert unhappy.churned.share > promoter.churned.share + 0.1
    assert (promoter.repeat.share or 0) > (unhappy.repeat.share or 0) + 0.1
    nps = {c.customer_ref or "": c.nps for c in demo().customers if c.nps is not None}
    compared = stayed_vs_left(statuses(history, 365), nps, {})
    assert compared.nps_difference.diff is not None and compared.nps_difference.diff > 15
    assert compared.nps_difference.p is not None and compared.nps_difference.p < 0.01


def test_cohorts_and_lifetime_value_are_filled() -> None:
    history = purchase_history(log())
    table = retention(history, months=12).overall
    months = [row.month for row in table.rows]
    assert months[0] == "2024-11" and "2026-08" in months and len(months) >= 22
    assert all(row.size >= 5 for row in table.rows if "2024-12" <= row.month <= "2026-08")
    assert sum(row.active[1] or 0 for row in table.rows) > 50  # bought again the next month
    values = customer_values(history)
    assert values.fit.bgnbd.fit.converged and values.fit.gamma_gamma is not None
    nps = {c.customer_ref or "": c.nps for c in demo().customers if c.nps is not None}
    risk = value_at_risk(values, nps)
    assert 0.1 < (risk.detractors.share or 0) < 0.5
    assert risk.detractors.customers == sum(score <= 6 for score in nps.values())


@pytest.mark.parametrize("seed", [1, 2026])
def test_a_small_demo_works_with_any_seed(seed: int) -> None:
    small = generate_demo(seed=seed, n_customers=30)
    events = demo_events(small.customers, seed=seed)
    assert {e.case for e in events} == {c.customer_ref for c in small.customers}
