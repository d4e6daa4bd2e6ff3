"""Scores over time: each period's estimate, interval and suppression."""

from __future__ import annotations

import pytest

from cxgap.analytics.timeseries import count_table, metric_series, period_point, period_range
from cxgap.errors import ValidationError


def test_csat_is_the_top_two_box_share_with_wilson_interval() -> None:
    point = period_point("2026-01-01", {5: 5, 4: 3, 2: 2}, "csat", min_group_size=10)
    assert (point.n, point.value) == (10, 0.8)
    assert point.ci == pytest.approx((0.4902, 0.9433), abs=1e-4)  # Wilson (1927)


def test_ces_is_the_mean_with_a_t_interval() -> None:
    # answers 3, 4, 4, 5 → mean 4, sd 0.8165, t(0.975, 3) = 3.1824 → ± 1.2992
    point = period_point("2026-01-01", {3: 1, 4: 2, 5: 1}, "ces", min_group_size=4)
    assert point.value == 4.0
    assert point.ci == pytest.approx((2.7008, 5.2992), abs=1e-4)


def test_small_periods_are_suppressed_but_keep_their_size() -> None:
    series = metric_series(
        {"2026-01-01": {10: 29}, "2026-02-01": {10: 20, 0: 10}},
        "nps",
        ["2026-01-01", "2026-02-01"],
        min_group_size=30,
    )
    first, second = series.points
    assert (first.n, first.value, first.suppressed) == (29, None, True)
    assert (second.value, second.suppressed) == (pytest.approx(100 / 3), False)
    assert series.total == 59


def test_periods_are_consecutive_with_gaps_filled() -> None:
    assert period_range("2025-12-01", "2026-01-01", "month") == ["2025-12-01", "2026-01-01"]
    assert period_range("2025-12-29", "2026-01-05", "week") == ["2025-12-29", "2026-01-05"]
    with pytest.raises(ValidationError, match="Monday"):
        period_range("2026-01-06", "2026-01-20", "week")


def test_values_outside_the_scale_are_refused() -> None:
    with pytest.raises(ValidationError, match="ces"):
        count_table({8: 1}, "ces")
