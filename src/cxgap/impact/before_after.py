"""The fallback for short series: Welch's t-test on the periods' values before and after.

Matches ``scipy.stats.ttest_ind(after, before, equal_var=False)`` and its
``confidence_interval(0.95)``: the difference of means with a Welch–Satterthwaite t interval.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import NDArray

from cxgap.impact.result import Estimate


def welch(before: NDArray[np.float64], after: NDArray[np.float64]) -> tuple[Estimate, float]:
    """The difference of means (after − before), its interval, p-value and degrees of freedom;
    the interval and p are ``nan`` with fewer than two values on a side or no variance."""
    from scipy import stats

    difference = float(after.mean() - before.mean())
    if len(before) < 2 or len(after) < 2:
        return Estimate(difference, math.nan, math.nan, math.nan), math.nan
    v_before = float(before.var(ddof=1)) / len(before)
    v_after = float(after.var(ddof=1)) / len(after)
    se = math.sqrt(v_before + v_after)
    if se == 0.0:  # scipy would say p = 0 on two constant sides: no test can be made
        return Estimate(difference, math.nan, math.nan, math.nan), math.nan
    df = (v_before + v_after) ** 2 / (
        v_before**2 / (len(before) - 1) + v_after**2 / (len(after) - 1)
    )
    p = float(2 * stats.t.sf(abs(difference / se), df))
    half = float(stats.t.ppf(0.975, df)) * se
    return Estimate(difference, difference - half, difference + half, p), df
