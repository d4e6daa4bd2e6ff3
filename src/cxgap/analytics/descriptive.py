"""Means, spreads and shares, from count tables or raw arrays.

Customer answers arrive as count tables (one count per scale point). Every statistic here is
computed from the table directly, never by expanding it into one value per answer: a million
answers cost ten multiplications.

Conventions shared by the whole :mod:`cxgap.analytics` package:

* no answers → every statistic is ``None``;
* one answer → the mean is the answer, the spread and the interval are ``None``;
* zero spread → the interval collapses to the point (there is nothing to be uncertain about).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from cxgap.errors import ValidationError

Interval = tuple[float, float]


@dataclass(frozen=True)
class MeanSummary:
    """Mean of a sample with its standard deviation and t confidence interval."""

    n: int
    mean: float | None
    sd: float | None
    ci: Interval | None


@dataclass(frozen=True)
class ShareSummary:
    """A share of answers (0–1) with its Wilson score interval."""

    n: int
    successes: int
    share: float | None
    ci: Interval | None


def check_confidence(confidence: float) -> float:
    """Refuse a confidence level outside the open interval (0, 1).

    >>> check_confidence(0.95)
    0.95
    """
    if not 0.0 < confidence < 1.0:  # also refuses NaN, which fails every comparison
        raise ValidationError.single("confidence", "must be strictly between 0 and 1", confidence)
    return float(confidence)


def z_value(confidence: float) -> float:
    """Two-sided standard normal quantile for ``confidence``.

    >>> round(z_value(0.95), 6)
    1.959964
    """
    from scipy import special

    return float(special.ndtri(0.5 + check_confidence(confidence) / 2.0))


def t_value(confidence: float, df: float) -> float:
    """Two-sided Student t quantile for ``confidence`` with ``df`` degrees of freedom.

    >>> round(t_value(0.95, 10), 4)
    2.2281
    """
    from scipy import special

    return float(special.stdtrit(df, 0.5 + check_confidence(confidence) / 2.0))


def t_two_sided_p(t_statistic: float, df: float) -> float:
    """Two-sided p value of a t statistic.

    >>> round(t_two_sided_p(2.2281388519649385, 10), 4)
    0.05
    """
    from scipy import special

    return float(2.0 * special.stdtr(df, -abs(t_statistic)))


def check_counts(counts: ArrayLike, size: int, name: str) -> NDArray[np.int64]:
    """A count table as int64, refusing wrong lengths, negatives and fractions.

    >>> check_counts([0, 1, 2], 3, "csat").tolist()
    [0, 1, 2]
    """
    table = np.asarray(counts)
    if table.shape != (size,):
        raise ValidationError.single(name, f"expected {size} counts", table.shape)
    if table.dtype.kind not in "iuf" or not np.all(np.isfinite(table)):
        raise ValidationError.single(name, "counts must be finite numbers", table.tolist())
    if np.any(table < 0) or np.any(table != np.round(table)):
        raise ValidationError.single(name, "counts must be non-negative integers", table.tolist())
    return table.astype(np.int64)


def t_interval(mean: float, sd: float, n: int, confidence: float) -> Interval | None:
    """Student t interval for a mean; ``None`` below two observations.

    >>> [round(bound, 4) for bound in t_interval(10.0, 2.0, 16, 0.95)]  # 10 ± 2.13145 × 2 / 4
    [8.9343, 11.0657]
    >>> t_interval(3.0, 0.0, 5, 0.95)
    (3.0, 3.0)
    """
    if n < 2:
        return None
    half = t_value(confidence, n - 1) * sd / math.sqrt(n)
    return (mean - half, mean + half)


def summarize_counts(
    counts: ArrayLike, *, first_score: int = 1, confidence: float = 0.95
) -> MeanSummary:
    """Mean, sample SD (ddof 1) and t interval of the answers a count table stands for.

    ``counts[i]`` is how many answers scored ``first_score + i``.

    Examples
    --------
    >>> s = summarize_counts([0, 0, 1, 2, 1])  # answers 3, 4, 4, 5
    >>> s.n, s.mean, round(s.sd, 6)
    (4, 4.0, 0.816497)
    >>> summarize_counts([0, 0, 0, 0, 0]).mean is None
    True
    """
    table = np.asarray(counts, dtype=np.float64)
    n = int(table.sum())
    if n == 0:
        return MeanSummary(n=0, mean=None, sd=None, ci=None)
    scores = np.arange(first_score, first_score + table.size, dtype=np.float64)
    mean = float(table @ scores) / n
    if n == 1:
        return MeanSummary(n=1, mean=mean, sd=None, ci=None)
    sd = math.sqrt(float(table @ (scores - mean) ** 2) / (n - 1))
    return MeanSummary(n=n, mean=mean, sd=sd, ci=t_interval(mean, sd, n, confidence))


def summarize_values(values: ArrayLike, *, confidence: float = 0.95) -> MeanSummary:
    """Mean, sample SD (ddof 1) and t interval of raw values, NaN skipped.

    Examples
    --------
    >>> s = summarize_values([3.0, float("nan"), 4.0, 5.0])
    >>> s.n, s.mean, s.sd
    (3, 4.0, 1.0)
    >>> summarize_values([float("nan")]).n
    0
    """
    array = np.asarray(values, dtype=np.float64)
    kept = array[~np.isnan(array)]
    n = int(kept.size)
    if n == 0:
        return MeanSummary(n=0, mean=None, sd=None, ci=None)
    mean = float(kept.mean())
    if n == 1:
        return MeanSummary(n=1, mean=mean, sd=None, ci=None)
    sd = float(kept.std(ddof=1))
    return MeanSummary(n=n, mean=mean, sd=sd, ci=t_interval(mean, sd, n, confidence))


def wilson_interval(successes: int, n: int, *, confidence: float = 0.95) -> Interval | None:
    """Wilson score interval for a proportion; ``None`` when ``n`` is 0.

    Chosen over the Wald interval because it stays inside [0, 1] and keeps its coverage
    for shares near 0 or 1 and for small samples.

    Examples
    --------
    >>> low, high = wilson_interval(8, 10)  # Wilson (1927); statsmodels gives the same
    >>> round(low, 4), round(high, 4)
    (0.4902, 0.9433)
    >>> wilson_interval(0, 0) is None
    True
    """
    if n == 0:
        return None
    z = z_value(confidence)
    share = successes / n
    scale = 1.0 + z * z / n
    centre = (share + z * z / (2 * n)) / scale
    half = z / scale * math.sqrt(share * (1 - share) / n + z * z / (4 * n * n))
    # Rounding can push a bound a hair past the estimate at shares of exactly 0 or 1.
    return (max(0.0, min(centre - half, share)), min(1.0, max(centre + half, share)))


def top_box_share(
    counts: ArrayLike,
    top_scores: Sequence[int],
    *,
    first_score: int = 1,
    confidence: float = 0.95,
) -> ShareSummary:
    """Share of answers scoring one of ``top_scores`` (e.g. CSAT 4–5), with Wilson interval.

    Examples
    --------
    >>> s = top_box_share([1, 1, 2, 3, 3], top_scores=(4, 5))  # CSAT 1..5
    >>> s.n, s.successes, s.share
    (10, 6, 0.6)
    """
    table = np.asarray(counts, dtype=np.int64)
    indexes = [score - first_score for score in top_scores]
    if any(not 0 <= i < table.size for i in indexes):
        raise ValidationError.single("top_scores", "outside the scale", list(top_scores))
    n = int(table.sum())
    successes = int(table[indexes].sum())
    share = successes / n if n else None
    return ShareSummary(
        n=n,
        successes=successes,
        share=share,
        ci=wilson_interval(successes, n, confidence=confidence),
    )
