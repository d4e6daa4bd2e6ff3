"""The CX gaps of seed 002 as differences with intervals and tests.

* knowledge gap: our rating of our CX minus our customers' (Welch's t-test, summary stats);
* desire gap: the CX we want minus where we think we are (paired t-test per colleague);
* excellent-share gap: share of "excellent" (5/5) inside minus outside (Newcombe interval,
  Fisher's exact test).

When every answer on both sides is identical there is no spread to test against: the interval
collapses to the difference and ``p`` is ``None`` (undefined, not 0 and not 1).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from cxgap.analytics.descriptive import (
    Interval,
    MeanSummary,
    summarize_values,
    t_two_sided_p,
    t_value,
    wilson_interval,
)
from cxgap.errors import ValidationError


@dataclass(frozen=True)
class GapResult:
    """A difference between two sides, its confidence interval and two-sided p value."""

    diff: float | None
    ci: Interval | None
    p: float | None
    test: str


def _t_gap(diff: float, se: float, df: float, confidence: float, test: str) -> GapResult:
    if se == 0.0:
        return GapResult(diff=diff, ci=(diff, diff), p=None, test=test)
    half = t_value(confidence, df) * se
    p = t_two_sided_p(diff / se, df)
    return GapResult(diff=diff, ci=(diff - half, diff + half), p=p, test=test)


def welch_gap(
    mean_a: float,
    sd_a: float,
    n_a: int,
    mean_b: float,
    sd_b: float,
    n_b: int,
    *,
    confidence: float = 0.95,
) -> GapResult:
    """``mean_a − mean_b`` with Welch's t-test and a Welch–Satterthwaite interval.

    Examples
    --------
    >>> r = welch_gap(4.25, 0.6, 12, 2.9, 1.1, 640)
    >>> round(r.diff, 2), round(r.p, 7)  # scipy ttest_ind_from_stats(..., equal_var=False)
    (1.35, 5.4e-06)
    """
    if n_a < 2 or n_b < 2:
        raise ValidationError.single("n", "Welch's test needs two answers per side", (n_a, n_b))
    if sd_a < 0 or sd_b < 0:
        raise ValidationError.single("sd", "must not be negative", (sd_a, sd_b))
    var_a, var_b = sd_a * sd_a / n_a, sd_b * sd_b / n_b
    se = math.sqrt(var_a + var_b)
    if se == 0.0:  # no spread on either side: nothing to test against
        diff = mean_a - mean_b
        return GapResult(diff=diff, ci=(diff, diff), p=None, test="welch_t")
    df = (var_a + var_b) ** 2 / (var_a**2 / (n_a - 1) + var_b**2 / (n_b - 1))
    return _t_gap(mean_a - mean_b, se, df, confidence, "welch_t")


def compare_means(a: MeanSummary, b: MeanSummary, *, confidence: float = 0.95) -> GapResult:
    """Welch comparison of two summaries, tolerating missing data.

    No answers on a side → everything ``None``; one answer on a side → the difference only.

    >>> from cxgap.analytics.descriptive import summarize_values
    >>> compare_means(summarize_values([4.0]), summarize_values([3.0, 2.0])).diff
    1.5
    """
    if a.mean is None or b.mean is None:
        return GapResult(diff=None, ci=None, p=None, test="welch_t")
    if a.sd is None or b.sd is None:
        return GapResult(diff=a.mean - b.mean, ci=None, p=None, test="welch_t")
    return welch_gap(a.mean, a.sd, a.n, b.mean, b.sd, b.n, confidence=confidence)


def paired_gap(after: ArrayLike, before: ArrayLike, *, confidence: float = 0.95) -> GapResult:
    """Mean of ``after − before`` per respondent, with a paired t-test; NaN pairs skipped.

    Examples
    --------
    >>> r = paired_gap([5, 5, 4, 5], [4, 3, 4, 4])
    >>> r.diff, round(r.p, 4)  # scipy.stats.ttest_rel gives p = 0.0917
    (1.0, 0.0917)
    """
    first = np.asarray(after, dtype=np.float64)
    second = np.asarray(before, dtype=np.float64)
    if first.shape != second.shape:
        raise ValidationError.single(
            "after/before", "paired samples must have the same shape", (first.shape, second.shape)
        )
    summary = summarize_values(first - second, confidence=confidence)
    if summary.mean is None or summary.sd is None:
        return GapResult(diff=summary.mean, ci=None, p=None, test="paired_t")
    se = summary.sd / math.sqrt(summary.n)
    return _t_gap(summary.mean, se, summary.n - 1, confidence, "paired_t")


def newcombe_interval(
    successes_a: int, n_a: int, successes_b: int, n_b: int, *, confidence: float = 0.95
) -> Interval | None:
    """Newcombe's hybrid score interval (method 10, 1998) for ``p_a − p_b``.

    Combines the two Wilson intervals; unlike the Wald interval it behaves at shares of 0 or 1.

    >>> low, high = newcombe_interval(5, 12, 51, 640)  # statsmodels method='newcomb' agrees
    >>> round(low, 4), round(high, 4)
    (0.1123, 0.6015)
    """
    ci_a = wilson_interval(successes_a, n_a, confidence=confidence)
    ci_b = wilson_interval(successes_b, n_b, confidence=confidence)
    if ci_a is None or ci_b is None:
        return None
    share_a, share_b = successes_a / n_a, successes_b / n_b
    diff = share_a - share_b
    below = math.hypot(share_a - ci_a[0], ci_b[1] - share_b)
    above = math.hypot(ci_a[1] - share_a, share_b - ci_b[0])
    return (max(-1.0, diff - below), min(1.0, diff + above))


def share_gap(
    successes_a: int, n_a: int, successes_b: int, n_b: int, *, confidence: float = 0.95
) -> GapResult:
    """``successes_a / n_a − successes_b / n_b``, Newcombe interval, Fisher's exact p.

    Examples
    --------
    >>> r = share_gap(5, 12, 51, 640)
    >>> round(r.diff, 4), r.test
    (0.337, 'fisher_exact')
    >>> share_gap(0, 0, 3, 10).diff is None
    True
    """
    from scipy import stats

    for name, successes, n in (("a", successes_a, n_a), ("b", successes_b, n_b)):
        if not 0 <= successes <= n:
            raise ValidationError.single(f"successes_{name}", f"must lie in 0..{n}", successes)
    if n_a == 0 or n_b == 0:
        return GapResult(diff=None, ci=None, p=None, test="fisher_exact")
    table = [[successes_a, n_a - successes_a], [successes_b, n_b - successes_b]]
    p = float(stats.fisher_exact(table).pvalue)
    return GapResult(
        diff=successes_a / n_a - successes_b / n_b,
        ci=newcombe_interval(successes_a, n_a, successes_b, n_b, confidence=confidence),
        p=min(1.0, p),
        test="fisher_exact",
    )
