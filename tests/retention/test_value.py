"""Lifetime value by group on the CDNOW sample, against the lifetimes package's figures for five
customers (tests/clv/references.py), and the value at risk of detractors."""

from __future__ import annotations

import csv
import gzip
from datetime import UTC, date, datetime
from functools import cache

import pytest

from cxgap.errors import ValidationError
from cxgap.events.model import Event
from cxgap.retention.history import purchase_history
from cxgap.retention.value import CustomerValues, customer_values, value_at_risk, value_by_group
from cxgap.retention.words import at_risk, how_computed
from tests.clv import references as ref
from tests.clv.data import SAMPLE
from tests.retention.logs import event

CALIBRATION_END = date(1997, 9, 30)
CLV = dict(zip(("1", "2", "3", "18", "100"), ref.LIFETIMES_CLV, strict=True))


def _cdnow_events() -> list[Event]:
    with gzip.open(SAMPLE, "rt", encoding="utf-8", newline="") as f:
        return [
            Event(
                case=row["customer"],
                timestamp=datetime.strptime(row["date"], "%Y%m%d").replace(tzinfo=UTC),
                activity="purchase",
                position=i,
                amount=float(row["amount"]),
            )
            for i, row in enumerate(csv.DictReader(f))
        ]


@cache
def cdnow_values() -> CustomerValues:
    # Everything after the calibration end is unseen: the fit is the 39-week one.
    history = purchase_history(_cdnow_events(), as_of=CALIBRATION_END)
    return customer_values(history)


def test_each_customers_value_matches_lifetimes() -> None:
    values = cdnow_values()
    assert len(values.values) == 2357
    assert values.fit.summary.calibration_end == CALIBRATION_END
    # lifetimes fitted on the summary rounded to the cent; the events give the exact spend
    # (Gamma-Gamma v = 15.4435 rather than 15.4477): the values agree to 0.1 %.
    for customer, expected in CLV.items():
        assert values.values[customer] == pytest.approx(expected, rel=1e-3)


def test_groups_sum_and_average_their_customers_values() -> None:
    values = cdnow_values()
    groups = {"1": "a", "2": "b", "3": "a", "18": "b", "100": "c"}
    result = value_by_group(values, groups)
    by_name = {g.group: g for g in result.groups}
    a = CLV["1"] + CLV["3"]
    assert by_name["a"].total == pytest.approx(a, rel=1e-3)
    assert by_name["a"].mean == pytest.approx(a / 2, rel=1e-3)
    assert by_name["b"].total == pytest.approx(CLV["2"] + CLV["18"], rel=1e-3)
    assert [g.group for g in result.groups] == ["a", "c", "b"]  # 44.6, 21.9, 11.0
    assert result.ungrouped.customers == 2352
    everyone = sum(values.values.values())
    assert result.total == pytest.approx(everyone)
    assert result.ungrouped.total + a + CLV["2"] + CLV["18"] + CLV["100"] == pytest.approx(
        everyone, rel=1e-6
    )
    assert by_name["a"].share == pytest.approx(a / everyone, rel=1e-3)
    assert result.as_json()["groups"][0]["customers"] == 2  # type: ignore[index]


def test_value_at_risk_is_the_detractors_value() -> None:
    values = cdnow_values()
    last_nps = {"1": 3, "18": 6, "2": 9, "100": 7}  # 1 and 18 are detractors
    risk = value_at_risk(values, last_nps)
    assert (risk.detractors.customers, risk.scored) == (2, 4)
    assert risk.detractors.total == pytest.approx(CLV["1"] + CLV["18"], rel=1e-3)
    share = (CLV["1"] + CLV["18"]) / (CLV["1"] + CLV["18"] + CLV["2"] + CLV["100"])
    assert risk.as_json()["share_of_scored"] == pytest.approx(share, rel=1e-3)
    english, french = at_risk(values, risk, "en"), at_risk(values, risk, "fr")
    assert (
        "the 2 customers whose last NPS was 0 to 6 (of 4 customers with an NPS) carry 43 of"
        in english
    )
    assert "les 2 clients dont le dernier NPS était de 0 à 6 (sur 4 clients ayant un NPS)" in french
    assert "of the 71,508 carried by all 2,357 customers." in english
    assert "des 71\u202f508 que portent les 2357 clients." in french


def test_how_it_was_computed_in_both_languages() -> None:
    values = cdnow_values()
    english = how_computed(values, "en")
    assert "next 12 periods of 4.345 weeks, discounted at 1.0% per period" in english
    assert "all 2,357 customers up to 1997-09-30" in english
    assert (
        "12 prochaines périodes de 4,345 semaines, actualisé à 1,0\u202f% par période"
        in how_computed(values, "fr")
    )


def test_value_needs_amounts() -> None:
    history = purchase_history(
        [event("x", "2025-01-01", "renew"), event("x", "2025-02-01", "renew")],
        purchase_activities={"renew"},
    )
    with pytest.raises(ValidationError, match="amounts"):
        customer_values(history)
