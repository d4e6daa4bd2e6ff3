"""The headline figures of the executive report from the two periods' count tables. Pure.

NPS (−100..100), CSAT (mean 1–5), CES (mean 1–7), the volume of feedback and the share of
negative verbatims, each with its change against the period before and a confidence interval
for the change (``analytics.period_change``). The volume is a count, not a sample: its change
is given without an interval.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from cxgap.analytics.descriptive import summarize_counts
from cxgap.analytics.gaps import GapResult, compare_means, share_gap
from cxgap.analytics.period_change import NpsSample, nps_change
from cxgap.reporting.executive_model import Headline

Histogram = Mapping[int, int]  # score -> how many answers


@dataclass(frozen=True)
class PeriodCounts:
    """What one period's feedback holds: a histogram per score, negative verbatims, volume."""

    nps: Histogram = field(default_factory=dict)
    csat: Histogram = field(default_factory=dict)
    ces: Histogram = field(default_factory=dict)
    negative: int = 0
    with_sentiment: int = 0  # verbatims whose sentiment is known
    volume: int = 0


def _nps(histogram: Histogram) -> NpsSample:
    def count(scores: range) -> int:
        return sum(n for score, n in histogram.items() if score in scores)

    return NpsSample(count(range(9, 11)), count(range(7, 9)), count(range(0, 7)))


def _table(histogram: Histogram, size: int) -> list[int]:
    return [int(histogram.get(score, 0)) for score in range(1, size + 1)]


def _headline(
    metric: str, value: float | None, previous: float | None, n: int, n_prev: int, change: GapResult
) -> Headline:
    return Headline(
        metric=metric,
        value=value,
        previous=previous,
        n=n,
        n_previous=n_prev,
        change=change.diff,
        change_ci=change.ci,
        change_p=change.p,
        test=change.test if change.ci is not None else None,
    )


def _mean_headline(
    metric: str, now: Histogram, before: Histogram, size: int, confidence: float
) -> Headline:
    a = summarize_counts(_table(now, size), confidence=confidence)
    b = summarize_counts(_table(before, size), confidence=confidence)
    return _headline(metric, a.mean, b.mean, a.n, b.n, compare_means(a, b, confidence=confidence))


def headline_figures(
    now: PeriodCounts, before: PeriodCounts, *, confidence: float = 0.95
) -> tuple[Headline, ...]:
    """The five headline figures in the order of ``HEADLINE_METRICS``."""
    nps_now, nps_before = _nps(now.nps), _nps(before.nps)
    nps = _headline(
        "nps",
        nps_now.score,
        nps_before.score,
        nps_now.n,
        nps_before.n,
        nps_change(nps_now, nps_before, confidence=confidence),
    )
    negative = share_gap(
        now.negative,
        now.with_sentiment,
        before.negative,
        before.with_sentiment,
        confidence=confidence,
    )
    share_now = now.negative / now.with_sentiment if now.with_sentiment else None
    share_before = before.negative / before.with_sentiment if before.with_sentiment else None
    volume = Headline(
        "volume",
        float(now.volume),
        float(before.volume),
        now.volume,
        before.volume,
        change=float(now.volume - before.volume),
    )
    return (
        nps,
        _mean_headline("csat", now.csat, before.csat, 5, confidence),
        _mean_headline("ces", now.ces, before.ces, 7, confidence),
        volume,
        _headline(
            "negative", share_now, share_before, now.with_sentiment, before.with_sentiment, negative
        ),
    )
