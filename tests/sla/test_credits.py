"""Service credits per account and month, worked by hand (April 2026: 30 days = 43,200 min)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from cxgap.sla.credits import CreditRule, compute_credits, earned, month_bounds
from cxgap.sla.documents import read_cases, read_incidents, read_menu
from cxgap.sla.reading import Reader
from tests.sla.builders import at, office_calendar

PARIS = ZoneInfo("Europe/Paris")
MENU = {
    "calendar": office_calendar(),
    "policies": [{"name": "all", "match": {}, "targets": {"first_response": 60}}],
    "tiers": [
        {
            "name": "premium",
            "fee": 1000,
            "accounts": ["acme"],
            "sla_credits": [{"below": 95, "percent": 10}, {"below": 90, "percent": 25}],
            "availability_target": 99.9,
            "availability_credits": [{"below": 99.9, "percent": 10}, {"below": 99, "percent": 25}],
            "cap_percent": 30,
        },
        {
            "name": "standard",
            "fee": 99.99,
            "accounts": ["beta", "gamma"],
            "sla_credits": [{"below": 90, "percent": 5}],
            "availability_credits": [{"below": 99.95, "percent": 5}],
        },
    ],
}


def answered(case_id: str, account: str, created: str, reply: str | None) -> dict[str, Any]:
    events = [] if reply is None else [{"at": reply, "type": "reply", "by": "agent"}]
    return {"id": case_id, "account": account, "created_at": created, "events": events}


CASES = [
    # 1 April 01:30 in Paris (still 31 March in UTC): an April case, answered in time
    answered("A0", "acme", "2026-03-31T23:30:00Z", "2026-04-01T09:30+02:00"),
    answered("A1", "acme", "2026-04-06T09:00+02:00", "2026-04-06T09:30+02:00"),  # hit
    answered("A2", "acme", "2026-04-07T09:00+02:00", "2026-04-07T09:59+02:00"),  # hit
    answered("A3", "acme", "2026-04-08T09:00+02:00", "2026-04-08T11:00+02:00"),  # missed
    # 1 May 00:30 in Paris: a May case, left out although missed
    answered("A4", "acme", "2026-04-30T22:30:00Z", None),
    # 31 March in Paris: a March case, left out although missed
    answered("A5", "acme", "2026-03-31T21:00+02:00", None),
    # gamma: a single case still running at "now" → no hit or missed metric
    answered("G1", "gamma", "2026-04-30T17:30+02:00", None),
]
INCIDENTS = [
    {"start": "2026-04-10T10:00+02:00", "end": "2026-04-10T11:00+02:00", "accounts": ["acme"]},
    {"start": "2026-04-10T10:30+02:00", "end": "2026-04-10T12:00+02:00", "accounts": ["acme"]},
    {"start": "2026-03-31T23:00+02:00", "end": "2026-04-01T00:30+02:00", "accounts": "all"},
    {"start": "2026-04-20T10:00+02:00", "end": "2026-04-20T18:00+02:00", "accounts": ["other"]},
]


def statements(now: str = "2026-04-30T17:45+02:00") -> dict[str, Any]:
    menu = read_menu(Reader("menu.json"), MENU)
    cases = read_cases(Reader("cases.json"), CASES, PARIS)
    incidents = read_incidents(Reader("incidents.json"), INCIDENTS, PARIS)
    credits = compute_credits(menu, cases, incidents, date(2026, 4, 1), at(now))
    return {c.account: c for c in credits}


def test_month_clipping_overlap_thresholds_and_cap() -> None:
    acme = statements()["acme"]
    # cases of April in Paris time: A0, A1, A2 hit, A3 missed → 75 % (< 90: 25 %)
    assert (acme.hit, acme.missed, acme.sla_hit_rate) == (3, 1, 75.0)
    # downtime: 10:00–11:00 and 10:30–12:00 merge into 120 min; the "all" incident is clipped
    # to 00:00–00:30 on 1 April (30 min); "other"'s is not acme's: 150 min of 43,200
    assert acme.downtime == timedelta(minutes=150)
    assert acme.availability == 100 * (1 - 150 / 43_200)  # 99.653 %: < 99.9 → 10 %
    # 25 + 10 = 35, capped at 30 → 300.00 of a 1,000 fee
    assert (acme.credit_percent, acme.credit_amount) == (30, Decimal("300.00"))


def test_an_account_without_measured_metrics_has_no_rate_and_no_sla_credit() -> None:
    result = statements()
    beta, gamma = result["beta"], result["gamma"]
    assert (beta.sla_hit_rate, gamma.sla_hit_rate) == (None, None)
    # only the "all" incident: 30 min → 99.9306 % < 99.95 → 5 % of 99.99 = 4.9995 → 5.00
    assert beta.availability == 100 * (1 - 30 / 43_200)
    assert (beta.credit_percent, beta.credit_amount) == (5, Decimal("5.00"))


def test_a_metric_still_running_counts_once_settled() -> None:
    # G1 (created 30 April 17:30, nothing answered) is due 1 May 09:30; on 4 May it is missed
    gamma = statements(now="2026-05-04T12:00+02:00")["gamma"]
    assert (gamma.hit, gamma.missed, gamma.sla_hit_rate) == (0, 1, 0.0)


def test_the_largest_percent_among_the_thresholds_crossed() -> None:
    rules = [CreditRule(95, 10), CreditRule(90, 25)]
    # "below" is strict: exactly 95 earns nothing, exactly 90 earns the 95 rule only
    assert [earned(rules, m) for m in (100, 95, 94.99, 90, 89.9)] == [0, 0, 10, 10, 25]


def test_a_month_with_a_daylight_saving_change_is_an_hour_shorter() -> None:
    start, end = month_bounds(date(2026, 3, 1), PARIS)
    assert end - start == timedelta(days=31, hours=-1)  # 44,580 min
    start, end = month_bounds(date(2026, 12, 1), PARIS)
    assert (start.isoformat(), end.isoformat()) == (
        "2026-11-30T23:00:00+00:00",
        "2026-12-31T23:00:00+00:00",
    )
