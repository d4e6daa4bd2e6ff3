"""The results object's JSON form, typed: one TypedDict per part of docs/results-format.md.

TypedDicts, not dataclasses, because the JSON *is* the contract: the API returns it, the
cache stores it, ``json.dumps`` writes it and the Jinja templates read ``results["pillars"]``
from it. Typing the dicts keeps all of that unchanged while mypy checks every key a producer
writes and a consumer reads. The analytics dataclasses build these through their ``to_dict``,
with the converters below, which turn numpy scalars into Python numbers and NaN into ``null``.
"""

from __future__ import annotations

import math
from typing import Literal, NotRequired, TypedDict

import numpy as np

from cxgap.analytics.descriptive import Interval

# ``[low, high]`` at the results' confidence level; a bound that cannot be computed is null.
IntervalJson = list[float | None]


class PillarJson(TypedDict):
    """One pillar, inside and outside (``pillars[]``)."""

    key: str
    name_en: str
    name_fr: str
    retired: bool
    internal_n: int
    internal_current_mean: float | None
    internal_current_ci: IntervalJson | None
    internal_desired_mean: float | None
    internal_desired_ci: IntervalJson | None
    internal_excellent_share: float | None
    internal_rank_mean: float | None
    internal_priority_rank: int | None
    customer_n: int
    customer_importance_mean: float | None
    customer_importance_ci: IntervalJson | None
    customer_performance_mean: float | None
    customer_performance_ci: IntervalJson | None
    customer_excellent_share: float | None
    customer_importance_rank: int | None
    knowledge_gap: float | None
    knowledge_gap_ci: IntervalJson | None
    knowledge_gap_p: float | None
    knowledge_gap_test: str
    knowledge_gap_significant: bool | None
    excellent_share_gap: float | None
    excellent_share_gap_ci: IntervalJson | None
    excellent_share_gap_p: float | None
    desire_gap: float | None
    desire_gap_ci: IntervalJson | None
    desire_gap_p: float | None
    priority_score: float | None
    quadrant: str | None


class HistogramBinJson(TypedDict):
    total: int | float
    count: int


class TotalsJson(TypedDict):
    """``internal.totals``: colleagues' self-assessment totals over the active pillars."""

    max: int
    mean: float | None
    ci: IntervalJson | None
    min: int | float | None
    max_observed: int | float | None
    histogram: list[HistogramBinJson]


class DepartmentJson(TypedDict):
    department: str
    n: int
    total_mean: float | None
    total_ci: IntervalJson | None


class SuppressedDepartmentJson(TypedDict):
    """A department too small to show: its name only."""

    department: str
    suppressed: Literal[True]


class GroupTestJson(TypedDict):
    """Kruskal–Wallis (no ``df``) or chi-square."""

    test: str
    statistic: float | None
    df: NotRequired[int]
    p: float | None


class InternalJson(TypedDict):
    n: int
    n_rankings: int
    totals: TotalsJson
    by_department: list[DepartmentJson | SuppressedDepartmentJson]
    department_test: GroupTestJson | None


class AgreementJson(TypedDict):
    kendall_w: float | None
    chi2: float | None
    df: int | None
    p: float | None
    n_raters: int
    interpretation: str | None


class RankCorrelationJson(TypedDict):
    spearman_rho: float | None
    p: float | None
    n: int


class PillarStandingJson(TypedDict):
    key: str
    importance_rank: int
    performance_rank: int
    importance_mean: float | None
    performance_mean: float | None
    priority_score: float | None
    quadrant: str


class PriorityEvidenceJson(TypedDict):
    customer_answers: int
    min_customer_answers: int
    answers_needed: int
    enough: bool


class NpsJson(TypedDict):
    score: float | None
    ci: IntervalJson | None
    n: int
    promoters: int
    passives: int
    detractors: int
    method: str


class ScaleJson(TypedDict):
    """CSAT or CES."""

    n: int
    mean: float | None
    top_box: float | None
    top_box_ci: IntervalJson | None


class GroupJson(TypedDict):
    """One generation or segment shown (``by_generation.*``, ``by_segment.*``)."""

    n: int
    nps: float | None
    nps_ci: IntervalJson | None
    top_pillars: list[str]


class SuppressedGroupJson(TypedDict):
    """A group under ``min_group_size``: deliberately no numbers."""

    suppressed: Literal[True]


class ValidityJson(TypedDict):
    n: int
    margin_of_error: float | None
    target_moe: float
    responses_required: int
    responses_needed: int
    enough: bool


class AssessmentJson(TypedDict):
    """What ``compute_assessment(...).to_dict()`` returns: the statistics alone."""

    confidence: float
    min_group_size: int
    pillars: list[PillarJson]
    internal: InternalJson
    internal_agreement: AgreementJson
    priority_rank_correlation: RankCorrelationJson
    priorities: list[str]
    priority_reasons: list[PillarStandingJson]
    priority_evidence: PriorityEvidenceJson
    nps: NpsJson
    csat: ScaleJson
    ces: ScaleJson
    by_generation: dict[str, GroupJson | SuppressedGroupJson]
    generation_unknown_n: int
    generation_test: GroupTestJson | None
    by_segment: dict[str, GroupJson | SuppressedGroupJson]
    segment_test: GroupTestJson | None
    margin_of_error: float | None
    responses_needed_for_5pt_moe: int
    validity: ValidityJson


class SegmentNameJson(TypedDict):
    en: str
    fr: str


class NpsPeriodJson(TypedDict):
    """When the survey's NPS answers were given (ISO dates)."""

    first: str
    last: str


class ResultsJson(AssessmentJson):
    """The whole results object: the statistics plus what the service knows of the workspace.

    Key order in the JSON: ``workspace``, ``computed_at``, the statistics, ``segment_names``,
    ``nps_period`` (:func:`cxgap.services.results.compute_results` writes them so).
    """

    workspace: str
    computed_at: str
    segment_names: dict[str, SegmentNameJson]
    nps_period: NpsPeriodJson | None


def number(value: float | None) -> float | None:
    """A Python number (numpy scalars unwrapped, whole numbers kept whole), or None for a
    missing or non-finite one (JSON has no NaN).

    >>> number(np.float64(1.5)), number(np.int64(2)), number(float("nan")), number(None)
    (1.5, 2, None, None)
    """
    if value is None:
        return None
    unwrapped: float = value.item() if isinstance(value, np.generic) else value
    if isinstance(unwrapped, float) and not math.isfinite(unwrapped):
        return None
    return unwrapped


def whole(value: int) -> int:
    """A Python int (numpy integers unwrapped), as ``json.dumps`` needs."""
    return int(value)


def interval(value: Interval | None) -> IntervalJson | None:
    """``[low, high]`` of an interval; None when there is none.

    >>> interval((0.25, float("inf"))), interval(None)
    ([0.25, None], None)
    """
    if value is None:
        return None
    low, high = value
    return [number(low), number(high)]
