"""Purchase histories and churn on a log worked by hand (tests/retention/logs.py)."""

from __future__ import annotations

import math
from datetime import date

import pytest
from scipy.stats import norm

from cxgap.errors import ValidationError
from cxgap.retention.churn import churn, churn_by_group, statuses
from cxgap.retention.history import purchase_history
from tests.retention.logs import event, shop_log

CANCEL = ("cancel",)


def test_history_reads_purchase_days_and_the_cancellations_that_stand() -> None:
    history = purchase_history(shop_log(), cancel_activities=CANCEL)
    assert history.as_of == date(2025, 6, 30)  # the last event, a browse
    assert [c.case for c in history.customers] == ["A", "B", "C", "D", "E", "F"]
    a = history.by_case()["A"]
    assert a.days == (date(2025, 1, 5), date(2025, 2, 10), date(2025, 4, 1))
    assert a.spend == (15.0, 20.0, 30.0)
    assert history.by_case()["D"].cancelled_on == date(2025, 3, 1)
    assert history.by_case()["E"].cancelled_on is None  # bought again after cancelling
    assert history.purchase_days()["C"] == {
        date(2025, 2, 3): 40.0,
        date(2025, 3, 3): 40.0,
        date(2025, 6, 15): 40.0,
    }


def test_events_are_read_in_one_pass_and_said_as_json() -> None:
    once = purchase_history(iter(shop_log()), cancel_activities=CANCEL)
    assert once == purchase_history(shop_log(), cancel_activities=CANCEL)
    document = once.as_json()
    assert document["as_of"] == "2025-06-30"
    assert document["customers"][3] == {  # type: ignore[index]
        "case": "D",
        "purchases": [{"day": "2025-02-14", "spend": 25.0}],
        "cancelled_on": "2025-03-01",
    }
    assert statuses(once, 90)["D"].as_json() == {
        "case": "D",
        "left_on": "2025-03-01",
        "reason": "cancelled",
    }


def test_events_after_as_of_are_not_seen() -> None:
    history = purchase_history(shop_log(), cancel_activities=CANCEL, as_of=date(2025, 3, 31))
    cases = history.by_case()
    assert sorted(cases) == ["A", "B", "C", "D", "E"]  # F first bought in June
    assert cases["E"].cancelled_on == date(2025, 3, 20)  # the May purchase is not seen yet
    assert cases["A"].days[-1] == date(2025, 2, 10)


def test_named_purchase_activities_count_events_without_an_amount() -> None:
    log = [event("x", "2025-01-01", "subscribe"), event("x", "2025-02-01", "renew")]
    history = purchase_history(log, purchase_activities={"subscribe", "renew"})
    assert history.customers[0].spend == (0.0, 0.0)
    assert history.has_amounts is False


def test_a_negative_amount_is_refused_with_its_case_position_and_value() -> None:
    log = [*shop_log(), event("Z", "2025-01-01", amount=-3.0)]
    with pytest.raises(ValidationError) as caught:
        purchase_history(log)
    problem = caught.value.problems[0]
    assert (problem.field, problem.value, problem.row) == ("amount", -3.0, 0)
    assert "'Z'" in problem.message


def test_no_purchase_is_refused() -> None:
    with pytest.raises(ValidationError, match="no purchase"):
        purchase_history([event("x", "2025-01-01", "browse")])


def test_churn_counts_cancelled_and_inactive_customers() -> None:
    history = purchase_history(shop_log(), cancel_activities=CANCEL)
    result = churn(history, 90)
    # A: last purchase 2025-04-01 + 90 days = 2025-06-30 = as_of: gone; B: 2025-01-20, gone;
    # D cancelled; C (June), E (May) and F (June) are active.
    assert (result.customers, result.active, result.cancelled, result.inactive) == (6, 3, 1, 2)
    assert (result.churned.count, result.churned.n, result.churned.share) == (3, 6, 0.5)
    assert (result.repeat.count, result.repeat.share) == (3, 0.5)  # A, C and E
    # Wilson interval of 3/6, from its formula
    z = norm.ppf(0.975)
    half = z * math.sqrt(0.25 / 6 + z * z / 144) / (1 + z * z / 6)
    assert result.churned.ci == pytest.approx((0.5 - half, 0.5 + half))
    assert result.as_json()["churned"] == {
        "count": 3,
        "n": 6,
        "share": 0.5,
        "ci": [pytest.approx(0.5 - half), pytest.approx(0.5 + half)],
    }
    each = statuses(history, 90)
    assert (each["A"].left_on, each["A"].reason) == (date(2025, 4, 1), "inactive")
    assert (each["D"].left_on, each["D"].reason) == (date(2025, 3, 1), "cancelled")
    assert not each["E"].left


def test_one_day_longer_keeps_a_customer() -> None:
    history = purchase_history(shop_log(), cancel_activities=CANCEL)
    assert churn(history, 91).inactive == 1  # A is no longer gone, B still is


def test_churn_by_group_leaves_out_customers_without_a_group() -> None:
    history = purchase_history(shop_log(), cancel_activities=CANCEL)
    groups = churn_by_group(history, 90, {"A": "x", "B": "y", "C": "x", "F": "x"})
    assert list(groups) == ["x", "y"]
    assert (groups["x"].customers, groups["x"].churned.count, groups["x"].repeat.count) == (3, 1, 2)
    assert (groups["y"].customers, groups["y"].churned.count) == (1, 1)


@pytest.mark.parametrize("days", [0, -5, 1.5, True])
def test_inactivity_must_be_a_positive_whole_number_of_days(days: object) -> None:
    history = purchase_history(shop_log())
    with pytest.raises(ValidationError, match="inactivity_days"):
        churn(history, days)  # type: ignore[arg-type]
