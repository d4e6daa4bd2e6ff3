"""The calibration summary: a small file worked by hand (the same day twice is one purchase
day, weeks, the calibration end included, purchases after it left out) and the whole CDNOW
sample against its published summary."""

from __future__ import annotations

import gzip
from datetime import date

import pytest

from cxgap.clv import Columns, read_purchases, summarise
from tests.clv.data import SAMPLE, published_summary

HAND_MADE = """customer,date,amount
A,2024-01-01,10
A,2024-01-01,5
A,2024-01-08,20
A,2024-01-08 18:30,4
A,2024-01-15,30
A,2024-01-29,6
A,2024-03-01,99
B,2024-01-10,7
C,2024-02-01,8
"""


def hand_made(time_unit: str, end: date = date(2024, 1, 29)) -> dict[str, tuple[float, ...]]:
    purchases = read_purchases(HAND_MADE.splitlines(keepends=True), "shop.csv",
                               Columns("customer", "date", "amount"))  # fmt: skip
    summary = summarise(purchases.days, end, time_unit)
    columns = zip(summary.frequency, summary.recency, summary.T, summary.monetary, strict=True)
    rows = zip(summary.customers, columns, strict=True)
    return {customer: tuple(float(v) for v in row) for customer, row in rows}


def test_same_day_purchases_are_one_day_and_weeks_divide_by_seven() -> None:
    # A: days 1, 8, 15 and 29 January (the 29th is the calibration end, included); 1 March
    # is after it. Repeat days 8 (20 + 4), 15 (30) and 29 (6): frequency 3, mean 20.
    # Recency 28 days = 4 weeks, T 28 days. B bought once, 19 days before the end. C's first
    # purchase comes after the end: not a customer yet.
    assert hand_made("W") == {"A": (3.0, 4.0, 4.0, 20.0), "B": (0.0, 0.0, 19 / 7, 0.0)}
    assert hand_made("D") == {"A": (3.0, 28.0, 28.0, 20.0), "B": (0.0, 0.0, 19.0, 0.0)}


def test_an_earlier_calibration_end_cuts_the_purchases_after_it() -> None:
    # To 14 January: A's repeat day is the 8th only (24), T = 13 days; B is 4 days old.
    got = hand_made("D", date(2024, 1, 14))
    assert got == {"A": (1.0, 7.0, 13.0, 24.0), "B": (0.0, 0.0, 4.0, 0.0)}


def test_the_cdnow_purchases_give_the_published_summary() -> None:
    with gzip.open(SAMPLE, "rt", encoding="utf-8", newline="") as lines:
        purchases = read_purchases(lines, SAMPLE.name, Columns("customer", "date", "amount"))
    assert purchases.rows == 6919
    summary = summarise(purchases.days, date(1997, 9, 30), "W")
    published = published_summary()
    assert sorted(summary.customers) == sorted(published)
    assert summary.repeat_customers == 946
    for i, customer in enumerate(summary.customers):
        x, t_x, T, zbar = published[customer]
        assert summary.frequency[i] == x, customer
        got = (summary.recency[i], summary.T[i], summary.monetary[i])
        assert got == pytest.approx((t_x, T, zbar), abs=0.0051), customer
