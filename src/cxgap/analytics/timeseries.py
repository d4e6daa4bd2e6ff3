"""NPS, CSAT and CES over time, from one count table per period.

Every period gets its estimate, its confidence interval and its sample size:

* **NPS** (0–10): promoters minus detractors, with the trinomial Wald interval of
  :func:`cxgap.analytics.nps.nps_interval`;
* **CSAT** (1–5): the top-2-box share (4 or 5) with its Wilson interval;
* **CES** (1–7): the mean with its Student t interval;
* **stars** (1–5): the mean star rating of reviews with its Student t interval;
* **negative** (0/1): the share of verbatims whose sentiment is negative, Wilson interval
  (the histogram counts 1 for a negative verbatim, 0 for a positive or neutral one).

A period with fewer answers than the minimum group size is *suppressed*: its figures are
``None`` and only its sample size is kept, so a chart leaves a gap there instead of drawing
a number that one or two customers made.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from cxgap.analytics.descriptive import Interval, summarize_counts, top_box_share
from cxgap.analytics.nps import compute_nps
from cxgap.errors import ValidationError

Metric = Literal["nps", "csat", "ces", "stars", "negative"]
Grain = Literal["month", "week"]
SCALES: Mapping[str, tuple[int, int]] = {
    "nps": (0, 10),
    "csat": (1, 5),
    "ces": (1, 7),
    "stars": (1, 5),
    "negative": (0, 1),
}
CSAT_TOP_BOX = (4, 5)


@dataclass(frozen=True)
class PeriodPoint:
    """One period of one metric: the estimate and its interval, or ``suppressed``."""

    period: str
    n: int
    value: float | None
    ci: Interval | None
    suppressed: bool


@dataclass(frozen=True)
class MetricSeries:
    """One metric over consecutive periods."""

    metric: Metric
    points: tuple[PeriodPoint, ...]

    @property
    def total(self) -> int:
        return sum(point.n for point in self.points)


def count_table(histogram: Mapping[int, int], metric: Metric) -> list[int]:
    """A ``value -> count`` histogram as the full table of the metric's scale.

    >>> count_table({1: 2, 5: 3}, "csat")
    [2, 0, 0, 0, 3]
    """
    low, high = SCALES[metric]
    for value in histogram:
        if not low <= value <= high:
            raise ValidationError.single(metric, f"outside the scale {low}–{high}", value)
    return [int(histogram.get(score, 0)) for score in range(low, high + 1)]


def period_point(
    period: str,
    histogram: Mapping[int, int],
    metric: Metric,
    *,
    min_group_size: int,
    confidence: float = 0.95,
) -> PeriodPoint:
    """The estimate of one metric for one period.

    Examples
    --------
    >>> p = period_point("2026-01-01", {10: 50, 8: 30, 3: 20}, "nps", min_group_size=30)
    >>> p.n, p.value, [round(b, 2) for b in p.ci]  # 30 ± 1.96 × √((0.7 − 0.09) / 100) × 100
    (100, 30.0, [14.69, 45.31])
    >>> period_point("2026-01-01", {4: 5}, "csat", min_group_size=30).suppressed
    True
    >>> period_point("2026-01-01", {1: 10, 0: 30}, "negative", min_group_size=30).value
    0.25
    """
    table = count_table(histogram, metric)
    n = sum(table)
    if n < min_group_size or n == 0:
        return PeriodPoint(period, n, None, None, suppressed=True)
    if metric == "nps":
        nps = compute_nps(table, confidence=confidence)
        return PeriodPoint(period, n, nps.score, nps.ci, suppressed=False)
    if metric == "csat":
        share = top_box_share(table, CSAT_TOP_BOX, confidence=confidence)
        return PeriodPoint(period, n, share.share, share.ci, suppressed=False)
    if metric == "negative":
        share = top_box_share(table, (1,), first_score=0, confidence=confidence)
        return PeriodPoint(period, n, share.share, share.ci, suppressed=False)
    mean = summarize_counts(table, first_score=1, confidence=confidence)
    return PeriodPoint(period, n, mean.mean, mean.ci, suppressed=False)


def metric_series(
    histograms: Mapping[str, Mapping[int, int]],
    metric: Metric,
    periods: Sequence[str],
    *,
    min_group_size: int,
    confidence: float = 0.95,
) -> MetricSeries:
    """The metric for every period of ``periods`` (in that order; empty ones suppressed).

    >>> s = metric_series({"2026-02-01": {7: 40}}, "ces", ["2026-01-01", "2026-02-01"],
    ...                   min_group_size=30)
    >>> [(p.period, p.n, p.value) for p in s.points]
    [('2026-01-01', 0, None), ('2026-02-01', 40, 7.0)]
    """
    if min_group_size < 1:
        raise ValidationError.single("min_group_size", "must be at least 1", min_group_size)
    points = tuple(
        period_point(
            period,
            histograms.get(period, {}),
            metric,
            min_group_size=min_group_size,
            confidence=confidence,
        )
        for period in periods
    )
    return MetricSeries(metric, points)


def period_range(first: str, last: str, grain: Grain) -> list[str]:
    """Every period start (ISO dates) from ``first`` to ``last``, gaps included.

    Months start on the 1st, weeks on Monday.

    >>> period_range("2025-11-01", "2026-02-01", "month")
    ['2025-11-01', '2025-12-01', '2026-01-01', '2026-02-01']
    >>> period_range("2026-01-05", "2026-01-19", "week")
    ['2026-01-05', '2026-01-12', '2026-01-19']
    """
    start, end = _parse_day(first), _parse_day(last)
    if grain == "week" and start.weekday() != 0:
        raise ValidationError.single("period", "a week starts on a Monday", first)
    if grain == "month" and start.day != 1:
        raise ValidationError.single("period", "a month starts on the 1st", first)
    periods = []
    current = start
    while current <= end:
        periods.append(current.isoformat())
        current = _next_period(current, grain)
    return periods


def _next_period(day: date, grain: Grain) -> date:
    if grain == "week":
        return day + timedelta(days=7)
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


def _parse_day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValidationError.single("period", "expected an ISO date", value) from None


def period_start(day: date, grain: Grain) -> date:
    """The first day of the month, or the Monday of the week, ``day`` falls in.

    >>> period_start(date(2026, 1, 15), "month"), period_start(date(2026, 1, 1), "week")
    (datetime.date(2026, 1, 1), datetime.date(2025, 12, 29))
    """
    if grain == "week":
        return day - timedelta(days=day.weekday())
    return day.replace(day=1)
