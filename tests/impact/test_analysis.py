"""The segmented regression and the before/after fallback against statsmodels and scipy
(figures and the code that printed them in tests/impact/references.py)."""

from __future__ import annotations

from datetime import date

import pytest

from cxgap.errors import ValidationError
from cxgap.impact import Point, measure_impact
from cxgap.impact.result import Estimate
from cxgap.impact.segmented import newey_west_lags, z_estimate
from tests.impact.references import ITS, WELCH


def monthly(values: list[float], n: list[int] | None = None) -> list[Point]:
    """One point a month from January 2025."""
    return [
        Point(date(2025 + i // 12, i % 12 + 1, 1), v, n[i] if n else None)
        for i, v in enumerate(values)
    ]


def month(index: int) -> date:
    return date(2025 + index // 12, index % 12 + 1, 1)


def close(estimate: Estimate | None, expected: tuple[float, float, float, float]) -> None:
    assert estimate is not None
    got = (estimate.value, estimate.low, estimate.high, estimate.p)
    assert got == pytest.approx(expected, rel=1e-6, abs=1e-12)


@pytest.mark.parametrize("name", sorted(ITS))
def test_segmented_regression_matches_statsmodels_hac(name: str) -> None:
    ref = ITS[name]
    impact = measure_impact(monthly(ref.values, ref.n), month(ref.t0))
    assert impact.method == "segmented_regression"
    assert impact.hac_lags == ref.lags == newey_west_lags(len(ref.values))
    assert (impact.n_before, impact.n_after) == (ref.t0, len(ref.values) - ref.t0)
    close(impact.level, ref.level)
    close(impact.slope, ref.slope)


def test_the_answers_per_period_are_counted_not_weighted() -> None:
    ref = ITS["with_n"]
    assert ref.n is not None
    impact = measure_impact(monthly(ref.values, ref.n), month(ref.t0))
    assert impact.responses_before == sum(ref.n[: ref.t0])
    assert impact.responses_after == sum(ref.n[ref.t0 :])
    close(impact.level, ref.level)


def test_the_date_falls_to_the_first_period_on_or_after_it() -> None:
    ref = ITS["level_jump"]
    impact = measure_impact(monthly(ref.values), date(2025, 8, 2))  # mid-August → September
    assert impact.first_after == date(2025, 9, 1)
    assert impact.n_before == ref.t0
    close(impact.level, ref.level)


def test_points_in_any_order_are_put_in_date_order() -> None:
    ref = ITS["slope_change"]
    impact = measure_impact(list(reversed(monthly(ref.values))), month(ref.t0))
    close(impact.slope, ref.slope)


@pytest.mark.parametrize(("before", "after", "expected", "df"), WELCH)
def test_short_series_fall_back_to_welch_as_scipy(
    before: list[float], after: list[float], expected: tuple[float, ...], df: float
) -> None:
    impact = measure_impact(monthly(before + after), month(len(before)))
    assert impact.method == "before_after"
    assert impact.slope is None
    assert impact.df == pytest.approx(df, rel=1e-9)
    close(impact.level, expected)  # type: ignore[arg-type]


def test_fewer_than_three_periods_on_a_side_is_short_even_when_long_overall() -> None:
    values = ITS["null_ar1"].values
    assert measure_impact(monthly(values), month(2)).method == "before_after"
    assert measure_impact(monthly(values), month(28)).method == "before_after"
    assert measure_impact(monthly(values), month(3)).method == "segmented_regression"
    assert measure_impact(monthly(values[:7]), month(3)).method == "before_after"


def test_one_period_on_a_side_gives_the_difference_without_a_test() -> None:
    impact = measure_impact(monthly([3.0, 4.0, 5.0]), month(2))
    assert impact.level.value == pytest.approx(1.5)
    assert impact.as_json()["level_change_ci"] == [None, None]
    assert impact.as_json()["p_level"] is None


@pytest.mark.parametrize(
    ("when", "code"), [(date(2024, 1, 1), "no_before"), (date(2030, 1, 1), "no_after")]
)
def test_no_period_on_a_side_is_refused(when: date, code: str) -> None:
    with pytest.raises(ValidationError) as caught:
        measure_impact(monthly(ITS["level_jump"].values), when)
    assert caught.value.problems[0].code == code
    assert caught.value.problems[0].value == when.isoformat()


def test_lags_can_be_chosen_and_change_the_interval_not_the_estimate() -> None:
    ref = ITS["null_ar1"]
    chosen = measure_impact(monthly(ref.values), month(ref.t0), lags=0)
    assert chosen.hac_lags == 0
    assert chosen.level.value == pytest.approx(ref.level[0])
    assert chosen.level.high - chosen.level.low != pytest.approx(ref.level[2] - ref.level[1])


def test_no_variation_on_either_side_gives_the_difference_without_a_test() -> None:
    impact = measure_impact(monthly([2.0, 2.0, 2.0, 3.0, 3.0]), month(3))
    assert impact.method == "before_after"
    assert impact.as_json()["level_change"] == pytest.approx(1.0)
    assert impact.as_json()["level_change_ci"] == [None, None]
    assert impact.as_json()["p_level"] is None


@pytest.mark.parametrize("lags", [-1, 16])
def test_lags_outside_the_series_are_refused(lags: int) -> None:
    with pytest.raises(ValidationError) as caught:
        measure_impact(monthly(ITS["level_jump"].values), month(8), lags=lags)
    assert (caught.value.problems[0].code, caught.value.problems[0].value) == ("lags", lags)


def test_an_exact_fit_gives_the_changes_without_a_test() -> None:
    values = [1.0, 2.0, 3.0, 4.0, 10.0, 12.0, 14.0, 16.0]  # trend 1, jump 5, slope +1
    document = measure_impact(monthly(values), month(4)).as_json()
    assert document["method"] == "segmented_regression"
    assert document["level_change"] == pytest.approx(5.0)
    assert document["slope_change"] == pytest.approx(1.0)
    assert document["level_change_ci"][0] <= 5.0 + 1e-9  # type: ignore[index]


def test_a_zero_standard_error_gives_no_interval_and_no_p() -> None:
    exact = z_estimate(5.0, 0.0)
    assert exact.value == 5.0
    assert [exact.low, exact.high, exact.p] == [pytest.approx(float("nan"), nan_ok=True)] * 3
    assert z_estimate(5.0, 4.0).low == pytest.approx(5.0 - 1.959963984540054 * 2)
