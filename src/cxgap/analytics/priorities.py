"""Which pillars to work on first (seed 000: "take the 2 to 4 most important").

A pillar deserves attention when customers find it important *and* rate it poorly, so the
priority score is ``importance_mean × (5 − performance_mean)``: 0 for a pillar customers rate
excellent, up to 20 for one that matters most and is rated poorest.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from cxgap.analytics.results_json import (
    PillarStandingJson,
    PriorityEvidenceJson,
    RankCorrelationJson,
    number,
    whole,
)
from cxgap.errors import ValidationError

SCALE_MAX = 5.0
MIN_PRIORITIES = 2
MAX_PRIORITIES = 4
# A 3rd or 4th pillar outside "concentrate here" still counts when it is this close to the 2nd.
CLOSE_TO_SECOND = 0.85
# Customer answers below which no priority is concluded (why 30: docs/statistics.md).
MIN_ANSWERS_FOR_PRIORITIES = 30

CONCENTRATE_HERE = "concentrate_here"
KEEP_UP = "keep_up"
LOW_PRIORITY = "low_priority"
POSSIBLE_OVERKILL = "possible_overkill"


@dataclass(frozen=True)
class RankCorrelation:
    """Spearman correlation between staff and customer rankings (positive = they agree)."""

    spearman_rho: float | None
    p: float | None
    n: int

    def to_dict(self) -> RankCorrelationJson:
        return {"spearman_rho": number(self.spearman_rho), "p": number(self.p), "n": whole(self.n)}


@dataclass(frozen=True)
class PriorityEvidence:
    """Whether there are enough customer answers to name priorities, and how many more."""

    customer_answers: int
    min_customer_answers: int
    answers_needed: int

    @property
    def enough(self) -> bool:
        return self.answers_needed == 0

    def to_dict(self) -> PriorityEvidenceJson:
        return {
            "customer_answers": whole(self.customer_answers),
            "min_customer_answers": whole(self.min_customer_answers),
            "answers_needed": whole(self.answers_needed),
            "enough": self.enough,
        }


def priority_evidence(
    customer_answers: int, minimum: int = MIN_ANSWERS_FOR_PRIORITIES
) -> PriorityEvidence:
    """How far ``customer_answers`` is from the minimum for a priority conclusion.

    >>> priority_evidence(2).answers_needed, priority_evidence(2).enough
    (28, False)
    >>> priority_evidence(45).enough
    True
    """
    if customer_answers < 0:
        raise ValidationError.single("customer_answers", "must not be negative", customer_answers)
    return PriorityEvidence(customer_answers, minimum, max(0, minimum - customer_answers))


@dataclass(frozen=True)
class PillarStanding:
    """Where one pillar stands for customers: the evidence behind a priority."""

    key: str
    importance_rank: int
    performance_rank: int
    importance_mean: float
    performance_mean: float
    priority_score: float
    quadrant: str

    def to_dict(self) -> PillarStandingJson:
        return {
            "key": self.key,
            "importance_rank": whole(self.importance_rank),
            "performance_rank": whole(self.performance_rank),
            "importance_mean": number(self.importance_mean),
            "performance_mean": number(self.performance_mean),
            "priority_score": number(self.priority_score),
            "quadrant": self.quadrant,
        }


def ordinal_ranks(values: Sequence[float | None], *, descending: bool = True) -> list[int | None]:
    """Ranks 1..k of the known values (``None`` stays ``None``); ties keep input order.

    >>> ordinal_ranks([3.0, None, 4.5, 3.0])
    [2, None, 1, 3]
    >>> ordinal_ranks([3.0, 1.0], descending=False)
    [2, 1]
    """
    sign = -1.0 if descending else 1.0
    known = [(sign * float(value), i) for i, value in enumerate(values) if value is not None]
    ranks: list[int | None] = [None] * len(values)
    for rank, (_, index) in enumerate(sorted(known), start=1):
        ranks[index] = rank
    return ranks


def rank_correlation(
    staff_rank_means: Sequence[float | None], importance_means: Sequence[float | None]
) -> RankCorrelation:
    """Spearman's rho between the staff's mean rank and the customers' importance ranking.

    Both rankings put the most valued pillar first, so ``rho = 1`` means the staff know what
    customers value. Pillars missing either value are skipped; rho is ``None`` for fewer than
    3 pillars or when either ranking is all ties.

    Examples
    --------
    >>> r = rank_correlation([1.2, 2.0, 3.5, 3.9], [4.8, 4.1, 3.0, 3.3])
    >>> round(r.spearman_rho, 2), r.n  # scipy.stats.spearmanr([1.2, 2, 3.5, 3.9], [-4.8, ...])
    (0.8, 4)
    """
    from scipy import stats

    if len(staff_rank_means) != len(importance_means):
        raise ValidationError.single(
            "importance_means", "needs one value per pillar", len(importance_means)
        )
    pairs = [
        (float(staff), -float(customer))
        for staff, customer in zip(staff_rank_means, importance_means, strict=True)
        if staff is not None and customer is not None
    ]
    staff_side = np.array([pair[0] for pair in pairs])
    customer_side = np.array([pair[1] for pair in pairs])
    if len(pairs) < 3 or np.ptp(staff_side) == 0 or np.ptp(customer_side) == 0:
        return RankCorrelation(spearman_rho=None, p=None, n=len(pairs))
    result = stats.spearmanr(staff_side, customer_side)
    rho, p = float(result.statistic), float(result.pvalue)
    return RankCorrelation(spearman_rho=rho, p=None if math.isnan(p) else p, n=len(pairs))


def priority_score(importance_mean: float, performance_mean: float) -> float:
    """``importance × (5 − performance)``: high when a pillar matters and disappoints.

    >>> priority_score(4.5, 3.0)
    9.0
    """
    return importance_mean * (SCALE_MAX - performance_mean)


def classify_quadrant(
    importance_mean: float,
    performance_mean: float,
    importance_grand_mean: float,
    performance_grand_mean: float,
) -> str:
    """Importance–performance quadrant against the grand means (at the mean counts as high).

    >>> classify_quadrant(4.5, 2.9, 4.0, 3.5), classify_quadrant(3.0, 4.0, 4.0, 3.5)
    ('concentrate_here', 'possible_overkill')
    """
    important = importance_mean >= importance_grand_mean
    performing = performance_mean >= performance_grand_mean
    if important:
        return KEEP_UP if performing else CONCENTRATE_HERE
    return POSSIBLE_OVERKILL if performing else LOW_PRIORITY


def rank_pillars(
    keys: Sequence[str],
    importance_means: Sequence[float | None],
    performance_means: Sequence[float | None],
) -> list[PillarStanding]:
    """Score, rank and place in a quadrant every pillar with both customer means.

    Ranks are taken over every pillar with that mean (importance rank 1 is the most
    important, performance rank 1 the best rated), grand means over the pillars with both.
    The result keeps the input order.

    >>> [s.quadrant for s in rank_pillars(["a", "b"], [4.5, 3.0], [2.9, 4.0])]
    ['concentrate_here', 'possible_overkill']
    """
    if not len(keys) == len(importance_means) == len(performance_means):
        raise ValidationError.single("keys", "needs one mean per pillar", len(keys))
    if len(set(keys)) != len(keys):
        raise ValidationError.single("keys", "pillar keys must be unique", list(keys))
    rated = [
        (key, float(imp), float(perf))
        for key, imp, perf in zip(keys, importance_means, performance_means, strict=True)
        if imp is not None and perf is not None
    ]
    if not rated:
        return []
    importance_ranks = dict(zip(keys, ordinal_ranks(importance_means), strict=True))
    performance_ranks = dict(zip(keys, ordinal_ranks(performance_means), strict=True))
    grand_importance = sum(imp for _, imp, _ in rated) / len(rated)
    grand_performance = sum(perf for _, _, perf in rated) / len(rated)
    return [
        PillarStanding(
            key=key,
            importance_rank=int(importance_ranks[key] or 0),
            performance_rank=int(performance_ranks[key] or 0),
            importance_mean=imp,
            performance_mean=perf,
            priority_score=priority_score(imp, perf),
            quadrant=classify_quadrant(imp, perf, grand_importance, grand_performance),
        )
        for key, imp, perf in rated
    ]


def select_priorities(standings: Sequence[PillarStanding]) -> list[PillarStanding]:
    """The 2 to 4 pillars to work on, highest priority score first.

    The top 2 always; then the 3rd and the 4th while each is in ``concentrate_here`` or scores
    at least 85 % of the 2nd. Selection stops at the first pillar that fails, so a pillar
    never jumps ahead of a higher-scoring one. Fewer than 2 rated pillars → all of them.

    Examples
    --------
    >>> def pillar(key, score, quadrant):
    ...     return PillarStanding(key, 1, 1, 1.0, 1.0, score, quadrant)
    >>> chosen = select_priorities([
    ...     pillar("a", 9.0, KEEP_UP), pillar("b", 8.0, KEEP_UP),
    ...     pillar("c", 7.0, KEEP_UP), pillar("d", 6.9, CONCENTRATE_HERE)])
    >>> [s.key for s in chosen]  # c: 7.0 ≥ 0.85 × 8.0 = 6.8
    ['a', 'b', 'c', 'd']
    """
    ordered = sorted(standings, key=lambda s: -s.priority_score)  # stable: ties keep order
    chosen = ordered[:MIN_PRIORITIES]
    if len(chosen) < MIN_PRIORITIES:
        return chosen
    threshold = CLOSE_TO_SECOND * chosen[-1].priority_score
    for candidate in ordered[MIN_PRIORITIES:MAX_PRIORITIES]:
        if candidate.quadrant != CONCENTRATE_HERE and candidate.priority_score < threshold:
            break
        chosen.append(candidate)
    return chosen
