"""Compliance over a period: hit / (hit + missed), by group and metric, Wilson intervals."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cxgap.sla.cases import Case
from cxgap.sla.compliance import Share, measure_compliance
from cxgap.sla.credits import month_bounds
from cxgap.sla.documents import read_case
from cxgap.sla.policy import Metric
from cxgap.sla.reading import Reader
from tests.sla.builders import agent, at, customer, policies, policies_zone, status

RULES = policies(
    {"name": "gold", "match": {"tier": "gold"}, "targets": {"first_response": 60}},
    {"name": "any", "match": {}, "targets": {"first_response": 60, "resolution": 240}},
)
NOW = at("2026-04-15T12:00:00+02:00")


def make(case_id: str, created: str, *events: dict[str, Any], **attributes: Any) -> Case:
    document = {"id": case_id, "created_at": created, "events": list(events), **attributes}
    return read_case(Reader("cases.json"), document, "cases[0]", policies_zone())


def march() -> tuple[Any, Any]:
    return month_bounds(at("2026-03-01T00:00:00+01:00").date(), policies_zone())


@pytest.mark.parametrize(
    ("hit", "n", "low", "high"),
    [
        # Newcombe (1998), Statistics in Medicine 17:857, table I, method 3 (Wilson score);
        # statsmodels: proportion_confint(81, 263, method="wilson") gives the same
        (81, 263, 25.53, 36.62),
        (15, 148, 6.24, 16.05),
        (0, 20, 0.0, 16.11),
        (1, 29, 0.61, 17.18),
    ],
)
def test_wilson_intervals_match_the_published_values(
    hit: int, n: int, low: float, high: float
) -> None:
    interval = Share(hit, n - hit).interval
    assert interval is not None
    assert interval == pytest.approx((low, high), abs=0.005)


def test_a_share_under_30_metrics_is_flagged_small_and_an_empty_one_has_no_rate() -> None:
    assert Share(28, 1).small and not Share(29, 1).small
    assert Share(0, 0).rate is None and Share(0, 0).interval is None
    assert Share(3, 1).rate == 75.0


def test_compliance_counts_hit_and_missed_by_group_and_metric() -> None:
    cases = [
        # Monday 2 March: answered in 30 min (hit); resolved at 15:00, 210 + 90 = 300
        # business minutes of 240 (missed)
        make("A", "2026-03-02T09:00:00+01:00", agent("2026-03-02T09:30:00+01:00"),
             status("2026-03-02T15:00:00+01:00", "resolved"), channel="email", team="T1"),
        # answered after 2 h (missed), resolved after 180 minutes (hit)
        make("B", "2026-03-02T09:00:00+01:00", agent("2026-03-02T11:00:00+01:00"),
             status("2026-03-02T12:00:00+01:00", "resolved"), channel="chat", team="T1"),
        # still open on 15 April: first response missed, resolution missed too
        make("C", "2026-03-03T09:00:00+01:00", channel="email", team="T2"),
        # created 31 March 23:30 in Paris: a March case, though 21:30 UTC; answered at
        # 09:10 the next working morning (hit), never resolved (missed)
        make("D", "2026-03-31T23:30:00+02:00", agent("2026-04-01T09:10:00+02:00"),
             channel="email", team="T2"),
        # April: outside the month
        make("E", "2026-04-01T09:00:00+02:00", agent("2026-04-01T09:10:00+02:00"), team="T1"),
    ]  # fmt: skip
    start, end = march()
    result = measure_compliance(RULES, cases, start, end, NOW, by=["channel", "team"])
    assert result.cases == 4
    assert result.overall.metrics[Metric.FIRST_RESPONSE] == Share(2, 2)  # A, D hit; B, C missed
    assert result.overall.metrics[Metric.RESOLUTION] == Share(1, 3)  # B hit; A, C, D missed
    groups = {(g.dimension, g.value): g for g in result.groups}
    assert groups[("channel", "email")].overall == Share(2, 4)
    assert groups[("channel", "chat")].overall == Share(1, 1)
    assert groups[("team", "T1")].overall == Share(2, 2)
    assert [(g.dimension, g.value) for g in result.groups] == [
        ("channel", "chat"), ("channel", "email"), ("team", "T1"), ("team", "T2"),
    ]  # fmt: skip


def test_unmeasured_metrics_and_running_clocks_are_left_out() -> None:
    cases = [
        make("A", "2026-03-02T09:00:00+01:00", agent("2026-03-02T09:30:00+01:00"),
             status("2026-03-02T15:00:00+01:00", "resolved"), unmeasured=["resolution"]),
        make("B", "2026-03-02T09:00:00+01:00", agent("2026-03-02T09:10:00+01:00")),
    ]  # fmt: skip
    start, end = march()
    now = at("2026-03-02T10:00:00+01:00")  # B's resolution clock still running
    result = measure_compliance(RULES, cases, start, end, now)
    assert result.overall.overall == Share(2, 0)
    assert result.unmeasured == {"resolution": 1}
    assert result.not_counted == 1


def test_the_tier_comes_from_the_menu_and_chooses_the_policy() -> None:
    cases = [
        make("A", "2026-03-02T09:00:00+01:00", agent("2026-03-02T09:30:00+01:00"),
             account="acme"),
        make("B", "2026-03-02T09:00:00+01:00", customer("2026-03-02T09:05:00+01:00"),
             agent("2026-03-02T09:20:00+01:00"), account="globex"),
    ]  # fmt: skip
    start, end = march()
    tiers = {"acme": "gold"}
    result = measure_compliance(
        RULES, cases, start, end, NOW, by=["tier"], tier_of=lambda account: tiers.get(account or "")
    )
    groups = {g.value: g for g in result.groups}
    # gold: first response only (hit); no tier: the "any" policy, resolution missed
    assert groups["gold"].metrics == {Metric.FIRST_RESPONSE: Share(1, 0)}
    assert groups[None].metrics == {
        Metric.FIRST_RESPONSE: Share(1, 0),
        Metric.RESOLUTION: Share(0, 1),
    }


@given(hit=st.integers(0, 5000), missed=st.integers(0, 5000))
def test_the_interval_holds_the_rate_and_stays_within_0_and_100(hit: int, missed: int) -> None:
    share = Share(hit, missed)
    if share.n == 0:
        assert share.interval is None
        return
    low, high = share.interval or (None, None)
    assert low is not None and high is not None and share.rate is not None
    assert 0 <= low <= share.rate <= high <= 100
    # more of the same evidence narrows the interval
    wider = Share(hit, missed).interval
    narrower = Share(hit * 4, missed * 4).interval
    assert wider is not None and narrower is not None
    assert narrower[1] - narrower[0] <= wider[1] - wider[0] + 1e-9
