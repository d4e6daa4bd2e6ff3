"""Net Promoter Score from a table of 11 counts (scores 0 to 10)."""

from __future__ import annotations

import math
from dataclasses import dataclass

from numpy.typing import ArrayLike

from cxgap.analytics.descriptive import Interval, check_counts, z_value
from cxgap.analytics.results_json import NpsJson, interval, number, whole

NPS_SCALE_SIZE = 11
DETRACTOR_SCORES = range(0, 7)
PASSIVE_SCORES = range(7, 9)
PROMOTER_SCORES = range(9, 11)
NPS_CI_METHOD = "wald_trinomial"


@dataclass(frozen=True)
class NpsResult:
    """NPS (−100..100) with its confidence interval and the three categories' counts."""

    n: int
    score: float | None
    ci: Interval | None
    promoters: int
    passives: int
    detractors: int
    method: str = NPS_CI_METHOD

    def to_dict(self) -> NpsJson:
        return {
            "score": number(self.score),
            "ci": interval(self.ci),
            "n": whole(self.n),
            "promoters": whole(self.promoters),
            "passives": whole(self.passives),
            "detractors": whole(self.detractors),
            "method": self.method,
        }


def nps_categories(counts: ArrayLike, name: str = "nps_counts") -> tuple[int, int, int]:
    """Promoters (9–10), passives (7–8) and detractors (0–6) in a table of 11 counts.

    >>> nps_categories([1, 0, 0, 0, 0, 0, 2, 3, 0, 4, 5])
    (9, 3, 3)
    """
    table = check_counts(counts, NPS_SCALE_SIZE, name)
    return (
        int(table[PROMOTER_SCORES.start : PROMOTER_SCORES.stop].sum()),
        int(table[PASSIVE_SCORES.start : PASSIVE_SCORES.stop].sum()),
        int(table[DETRACTOR_SCORES.start : DETRACTOR_SCORES.stop].sum()),
    )


def nps_interval(
    promoters: int, detractors: int, n: int, *, confidence: float = 0.95
) -> Interval | None:
    """Wald interval for NPS, treating each answer as a trinomial draw (+1, 0, −1).

    The variance of one answer is ``pP + pD − (pP − pD)²``; the interval is clipped to
    [−100, 100]. It collapses to the point when every answer is in one category.

    Examples
    --------
    >>> low, high = nps_interval(50, 20, 100)  # 30 ± 1.96 × √((0.7 − 0.09) / 100) × 100
    >>> round(low, 2), round(high, 2)
    (14.69, 45.31)
    """
    if n == 0:
        return None
    share_p, share_d = promoters / n, detractors / n
    # Clamped at 0: the variance cannot be negative, but rounding can make it -1e-17.
    variance = max(0.0, share_p + share_d - (share_p - share_d) ** 2)
    half = 100.0 * z_value(confidence) * math.sqrt(variance / n)
    score = 100.0 * (promoters - detractors) / n
    return (max(-100.0, score - half), min(100.0, score + half))


def compute_nps(counts: ArrayLike, *, confidence: float = 0.95) -> NpsResult:
    """NPS from 11 counts: ``counts[s]`` is how many customers answered ``s``.

    Examples
    --------
    >>> r = compute_nps([0, 0, 0, 0, 0, 0, 20, 10, 20, 30, 20])
    >>> r.score, r.promoters, r.passives, r.detractors
    (30.0, 50, 30, 20)
    >>> compute_nps([0] * 11).score is None
    True
    """
    promoters, passives, detractors = nps_categories(counts)
    n = promoters + passives + detractors
    score = 100.0 * (promoters - detractors) / n if n else None
    return NpsResult(
        n=n,
        score=score,
        ci=nps_interval(promoters, detractors, n, confidence=confidence),
        promoters=promoters,
        passives=passives,
        detractors=detractors,
    )
