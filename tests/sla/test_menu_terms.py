"""The service menu in words: hours grouped by day, durations, credit rules as sentences, the
targets read from the policies, and the next days off with their names."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from cxgap.sla.credits import CreditRule, Tier
from cxgap.sla.defaults import default_document
from cxgap.sla.documents import read_menu
from cxgap.sla.menu_terms import (
    credit_sentences,
    duration,
    hours_sentences,
    money,
    next_holidays,
    tier_targets,
)
from cxgap.sla.reading import Reader
from tests.sla.builders import calendar, office_calendar

NBSP = "\u00a0"


@pytest.mark.parametrize(
    ("minutes", "words"), [(30, "30 min"), (60, "1 h"), (150, "2 h 30 min"), (0, "0 min")]
)
def test_durations_in_hours_and_minutes(minutes: int, words: str) -> None:
    assert duration(minutes, "en").replace(NBSP, " ") == words


def test_hours_group_identical_days_and_name_the_lunch_break_zone_and_holidays() -> None:
    cal = calendar(office_calendar(holiday_country="FR", holidays=["2026-08-14"]))
    assert hours_sentences(cal, "en") == [
        "Monday to Friday: 09:00–12:30 and 13:30–18:00",
        "Saturday and Sunday: closed",
        "Times are local to Europe/Paris.",
        "Closed on public holidays (FR).",
        "Also closed on: 2026-08-14.",
    ]
    assert hours_sentences(cal, "fr")[:2] == [
        "Du lundi au vendredi : 09:00–12:30 et 13:30–18:00",
        "Samedi et dimanche : fermé",
    ]


def test_the_next_holidays_mix_public_and_company_days_in_order() -> None:
    cal = calendar(office_calendar(holiday_country="FR", holidays=["2026-12-24"]))
    found = next_holidays(cal, date(2026, 12, 1), "fr", count=3)
    assert [d.isoformat() for d, _ in found] == ["2026-12-24", "2026-12-25", "2027-01-01"]
    assert found[0][1] == "Fermeture de l'entreprise" and found[1][1] == "Noël"


def test_credit_rules_read_as_sentences_smallest_first_then_the_cap() -> None:
    tier = Tier(
        "premium",
        Decimal(1000),
        [],
        [CreditRule(90, 25), CreditRule(95, 10)],
        99.9,
        [CreditRule(99.9, 10)],
        50,
    )
    lines = [line.replace(NBSP, " ") for line in credit_sentences(tier, "en")]
    assert lines == [
        "If fewer than 95 % of response and resolution targets are met in a month, 10 % of the "
        "month's fee is credited.",
        "If fewer than 90 % of response and resolution targets are met in a month, 25 % of the "
        "month's fee is credited.",
        "If availability falls below 99.9 % in a month, 10 % of the month's fee is credited.",
        "Credits are added together and capped at 50 % of the month's fee.",
    ]
    french = credit_sentences(tier, "fr")[2].replace(NBSP, " ")
    assert "sous 99,9 %" in french


def test_targets_come_from_the_first_policy_matching_tier_and_priority() -> None:
    menu = read_menu(Reader("menu"), default_document())
    rows = tier_targets(menu.policies, "premium", ["urgent", "low", "unheard-of"])
    assert [(r.priority, r.policy) for r in rows] == [
        ("urgent", "premium urgent"),
        ("low", "premium low"),
        ("unheard-of", "same day"),  # no tier policy: the catch-all's first response only
    ]
    assert rows[0].targets == {"first_response": 60, "next_response": 120, "resolution": 480}
    assert rows[2].targets == {"first_response": 480}


def test_money_in_each_language() -> None:
    assert money(2900.0, "EUR", "fr") == f"2\u202f900{NBSP}€"
    assert money(2900.5, "EUR", "en") == "€2,900.50"
    assert money(99.0, "CHF", "en") == "CHF 99"
