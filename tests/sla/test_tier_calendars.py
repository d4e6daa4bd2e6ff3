"""Support hours per tier of the service menu, worked by hand.

The workspace calendar is the office week (Monday to Friday 09:00–12:30 and 13:30–18:00,
Europe/Paris, Christmas 2026-12-25 off). Standard has no hours of its own; Premium is open
08:00–20:00 on weekdays (the workspace's holidays kept); Enterprise round the clock, holidays
included. One policy promises a first response within 120 business minutes.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from cxgap.errors import ValidationError
from cxgap.sla.credits import compute_credits
from cxgap.sla.documents import read_cases, read_menu
from cxgap.sla.evaluation import evaluate_case
from cxgap.sla.policy import Metric
from cxgap.sla.reading import Reader
from tests.sla.builders import at, office_calendar, policies_zone

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri")
PREMIUM_HOURS = {
    **{day: [["08:00", "20:00"]] for day in WEEKDAYS},
    "sat": [],
    "sun": [],
}
ROUND_THE_CLOCK: dict[str, Any] = {
    "hours": {day: [["00:00", "24:00"]] for day in (*WEEKDAYS, "sat", "sun")},
    "holidays": [],
    "holiday_country": None,
}


def menu_document(**more: Any) -> dict[str, Any]:
    return {
        "calendar": office_calendar(holidays=["2026-12-25"]),
        "policies": [{"name": "all", "match": {}, "targets": {"first_response": 120}}],
        "tiers": [
            {"name": "standard", "fee": 100, "accounts": ["small"]},
            {
                "name": "premium",
                "fee": 500,
                "accounts": ["mid"],
                "calendar": {"hours": PREMIUM_HOURS},
            },
            {"name": "enterprise", "fee": 900, "accounts": ["big"], "calendar": ROUND_THE_CLOCK},
        ],
        **more,
    }


def due(created: str, tier: str) -> str:
    menu = read_menu(Reader("menu.json"), menu_document())
    [case] = read_cases(
        Reader("cases.json"), [{"id": "C", "created_at": created, "tier": tier}], policies_zone()
    )
    result = evaluate_case(menu.policies, case, at("2027-01-31T00:00:00+01:00"))
    clock = result.metrics[Metric.FIRST_RESPONSE].clock
    assert clock is not None
    return clock.due.astimezone(policies_zone()).isoformat() if clock.due else "none"


@pytest.mark.parametrize(
    ("created", "tier", "expected"),
    [
        # Saturday 10:00. Standard: Monday 09:00 + 120 min. Premium opens at 08:00 on Monday.
        # Enterprise works on Saturdays: two hours later.
        ("2026-12-05T10:00:00+01:00", "standard", "2026-12-07T11:00:00+01:00"),
        ("2026-12-05T10:00:00+01:00", "premium", "2026-12-07T10:00:00+01:00"),
        ("2026-12-05T10:00:00+01:00", "enterprise", "2026-12-05T12:00:00+01:00"),
        # Tuesday 11:30. Standard: 60 min before lunch, 60 after 13:30. Premium has no lunch
        # break: 13:30. Enterprise too.
        ("2026-12-08T11:30:00+01:00", "standard", "2026-12-08T14:30:00+01:00"),
        ("2026-12-08T11:30:00+01:00", "premium", "2026-12-08T13:30:00+01:00"),
        ("2026-12-08T11:30:00+01:00", "enterprise", "2026-12-08T13:30:00+01:00"),
        # Thursday 24 December 19:30. Standard is closed: Christmas (Friday), the weekend, then
        # Monday 28 09:00 + 120 = 11:00. Premium: 30 min on Thursday (to 20:00), Christmas
        # kept off, Monday 08:00 + 90 = 09:30. Enterprise ignores holidays: 21:30 that night.
        ("2026-12-24T19:30:00+01:00", "standard", "2026-12-28T11:00:00+01:00"),
        ("2026-12-24T19:30:00+01:00", "premium", "2026-12-28T09:30:00+01:00"),
        ("2026-12-24T19:30:00+01:00", "enterprise", "2026-12-24T21:30:00+01:00"),
        # A tier the menu does not know runs on the workspace calendar.
        ("2026-12-08T11:30:00+01:00", "gold", "2026-12-08T14:30:00+01:00"),
    ],
)
def test_the_same_case_is_due_at_the_hours_of_its_tier(
    created: str, tier: str, expected: str
) -> None:
    assert due(created, tier) == expected


def test_a_tier_calendar_keeps_the_workspace_zone_unless_it_names_one() -> None:
    menu = read_menu(Reader("menu.json"), menu_document())
    assert str(menu.tiers[1].calendar.zone) == "Europe/Paris"  # type: ignore[union-attr]
    assert menu.tiers[0].calendar is None
    assert set(menu.policies.tier_calendars) == {"premium", "enterprise"}
    document = menu_document()
    document["tiers"][1]["calendar"] = {"hours": PREMIUM_HOURS, "timezone": "America/Montreal"}
    montreal = read_menu(Reader("menu.json"), document)
    assert str(montreal.tiers[1].calendar.zone) == "America/Montreal"  # type: ignore[union-attr]


def test_credits_count_a_case_hit_on_its_tier_hours() -> None:
    """Friday 17:30, answered that evening at 19:45. Standard counts 30 min (the office
    closes at 18:00): hit. Premium is open until 20:00 and counts 135 min: missed."""
    cases = [
        {
            "id": f"C-{account}",
            "account": account,
            "created_at": "2026-12-04T17:30:00+01:00",
            "events": [{"at": "2026-12-04T19:45:00+01:00", "type": "reply", "by": "agent"}],
        }
        for account in ("small", "mid")
    ]
    menu = read_menu(Reader("menu.json"), menu_document())
    found = read_cases(Reader("cases.json"), cases, policies_zone())
    credits = compute_credits(menu, found, [], date(2026, 12, 1), at("2027-01-31T00:00:00+01:00"))
    rates = {c.account: (c.hit, c.missed) for c in credits}
    assert rates["small"] == (1, 0)
    assert rates["mid"] == (0, 1)


@pytest.mark.parametrize(
    ("calendar", "path"),
    [
        ({"timezone": "Europe/Paris"}, "tiers[1].calendar.hours"),
        ({"hours": {"mon": [["18:00", "08:00"]]}}, "tiers[1].calendar.hours.mon[0]"),
        ({"hours": PREMIUM_HOURS, "timezone": "Mars/Olympus"}, "tiers[1].calendar.timezone"),
        ("8-20", "tiers[1].calendar"),
    ],
)
def test_a_bad_tier_calendar_is_refused_at_its_path(calendar: object, path: str) -> None:
    document = menu_document()
    document["tiers"][1]["calendar"] = calendar
    with pytest.raises(ValidationError) as caught:
        read_menu(Reader("menu.json"), document)
    assert caught.value.problems[0].field == path
