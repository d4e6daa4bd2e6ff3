"""Several groupings from one pass (``retention.grouped``): the paths gathered while the
purchases are read are those of ``groups.path_groups``, the entry path stops at the first
purchase, and each grouping's churn and value are those ``report.retention_report`` gives
for that grouping alone."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest

from cxgap.events.model import Event, in_case_order
from cxgap.retention.grouped import ENTRY, PATH, PathCollector, grouped_report
from cxgap.retention.groups import path_groups
from cxgap.retention.report import Settings, retention_report

START = datetime(2025, 1, 6, 9, tzinfo=UTC)
STEPS = ("ad", "website", "showroom", "Order placed", "delivery", "Live chat")


def _log(customers: int = 200, seed: int = 3) -> list[Event]:
    rng = random.Random(seed)
    events: list[Event] = []
    for i in range(customers):
        at = START + timedelta(days=rng.randrange(300))
        rate, leave = rng.gammavariate(2.0, 1 / 40), rng.betavariate(1.5, 5.0)
        level = rng.gammavariate(4.0, 50.0)
        going = True
        while going:  # purchase episodes, until the customer leaves
            going = rng.random() > leave
            for step in [*rng.sample(STEPS[:3], rng.randrange(0, 3)), "Order placed"]:
                spend = round(rng.gammavariate(6.0, level / 6.0) + 1.0, 2)
                amount = spend if step == "Order placed" else None
                touchpoint = None if step in ("Order placed", "Live chat") else step
                events.append(Event(f"c{i}", at, step, touchpoint=touchpoint, amount=amount))
                at += timedelta(hours=rng.randrange(1, 48))
            at += timedelta(days=2 + int(rng.expovariate(rate)))
    return [
        Event(e.case, e.timestamp, e.activity, n, touchpoint=e.touchpoint, amount=e.amount)
        for n, e in enumerate(sorted(events, key=lambda e: e.timestamp))
    ]


def test_paths_gathered_in_passing_are_those_of_path_groups() -> None:
    ordered = in_case_order(_log())
    collector = PathCollector()
    assert list(collector.watch(ordered)) == ordered  # the events flow on unchanged
    assert collector.groups(top=5) == path_groups(ordered, top=5)


def test_the_entry_path_stops_at_the_first_purchase() -> None:
    at = [START + timedelta(hours=h) for h in range(6)]
    events = [
        Event("a", at[0], "Ad seen", touchpoint="ad"),
        Event("a", at[1], "Visit", touchpoint="website"),
        Event("a", at[2], "Visit", touchpoint="website"),
        Event("a", at[3], "Order placed", amount=10.0),
        Event("a", at[4], "Visit", touchpoint="website"),
        Event("b", at[0], "Visit", touchpoint="website"),  # never bought: no entry path
    ]
    collector = PathCollector(lambda e: e.amount is not None)
    list(collector.watch(events))
    assert collector.entries == {"a": "ad → website → Order placed"}
    assert collector.paths["a"] == "ad → website → Order placed → website"
    with pytest.raises(ValueError, match="case order"):
        list(PathCollector().watch([events[0], events[5], events[1]]))


def test_each_grouping_gives_what_the_report_gives_for_it_alone() -> None:
    ordered = in_case_order(_log())
    cases = sorted({e.case for e in ordered})
    tiers = {case: ("gold" if n % 3 == 0 else "silver") for n, case in enumerate(cases)}
    nps = {case: n % 11 for n, case in enumerate(cases)}
    settings = Settings(inactivity_days=120)
    together = grouped_report(
        ordered, settings, {"tier": tiers}, cohort_grouping="tier", cohorts_by=("tier",), nps=nps
    )
    assert set(together.churn_by) == {"tier", ENTRY, PATH}
    for name, groups in together.groupings.items():
        alone = retention_report(ordered, settings, groups=groups, nps=nps)
        assert together.churn_by[name] == alone.churn_by_group
        assert alone.value is not None and together.value is not None
        assert together.value_by[name] == alone.value.groups  # one fit, the same data
    alone = retention_report(ordered, settings, groups=tiers, nps=nps)
    assert together.cohorts == alone.cohorts and together.churn == alone.churn
    assert together.cohorts_by == {"tier": alone.cohorts}
    assert together.stayed_left == alone.stayed_left
    assert together.at_risk == (alone.value.at_risk if alone.value else None)
