"""Purchase dates as exports write them: the order a column shows, the order the person
chooses, compact and ISO dates with times and offsets; the date as written is the day."""

from __future__ import annotations

from datetime import date

import pytest

from cxgap.clv import Columns, read_purchases
from cxgap.errors import ValidationError


def days(*values: str, order: str | None = None) -> list[date]:
    text = "client;quand\n" + "".join(f"c{i};{v}\n" for i, v in enumerate(values))
    purchases = read_purchases(text.splitlines(keepends=True), "f.csv", Columns("client", "quand"),
                               date_order=order)  # fmt: skip
    return [next(iter(purchases.days[f"c{i}"])) for i in range(len(values))]


def test_a_day_over_twelve_shows_the_column_is_day_first() -> None:
    assert days("05/03/2024", "23/04/2016 14:05") == [date(2024, 3, 5), date(2016, 4, 23)]


def test_a_day_over_twelve_in_second_place_shows_month_first() -> None:
    assert days("05/03/2024", "4/23/2016 9:01 PM") == [date(2024, 5, 3), date(2016, 4, 23)]


def test_compact_and_iso_dates_with_offsets_keep_the_written_day() -> None:
    got = days("19970101", "2024-01-31T23:30:00-05:00", "2024-02-01 00:10:00+09:00")
    assert got == [date(1997, 1, 1), date(2024, 1, 31), date(2024, 2, 1)]


def test_dates_that_read_both_ways_need_an_order() -> None:
    with pytest.raises(ValidationError) as caught:
        days("05/03/2024", "06/04/2024")
    problem = caught.value.problems[0]
    assert (problem.code, problem.field, problem.value) == ("ambiguous_date", "quand", "05/03/2024")
    assert days("05/03/2024", "06/04/2024", order="mdy") == [date(2024, 5, 3), date(2024, 6, 4)]
    assert days("05/03/2024", "06/04/2024", order="dmy") == [date(2024, 3, 5), date(2024, 4, 6)]


def test_a_column_mixing_both_orders_is_refused() -> None:
    with pytest.raises(ValidationError) as caught:
        days("23/04/2016", "4/23/2016")
    assert caught.value.problems[0].code == "format"


@pytest.mark.parametrize("value", ["2024-02-30", "20241301", "yesterday", "12.03.2024 et plus"])
def test_a_value_that_is_no_date_is_refused_on_its_row(value: str) -> None:
    with pytest.raises(ValidationError) as caught:
        days("2024-01-01", value)
    problem = caught.value.problems[0]
    assert (problem.code, problem.row, problem.value, problem.source) == ("date", 3, value, "f.csv")
