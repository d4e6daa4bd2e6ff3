"""Promised times, French and English, against the SLA due time. The reply is written on
Friday 4 December 2026 at 10:00 in Paris; business time is Monday to Friday, 09:00–18:00."""

from __future__ import annotations

from datetime import datetime

import pytest

from cxgap.tone.promises import office_calendar, promises
from tests.tone.helpers import NOW, PARIS, codes, context

CALENDAR = office_calendar(PARIS)


def at(day: int, hour: int, minute: int = 0, month: int = 12, year: int = 2026) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=PARIS)


DEADLINES = [
    ("We will get back to you within 48 hours.", "within 48 hours", at(6, 10)),
    ("Nous revenons vers vous sous 24/48h.", "sous 24/48h", at(6, 10)),
    ("Réponse sous 4 heures ouvrées.", "sous 4 heures ouvrées", at(4, 14)),
    ("You will hear from us within the hour.", "within the hour", at(4, 11)),
    ("You will be refunded in 2 to 3 business days.", "in 2 to 3 business days", at(9, 18)),
    ("Remboursement sous 3 jours ouvrés.", "sous 3 jours ouvrés", at(9, 18)),
    ("Je vous rappelle demain matin.", "demain", at(5, 23, 59)),
    ("I will call you tomorrow.", "tomorrow", at(5, 23, 59)),
    ("Vous aurez une réponse dans la journée.", "dans la journée", at(4, 18)),
    ("Nous vous répondons d'ici lundi.", "d'ici lundi", at(7, 18)),
    ("The replacement will ship by Wednesday.", "by Wednesday", at(9, 18)),
    ("Livraison prévue le 15 décembre.", "le 15 décembre", at(15, 18)),
    ("Delivery on December 15th at the latest.", "on December 15th", at(15, 18)),
    ("Le remboursement arrivera avant le 12/01/2027.", "le 12/01/2027", at(12, 18, 0, 1, 2027)),
    ("It will be sorted by 10 January.", "by 10 January", at(10, 23, 59, 1, 2027)),
    (
        "Comptez deux semaines pour la réparation, en deux semaines c'est réglé.",
        "en deux semaines",
        at(18, 18),
    ),
    ("We will replace it in a few days.", "in a few days", at(7, 18)),
    ("Réponse dans les 72 heures.", "dans les 72 heures", at(7, 10)),
    ("Someone will call you under 30 minutes.", "under 30 minutes", at(4, 10, 30)),
    ("It will be fixed by end of day.", "by end of day", at(4, 18)),
    ("It arrives the day after tomorrow.", "the day after tomorrow", at(6, 23, 59)),
    ("Livraison après-demain.", "après-demain", at(6, 23, 59)),
    ("Ships on 2026-12-15.", "on 2026-12-15", at(15, 18)),
]


@pytest.mark.parametrize(("text", "said", "deadline"), DEADLINES)
def test_each_promise_gives_its_latest_instant(text: str, said: str, deadline: datetime) -> None:
    found = list(promises(text, NOW, CALENDAR))
    assert [(p.text, p.deadline) for p in found] == [(said, deadline)]


def test_business_hours_carry_over_the_weekend() -> None:
    """4 business hours from Friday 16:00: two on Friday, two on Monday morning."""
    friday_afternoon = at(4, 16)
    (promise,) = promises("within 4 business hours", friday_afternoon, CALENDAR)
    assert promise.deadline == at(7, 11)


NO_PROMISE = [
    "Thank you for your order 12/12, which we are preparing.",
    "Your order of 3 items is on its way.",
    "Nous avons bien reçu vos 2 colis.",
    "Le colis fait 48 cm de long.",
    "Nous reviendrons vers vous dans les prochains jours.",
    "We opened in 2025 and have 12 shops.",
    "Rendez-vous le 31/02 ?",
    "Nous avons bien reçu votre courrier du 28 novembre.",
    "Votre commande passée le 1er décembre est en préparation.",
    "We received your letter on November 30th.",
    "Ce bon est valable jusqu'au 30 juin dans tous nos magasins.",
]


@pytest.mark.parametrize("text", NO_PROMISE)
def test_numbers_that_are_not_times_promise_nothing(text: str) -> None:
    assert list(promises(text, NOW, CALENDAR)) == []


DUE_IN_4_BUSINESS_HOURS = at(4, 14)


@pytest.mark.parametrize(
    ("language", "text", "fault"),
    [
        ("en", "We will get back to you within 48 hours.", "within 48 hours"),
        ("en", "Our team will call you tomorrow.", "tomorrow"),
        ("fr", "Nous revenons vers vous sous 2 jours ouvrés.", "sous 2 jours ouvrés"),
        ("fr", "Vous aurez une réponse d'ici lundi.", "d'ici lundi"),
    ],
)
def test_a_promise_past_the_due_time_is_found(language: str, text: str, fault: str) -> None:
    ctx = context(language, due=DUE_IN_4_BUSINESS_HOURS)  # type: ignore[arg-type]
    assert codes(text, ctx, "promise_after_due") == [fault]


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", "I will call you back within 2 hours."),
        ("en", "You will hear from us within the hour."),
        ("fr", "Je vous rappelle sous 3 heures."),
        ("fr", "Je vous rappelle dans l'heure."),
    ],
)
def test_a_promise_inside_the_due_time_is_fine(language: str, text: str) -> None:
    ctx = context(language, due=DUE_IN_4_BUSINESS_HOURS)  # type: ignore[arg-type]
    assert codes(text, ctx, "promise_after_due") == []


def test_without_a_due_time_no_promise_is_judged() -> None:
    assert codes("We will reply within 3 weeks.", context("en"), "promise") == []


def test_the_message_names_the_promise_and_the_due_time_in_the_calendar_zone() -> None:
    from cxgap.tone.check import check_draft
    from cxgap.tone.report import finding_message

    ctx = context("fr", due=DUE_IN_4_BUSINESS_HOURS)
    (finding,) = [f for f in check_draft("Réponse sous 48h.", ctx) if f.code.startswith("prom")]
    message = finding_message(finding, "fr")
    assert "sous 48h" in message and "2026-12-06 10:00" in message
    assert "2026-12-04 14:00" in message
    assert "later than the SLA due time" in finding_message(finding, "en")
