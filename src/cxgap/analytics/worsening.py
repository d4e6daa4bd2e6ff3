"""Did what a team owns get significantly worse? A window (the last 7 days by default)
against its baseline (the 28 days before), one-sided in the bad direction, Holm-corrected
across every test of one run (docs/ownership.md).

Three measures per subject, each from sufficient statistics (no rows):

- mean sentiment (scores in [-1, 1]): Welch's t, H1 window mean < baseline mean;
- share of negative verbatims: two-proportion z with the pooled share, H1 window > baseline;
- NPS: the difference of two NPS with the multinomial (trinomial) variance of each,
  ``(pP + pD − (pP − pD)²) / n``, a z statistic, H1 window < baseline.

A measure is tested only when both periods have ``min_count`` observations; "significant"
means its Holm-adjusted p-value is below ``alpha`` — never a threshold on a raw change.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace

MEASURES = ("sentiment", "negative_share", "nps")
DEFAULT_ALPHA = 0.05
DEFAULT_MIN_COUNT = 20


@dataclass(frozen=True)
class PeriodStats:
    """One subject's sufficient statistics over one period."""

    sentiment_n: int = 0
    sentiment_sum: float = 0.0
    sentiment_sum_sq: float = 0.0
    enriched: int = 0  # verbatims with a sentiment label
    negative: int = 0
    nps_n: int = 0
    promoters: int = 0
    detractors: int = 0

    @property
    def sentiment_mean(self) -> float | None:
        return self.sentiment_sum / self.sentiment_n if self.sentiment_n else None

    @property
    def sentiment_sd(self) -> float | None:
        if self.sentiment_n < 2:
            return None
        mean = self.sentiment_sum / self.sentiment_n
        spread = max(0.0, self.sentiment_sum_sq - self.sentiment_n * mean * mean)
        return math.sqrt(spread / (self.sentiment_n - 1))

    @property
    def negative_share(self) -> float | None:
        return self.negative / self.enriched if self.enriched else None

    @property
    def nps(self) -> float | None:
        return 100.0 * (self.promoters - self.detractors) / self.nps_n if self.nps_n else None


@dataclass(frozen=True)
class Subject:
    """What is owned: a pillar or a touchpoint key, with its two periods."""

    kind: str  # pillar | touchpoint
    key: str
    window: PeriodStats
    baseline: PeriodStats


@dataclass(frozen=True)
class MeasureChange:
    """One measure of one subject: both values, and the test when there was one."""

    measure: str
    window: float | None
    baseline: float | None
    window_n: int
    baseline_n: int
    statistic: float | None = None
    p: float | None = None  # one-sided, bad direction
    p_adjusted: float | None = None  # Holm, across the run
    significant: bool = False

    @property
    def change(self) -> float | None:
        if self.window is None or self.baseline is None:
            return None
        return self.window - self.baseline

    @property
    def tested(self) -> bool:
        return self.p is not None


@dataclass(frozen=True)
class SubjectResult:
    kind: str
    key: str
    measures: tuple[MeasureChange, ...]

    @property
    def worsened(self) -> bool:
        return any(m.significant for m in self.measures)


def welch_less(
    mean_a: float, sd_a: float, n_a: int, mean_b: float, sd_b: float, n_b: int
) -> tuple[float, float] | None:
    """Welch's t of ``a − b`` and its one-sided p for H1 ``mean_a < mean_b``; ``None``
    when both variances are zero (nothing to test).

    >>> t, p = welch_less(0.10, 0.5, 40, 0.30, 0.45, 160)
    >>> round(t, 4), round(p, 5)  # scipy.stats.ttest_ind_from_stats(..., equal_var=False,
    (-2.307, 0.01239)
    >>> # alternative="less") gives statistic=-2.306999, pvalue=0.012394
    """
    from scipy import stats

    var_a, var_b = sd_a * sd_a / n_a, sd_b * sd_b / n_b
    se = math.sqrt(var_a + var_b)
    if se == 0:
        return None
    df = (var_a + var_b) ** 2 / (var_a**2 / (n_a - 1) + var_b**2 / (n_b - 1))
    t = (mean_a - mean_b) / se
    return t, float(stats.t.cdf(t, df))


def proportion_larger(x_a: int, n_a: int, x_b: int, n_b: int) -> tuple[float, float] | None:
    """Two-proportion z (pooled share) and its one-sided p for H1 ``x_a/n_a > x_b/n_b``;
    ``None`` when the pooled share is 0 or 1.

    >>> z, p = proportion_larger(18, 50, 30, 200)
    >>> round(z, 4), round(p, 6)  # statsmodels proportions_ztest([18, 30], [50, 200],
    (3.372, 0.000373)
    >>> # alternative="larger") gives (3.372042, 0.000373065)
    """
    from scipy import stats

    pooled = (x_a + x_b) / (n_a + n_b)
    se = math.sqrt(pooled * (1 - pooled) * (1 / n_a + 1 / n_b))
    if se == 0:
        return None
    z = (x_a / n_a - x_b / n_b) / se
    return z, float(stats.norm.sf(z))


def nps_less(a: PeriodStats, b: PeriodStats) -> tuple[float, float] | None:
    """z of the NPS difference ``a − b`` with each NPS's multinomial variance, and its
    one-sided p for H1 NPS(a) < NPS(b); ``None`` when both variances are zero.

    >>> a = PeriodStats(nps_n=60, promoters=15, detractors=25)
    >>> b = PeriodStats(nps_n=240, promoters=110, detractors=50)
    >>> z, p = nps_less(a, b)
    >>> round(z, 4), round(p, 6)  # by hand: (-16.67 - 25) / (100·√(0.0106481 + 0.0025174))
    (-3.6314, 0.000141)
    """
    from scipy import stats

    variance = _nps_variance(a) + _nps_variance(b)
    if variance == 0 or a.nps is None or b.nps is None:
        return None
    z = (a.nps - b.nps) / (100.0 * math.sqrt(variance))
    return z, float(stats.norm.cdf(z))


def _nps_variance(s: PeriodStats) -> float:
    share_p, share_d = s.promoters / s.nps_n, s.detractors / s.nps_n
    return max(0.0, share_p + share_d - (share_p - share_d) ** 2) / s.nps_n


def holm(p_values: Sequence[float]) -> list[float]:
    """Holm's step-down adjusted p-values, in the order given.

    >>> holm([0.01, 0.04, 0.03, 0.2])  # statsmodels multipletests(method="holm")[1]
    [0.04, 0.09, 0.09, 0.2]
    """
    m = len(p_values)
    order = sorted(range(m), key=lambda i: p_values[i])
    adjusted = [0.0] * m
    running = 0.0
    for rank, i in enumerate(order):
        running = max(running, min(1.0, (m - rank) * p_values[i]))
        adjusted[i] = running
    return adjusted


def _sentiment(s: Subject, min_count: int) -> MeasureChange:
    w, b = s.window, s.baseline
    change = MeasureChange(
        "sentiment", w.sentiment_mean, b.sentiment_mean, w.sentiment_n, b.sentiment_n
    )
    if min(w.sentiment_n, b.sentiment_n) < max(min_count, 2):
        return change
    test = welch_less(
        *(w.sentiment_mean or 0.0, w.sentiment_sd or 0.0, w.sentiment_n),
        *(b.sentiment_mean or 0.0, b.sentiment_sd or 0.0, b.sentiment_n),
    )
    return change if test is None else replace(change, statistic=test[0], p=test[1])


def _negative(s: Subject, min_count: int) -> MeasureChange:
    w, b = s.window, s.baseline
    change = MeasureChange(
        "negative_share", w.negative_share, b.negative_share, w.enriched, b.enriched
    )
    if min(w.enriched, b.enriched) < min_count:
        return change
    test = proportion_larger(w.negative, w.enriched, b.negative, b.enriched)
    return change if test is None else replace(change, statistic=test[0], p=test[1])


def _nps(s: Subject, min_count: int) -> MeasureChange:
    w, b = s.window, s.baseline
    change = MeasureChange("nps", w.nps, b.nps, w.nps_n, b.nps_n)
    if min(w.nps_n, b.nps_n) < min_count:
        return change
    test = nps_less(w, b)
    return change if test is None else replace(change, statistic=test[0], p=test[1])


def detect_worsening(
    subjects: Sequence[Subject],
    *,
    alpha: float = DEFAULT_ALPHA,
    min_count: int = DEFAULT_MIN_COUNT,
) -> list[SubjectResult]:
    """Each subject's three measures, tested where there is enough data, the p-values
    Holm-adjusted across all the tests of the run (subjects × measures)."""
    if not 0 < alpha < 1:
        raise ValueError(f"alpha must be between 0 and 1, got {alpha!r}")
    if min_count < 2:
        raise ValueError(f"min_count must be 2 or more, got {min_count!r}")
    raw = [
        (s, [_sentiment(s, min_count), _negative(s, min_count), _nps(s, min_count)])
        for s in subjects
    ]
    tested = [m for _, measures in raw for m in measures if m.p is not None]
    adjusted = iter(holm([m.p for m in tested if m.p is not None]))
    results = []
    for subject, measures in raw:
        final = []
        for m in measures:
            if m.p is not None:
                p_adj = next(adjusted)
                m = replace(m, p_adjusted=p_adj, significant=p_adj < alpha)
            final.append(m)
        results.append(SubjectResult(subject.kind, subject.key, tuple(final)))
    return results
