"""The periods ``cxgap report executive --period`` accepts, and the one before each."""

from __future__ import annotations

from datetime import date

import pytest

from cxgap.errors import ValidationError
from cxgap.reporting.executive_period import parse_period


@pytest.mark.parametrize(
    ("text", "first", "last", "previous"),
    [
        ("2026-11", date(2026, 11, 1), date(2026, 11, 30), "2026-10"),
        ("2026-01", date(2026, 1, 1), date(2026, 1, 31), "2025-12"),
        ("2026-Q3", date(2026, 7, 1), date(2026, 9, 30), "2026-Q2"),
        ("2026-q1", date(2026, 1, 1), date(2026, 3, 31), "2025-Q4"),
        ("2026", date(2026, 1, 1), date(2026, 12, 31), "2025"),
        ("2026-09-01..2026-11-30", date(2026, 9, 1), date(2026, 11, 30), "2026-06-02..2026-08-31"),
    ],
)
def test_each_spelling_and_the_period_before(
    text: str, first: date, last: date, previous: str
) -> None:
    period = parse_period(text)
    assert (period.first, period.last) == (first, last)
    before = period.previous()
    assert before.label == previous
    if ".." in text:  # a range: the same number of days, ending the day before
        assert before.days == period.days and (period.first - before.last).days == 1


def test_default_is_the_last_full_month() -> None:
    assert parse_period(None, today=date(2026, 12, 3)).label == "2026-11"
    assert parse_period("", today=date(2027, 1, 1)).label == "2026-12"


@pytest.mark.parametrize(
    "text", ["2026-13", "2026-Q5", "26-11", "last month", "2026-11-31..2026-12-01", "0000-01"]
)
def test_anything_else_is_refused_naming_the_value(text: str) -> None:
    with pytest.raises(ValidationError) as caught:
        parse_period(text)
    assert caught.value.problems[0].field == "period"
    assert text in str(caught.value)


def test_a_range_that_ends_before_it_starts_is_refused() -> None:
    with pytest.raises(ValidationError, match="ends before it starts"):
        parse_period("2026-11-30..2026-11-01")
