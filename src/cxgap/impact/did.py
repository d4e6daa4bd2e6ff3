"""Difference-in-differences: the change in a treated series at the action's date, net of the
change an untouched (control) series shows at the same date.

On the periods both series have, stacked (treated rows first, each in date order), ordinary
least squares fits ``y = a + b·treated + c·post + d·treated·post``; ``d`` is the effect. Its
errors are Newey–West within each series (heteroskedasticity- and autocorrelation-robust,
Bartlett weights), as statsmodels'
``OLS(y, X).fit(cov_type="hac-panel", cov_kwds={"groups": g, "maxlags": L})`` computes them:
its default small-sample factor ``nobs / (nobs − k)``, normal (z) intervals and p-values.

The assumption that makes ``d`` an effect is *parallel trends*: without the action the two
series would have moved alike. Before the date it can be checked: the same fit on the periods
before, ``y = a + b·treated + c·t + e·treated·t``, gives ``e``, the difference of the two
slopes, with its p-value. Pure: values in, values out.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np
from numpy.typing import NDArray

from cxgap.impact.result import Estimate, finite
from cxgap.impact.segmented import newey_west_lags, z_estimate
from cxgap.impact.series import Point

# At least this many common periods before the date and from it, in each arm: fewer and the
# answer is "not enough data yet" (the pre-period slopes need 3 points to have an error).
MIN_PER_SIDE = 3
# Residuals this small relative to the values are rounding, not noise: an exact fit.
EXACT = 1e-12


@dataclass(frozen=True)
class DiD:
    """The effect ``d`` and the pre-period slope difference ``e``, or None (not enough data:
    fewer than ``MIN_PER_SIDE`` common periods on a side)."""

    effect: Estimate | None
    pre_trend: Estimate | None
    n_before: int  # common periods before the date
    n_after: int  # common periods from it
    first_after: date | None
    hac_lags: int | None

    @property
    def enough(self) -> bool:
        return self.effect is not None

    def as_json(self) -> dict[str, object]:
        effect, trend = self.effect, self.pre_trend
        return {
            "method": "difference_in_differences",
            "enough_data": self.enough,
            "effect": finite(effect.value) if effect else None,
            "effect_ci": [finite(effect.low), finite(effect.high)] if effect else [None, None],
            "p_effect": finite(effect.p) if effect else None,
            "pre_trend_difference": finite(trend.value) if trend else None,
            "pre_trend_ci": [finite(trend.low), finite(trend.high)] if trend else [None, None],
            "p_pre_trend": finite(trend.p) if trend else None,
            "n_before": self.n_before,
            "n_after": self.n_after,
            "min_per_side": MIN_PER_SIDE,
            "first_after": self.first_after.isoformat() if self.first_after else None,
            "confidence": 0.95,
            "hac_lags": self.hac_lags,
            "errors": "newey_west_per_series",
            "intervals": "normal",
        }


def difference_in_differences(
    treated: Sequence[Point], control: Sequence[Point], when: date
) -> DiD:
    """The effect at ``when`` of whatever touched ``treated`` and not ``control``."""
    by_period = {point.period: point.value for point in control}
    common = sorted(
        (point.period, point.value, by_period[point.period])
        for point in treated
        if point.period in by_period
    )
    periods = [period for period, _, _ in common]
    t0 = next((i for i, period in enumerate(periods) if period >= when), len(periods))
    n_after = len(periods) - t0
    first_after = periods[t0] if n_after else None
    if t0 < MIN_PER_SIDE or n_after < MIN_PER_SIDE:
        return DiD(None, None, t0, n_after, first_after, None)
    lags = newey_west_lags(len(periods))
    y = np.array([v for _, v, _ in common] + [v for _, _, v in common], dtype=np.float64)
    effect = _fit(y, _did_design(len(periods), t0), lags, 3)
    before = np.concatenate([y[:t0], y[len(periods) : len(periods) + t0]])
    pre_trend = _fit(before, _trend_design(t0), newey_west_lags(t0), 3)
    return DiD(effect, pre_trend, t0, n_after, first_after, lags)


def _did_design(n: int, t0: int) -> NDArray[np.float64]:
    """Constant, treated, post, treated·post over the stacked rows (treated arm first)."""
    treated = np.repeat([1.0, 0.0], n)
    post = np.tile((np.arange(n) >= t0).astype(np.float64), 2)
    return np.column_stack([np.ones(2 * n), treated, post, treated * post])


def _trend_design(n: int) -> NDArray[np.float64]:
    """Constant, treated, time, treated·time over the stacked periods before the date."""
    treated = np.repeat([1.0, 0.0], n)
    t = np.tile(np.arange(n, dtype=np.float64), 2)
    return np.column_stack([np.ones(2 * n), treated, t, treated * t])


def _fit(y: NDArray[np.float64], x: NDArray[np.float64], lags: int, column: int) -> Estimate:
    beta, *_ = np.linalg.lstsq(x, y, rcond=None)
    residuals = y - x @ beta
    if float(np.abs(residuals).max()) <= EXACT * max(1.0, float(np.abs(y).max())):
        # an exact fit (up to rounding): no error to test with, as for the segmented regression
        return Estimate(float(beta[column]), math.nan, math.nan, math.nan)
    covariance = panel_hac_covariance(x, residuals, lags)
    return z_estimate(float(beta[column]), float(covariance[column, column]))


def panel_hac_covariance(
    x: NDArray[np.float64], residuals: NDArray[np.float64], lags: int
) -> NDArray[np.float64]:
    """``(X'X)⁻¹ S (X'X)⁻¹ · nobs/(nobs − k)``: Newey–West ``S`` summed within each of the two
    equal halves of the rows (one series each), never across them."""
    nobs, k = x.shape
    scores = x * residuals[:, None]
    meat = scores.T @ scores
    half = nobs // 2
    for lag in range(1, lags + 1):
        weight = 1 - lag / (lags + 1)
        for start in (0, half):
            arm = scores[start : start + half]
            gamma = arm[lag:].T @ arm[:-lag]
            meat += weight * (gamma + gamma.T)
    bread = np.linalg.inv(x.T @ x)
    covariance: NDArray[np.float64] = bread @ meat @ bread * (nobs / (nobs - k))
    return covariance
