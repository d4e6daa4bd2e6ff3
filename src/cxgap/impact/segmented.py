"""Segmented regression with Newey–West (HAC) standard errors.

``value_t = β0 + β1·t + β2·D_t + β3·(t − t0)·D_t`` fitted by ordinary least squares, ``t`` the
0-based index of the period, ``D_t`` 1 from the index ``t0`` on. The covariance follows
statsmodels' ``OLS(y, X).fit(cov_type="HAC", cov_kwds={"maxlags": L})`` exactly: Bartlett
weights ``1 − j/(L+1)``, no small-sample correction, normal (z) intervals and p-values.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import NDArray

from cxgap.impact.result import Estimate


def newey_west_lags(n: int) -> int:
    """``floor(4·(n/100)^(2/9))`` (Newey and West, 1994), kept below ``n``.

    >>> newey_west_lags(12), newey_west_lags(36), newey_west_lags(100)
    (2, 3, 4)
    """
    return min(int(4 * (n / 100) ** (2 / 9)), n - 1)  # int() floors a positive number


def design(n: int, t0: int) -> NDArray[np.float64]:
    """The four columns: constant, time, step at ``t0``, time since ``t0`` after it."""
    t = np.arange(n, dtype=np.float64)
    step = (t >= t0).astype(np.float64)
    return np.column_stack([np.ones(n), t, step, (t - t0) * step])


def hac_covariance(
    x: NDArray[np.float64], residuals: NDArray[np.float64], lags: int
) -> NDArray[np.float64]:
    """``(X'X)⁻¹ S (X'X)⁻¹`` with ``S = Σ_j w_j (Γ_j + Γ_j')``, Bartlett weights."""
    scores = x * residuals[:, None]
    meat = scores.T @ scores
    for lag in range(1, lags + 1):
        weight = 1 - lag / (lags + 1)
        gamma = scores[lag:].T @ scores[:-lag]
        meat += weight * (gamma + gamma.T)
    bread = np.linalg.inv(x.T @ x)
    covariance: NDArray[np.float64] = bread @ meat @ bread
    return covariance


def fit_segmented(values: NDArray[np.float64], t0: int, lags: int) -> tuple[Estimate, Estimate]:
    """The level change (β2) and slope change (β3) with their 95 % intervals and p-values."""
    x = design(len(values), t0)
    beta, *_ = np.linalg.lstsq(x, values, rcond=None)
    covariance = hac_covariance(x, values - x @ beta, lags)
    level, slope = (z_estimate(float(beta[i]), float(covariance[i, i])) for i in (2, 3))
    return level, slope


def z_estimate(value: float, variance: float) -> Estimate:
    from scipy import stats

    se = math.sqrt(max(variance, 0.0))
    if se == 0.0:  # a perfect fit: statsmodels gives [β, β] and p = nan; no test is made
        return Estimate(value, math.nan, math.nan, math.nan)
    p = float(2 * stats.norm.sf(abs(value / se)))
    z_95 = float(stats.norm.ppf(0.975))
    return Estimate(value, value - z_95 * se, value + z_95 * se, p)
