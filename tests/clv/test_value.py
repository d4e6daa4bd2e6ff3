"""Customer lifetime value: lifetimes' figures on CDNOW, and what discounting must do."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest

from cxgap.clv import (
    Summary,
    conditional_expected_purchases,
    expected_spend,
    lifetime_value,
)
from tests.clv import references as ref
from tests.clv.data import cdnow_fits, chosen


def chosen_summary() -> Summary:
    x, t_x, T, m = chosen()
    ids = tuple(str(key) for key in ref.CUSTOMERS)
    return Summary(ids, x, t_x, T, m, date(1997, 9, 30), "W")


def test_twelve_months_at_one_percent_match_lifetimes() -> None:
    purchases, spend = cdnow_fits()
    value = lifetime_value(purchases, spend, chosen_summary(), periods=12,
                           period_length=4.345, discount_rate=0.01)  # fmt: skip
    assert value == pytest.approx(ref.LIFETIMES_CLV, rel=1e-4)


def test_undiscounted_value_is_expected_purchases_times_expected_spend() -> None:
    purchases, spend = cdnow_fits()
    summary = chosen_summary()
    value = lifetime_value(purchases, spend, summary, periods=6, period_length=13.0,
                           discount_rate=0.0)  # fmt: skip
    x, t_x, T, m = chosen()
    whole = conditional_expected_purchases(purchases, 78.0, x, t_x, T) * expected_spend(spend, x, m)
    assert value == pytest.approx(whole, rel=1e-10)
    discounted = lifetime_value(purchases, spend, summary, periods=6, period_length=13.0,
                                discount_rate=0.05)  # fmt: skip
    assert np.all(discounted < value)
    assert np.all(discounted > value / 1.05**6)


def test_a_nonsense_horizon_is_refused() -> None:
    purchases, spend = cdnow_fits()
    with pytest.raises(ValueError, match="periods"):
        lifetime_value(purchases, spend, chosen_summary(), periods=0, period_length=4.0,
                       discount_rate=0.01)  # fmt: skip
