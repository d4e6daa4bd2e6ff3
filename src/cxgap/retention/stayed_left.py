"""What the customers who stayed said, against what those who left said.

Each side's NPS (``cxgap.analytics.nps``: the customers' last score, with its Wald trinomial
interval) and mean sentiment (one value per customer, the mean of their verbatims', with a t
interval), and three differences, stayed minus left:

- NPS: a Wald z-test on the trinomial (each answer +1, 0 or -1; the variance of each side's
  NPS is ``(pP + pD - (pP - pD)²) / n``, the two added);
- the share of detractors: Fisher's exact test with Newcombe's interval
  (``cxgap.analytics.gaps.share_gap``);
- mean sentiment: Welch's t-test (``cxgap.analytics.gaps.compare_means``).

Only customers of the purchase history count; a customer with no score or no sentiment is
left out of that figure only.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from cxgap.analytics.descriptive import MeanSummary, summarize_values, z_value
from cxgap.analytics.gaps import GapResult, compare_means, share_gap
from cxgap.analytics.nps import NpsResult, compute_nps
from cxgap.analytics.results_json import interval, number
from cxgap.errors import ValidationError
from cxgap.retention.churn import Status


@dataclass(frozen=True)
class Side:
    """The customers on one side, their NPS and their mean sentiment."""

    customers: int
    nps: NpsResult
    sentiment: MeanSummary

    def as_json(self) -> dict[str, object]:
        s = self.sentiment
        return {
            "customers": self.customers,
            "nps": dict(self.nps.to_dict()),
            "sentiment": {
                "n": s.n,
                "mean": number(s.mean),
                "sd": number(s.sd),
                "ci": interval(s.ci),
            },
        }


@dataclass(frozen=True)
class StayedLeft:
    """Both sides and the differences stayed minus left."""

    stayed: Side
    left: Side
    nps_difference: GapResult
    detractor_difference: GapResult
    sentiment_difference: GapResult

    def as_json(self) -> dict[str, object]:
        return {
            "stayed": self.stayed.as_json(),
            "left": self.left.as_json(),
            "differences": {
                "nps": _gap(self.nps_difference),
                "detractor_share": _gap(self.detractor_difference),
                "sentiment": _gap(self.sentiment_difference),
            },
        }


def last_scores(scores: Iterable[tuple[str, datetime, int]]) -> dict[str, int]:
    """Each customer's latest NPS from ``(customer, when, score)``; a score outside 0–10 is
    refused, naming the customer and the value."""
    latest: dict[str, tuple[datetime, int]] = {}
    for customer, when, score in scores:
        _check_score(customer, score)
        if customer not in latest or when >= latest[customer][0]:
            latest[customer] = (when, score)
    return {customer: score for customer, (_, score) in latest.items()}


def _check_score(customer: str, score: object) -> None:
    if isinstance(score, bool) or not isinstance(score, int) or not 0 <= score <= 10:
        raise ValidationError.single(
            "nps", f"must be a whole number 0–10 (customer {customer!r})", score
        )


def stayed_vs_left(
    statuses: Mapping[str, Status],
    nps: Mapping[str, int],
    sentiment: Mapping[str, float],
    *,
    confidence: float = 0.95,
) -> StayedLeft:
    """Compare the customers who stayed with those who left (``churn.statuses``)."""
    stayed = [case for case, status in statuses.items() if not status.left]
    left = [case for case, status in statuses.items() if status.left]
    a, b = _side(stayed, nps, sentiment, confidence), _side(left, nps, sentiment, confidence)
    return StayedLeft(
        stayed=a,
        left=b,
        nps_difference=nps_gap(a.nps, b.nps, confidence=confidence),
        detractor_difference=share_gap(
            a.nps.detractors, a.nps.n, b.nps.detractors, b.nps.n, confidence=confidence
        ),
        sentiment_difference=compare_means(a.sentiment, b.sentiment, confidence=confidence),
    )


def nps_gap(a: NpsResult, b: NpsResult, *, confidence: float = 0.95) -> GapResult:
    """``NPS_a - NPS_b`` (points) with a Wald z interval and two-sided p; no answers on a side:
    everything None; no spread on either side: the interval collapses and p is None."""
    from scipy.stats import norm

    if a.score is None or b.score is None:
        return GapResult(diff=None, ci=None, p=None, test="wald_trinomial_z")
    diff = a.score - b.score
    se = 100.0 * math.sqrt(_variance(a) / a.n + _variance(b) / b.n)
    if se == 0.0:
        return GapResult(diff=diff, ci=(diff, diff), p=None, test="wald_trinomial_z")
    half = z_value(confidence) * se
    p = float(2.0 * norm.sf(abs(diff) / se))
    return GapResult(diff=diff, ci=(diff - half, diff + half), p=p, test="wald_trinomial_z")


def _variance(result: NpsResult) -> float:
    promoters, detractors = result.promoters / result.n, result.detractors / result.n
    return max(0.0, promoters + detractors - (promoters - detractors) ** 2)


def _side(
    cases: list[str], nps: Mapping[str, int], sentiment: Mapping[str, float], confidence: float
) -> Side:
    counts = [0] * 11
    for case in cases:
        if case in nps:
            _check_score(case, nps[case])
            counts[nps[case]] += 1
    values = [sentiment[case] for case in cases if case in sentiment]
    return Side(
        customers=len(cases),
        nps=compute_nps(counts, confidence=confidence),
        sentiment=summarize_values(values, confidence=confidence),
    )


def _gap(gap: GapResult) -> dict[str, object]:
    return {"diff": number(gap.diff), "ci": interval(gap.ci), "p": number(gap.p), "test": gap.test}
