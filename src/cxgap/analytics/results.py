"""The shape of the assessment's answer: frozen dataclasses whose ``to_dict`` is the JSON
contract of docs/results-format.md (minus ``workspace``, ``computed_at``, ``segment_names`` and
``nps_period``, which the service adds), typed by :mod:`cxgap.analytics.results_json`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypedDict

from cxgap.analytics.agreement import AgreementResult
from cxgap.analytics.descriptive import Interval
from cxgap.analytics.group_results import DepartmentResult, GroupResult, GroupTest, SuppressedGroup
from cxgap.analytics.nps import NpsResult
from cxgap.analytics.priorities import PillarStanding, PriorityEvidence, RankCorrelation
from cxgap.analytics.results_json import (
    AssessmentJson,
    GroupJson,
    GroupTestJson,
    HistogramBinJson,
    InternalJson,
    PillarJson,
    ScaleJson,
    SuppressedGroupJson,
    TotalsJson,
    interval,
    number,
    whole,
)
from cxgap.analytics.sampling import Validity


def as_number(value: float) -> int | float:
    """Totals of whole scores are whole: show 38, not 38.0."""
    return int(value) if float(value).is_integer() else float(value)


def _test(test: GroupTest | None) -> GroupTestJson | None:
    return None if test is None else test.to_dict()


def _groups(
    groups: dict[str, GroupResult | SuppressedGroup],
) -> dict[str, GroupJson | SuppressedGroupJson]:
    return {key: group.to_dict() for key, group in groups.items()}


def _rank(value: int | None) -> int | None:
    return None if value is None else whole(value)


@dataclass(frozen=True)
class PillarResult:
    """Everything known about one pillar, inside and outside; see docs/results-format.md."""

    key: str
    name_en: str
    name_fr: str
    retired: bool
    internal_n: int
    internal_current_mean: float | None
    internal_current_ci: Interval | None
    internal_desired_mean: float | None
    internal_desired_ci: Interval | None
    internal_excellent_share: float | None
    internal_rank_mean: float | None
    internal_priority_rank: int | None
    customer_n: int
    customer_importance_mean: float | None
    customer_importance_ci: Interval | None
    customer_performance_mean: float | None
    customer_performance_ci: Interval | None
    customer_excellent_share: float | None
    customer_importance_rank: int | None
    knowledge_gap: float | None
    knowledge_gap_ci: Interval | None
    knowledge_gap_p: float | None
    knowledge_gap_test: str
    knowledge_gap_significant: bool | None
    excellent_share_gap: float | None
    excellent_share_gap_ci: Interval | None
    excellent_share_gap_p: float | None
    desire_gap: float | None
    desire_gap_ci: Interval | None
    desire_gap_p: float | None
    priority_score: float | None
    quadrant: str | None

    def to_dict(self) -> PillarJson:
        return {
            "key": self.key,
            "name_en": self.name_en,
            "name_fr": self.name_fr,
            "retired": bool(self.retired),
            "internal_n": whole(self.internal_n),
            "internal_current_mean": number(self.internal_current_mean),
            "internal_current_ci": interval(self.internal_current_ci),
            "internal_desired_mean": number(self.internal_desired_mean),
            "internal_desired_ci": interval(self.internal_desired_ci),
            "internal_excellent_share": number(self.internal_excellent_share),
            "internal_rank_mean": number(self.internal_rank_mean),
            "internal_priority_rank": _rank(self.internal_priority_rank),
            "customer_n": whole(self.customer_n),
            "customer_importance_mean": number(self.customer_importance_mean),
            "customer_importance_ci": interval(self.customer_importance_ci),
            "customer_performance_mean": number(self.customer_performance_mean),
            "customer_performance_ci": interval(self.customer_performance_ci),
            "customer_excellent_share": number(self.customer_excellent_share),
            "customer_importance_rank": _rank(self.customer_importance_rank),
            "knowledge_gap": number(self.knowledge_gap),
            "knowledge_gap_ci": interval(self.knowledge_gap_ci),
            "knowledge_gap_p": number(self.knowledge_gap_p),
            "knowledge_gap_test": self.knowledge_gap_test,
            "knowledge_gap_significant": None
            if self.knowledge_gap_significant is None
            else bool(self.knowledge_gap_significant),
            "excellent_share_gap": number(self.excellent_share_gap),
            "excellent_share_gap_ci": interval(self.excellent_share_gap_ci),
            "excellent_share_gap_p": number(self.excellent_share_gap_p),
            "desire_gap": number(self.desire_gap),
            "desire_gap_ci": interval(self.desire_gap_ci),
            "desire_gap_p": number(self.desire_gap_p),
            "priority_score": number(self.priority_score),
            "quadrant": self.quadrant,
        }


@dataclass(frozen=True)
class TotalsResult:
    """Colleagues' self-assessment totals over the active pillars."""

    max: int
    mean: float | None
    ci: Interval | None
    min: int | float | None
    max_observed: int | float | None
    histogram: list[HistogramBinJson]

    def to_dict(self) -> TotalsJson:
        return {
            "max": whole(self.max),
            "mean": number(self.mean),
            "ci": interval(self.ci),
            "min": number(self.min),
            "max_observed": number(self.max_observed),
            "histogram": [
                {"total": row["total"], "count": whole(row["count"])} for row in self.histogram
            ],
        }


@dataclass(frozen=True)
class InternalResult:
    n: int
    n_rankings: int
    totals: TotalsResult
    by_department: list[DepartmentResult]
    department_test: GroupTest | None

    def to_dict(self) -> InternalJson:
        return {
            "n": whole(self.n),
            "n_rankings": whole(self.n_rankings),
            "totals": self.totals.to_dict(),
            "by_department": [d.to_dict() for d in self.by_department],
            "department_test": _test(self.department_test),
        }


@dataclass(frozen=True)
class ScaleResult:
    """CSAT or CES: mean and top-2-box share with its Wilson interval."""

    n: int
    mean: float | None
    top_box: float | None
    top_box_ci: Interval | None

    def to_dict(self) -> ScaleJson:
        return {
            "n": whole(self.n),
            "mean": number(self.mean),
            "top_box": number(self.top_box),
            "top_box_ci": interval(self.top_box_ci),
        }


@dataclass(frozen=True)
class AssessmentResults:
    """The whole assessment; :meth:`to_dict` gives the JSON contract's shape."""

    confidence: float
    min_group_size: int
    pillars: list[PillarResult]
    internal: InternalResult
    internal_agreement: AgreementResult
    priority_rank_correlation: RankCorrelation
    priorities: list[str]
    priority_reasons: list[PillarStanding]
    priority_evidence: PriorityEvidence
    nps: NpsResult
    csat: ScaleResult
    ces: ScaleResult
    by_generation: dict[str, GroupResult | SuppressedGroup]
    generation_unknown_n: int
    generation_test: GroupTest | None
    by_segment: dict[str, GroupResult | SuppressedGroup]
    segment_test: GroupTest | None
    margin_of_error: float | None
    responses_needed_for_5pt_moe: int
    validity: Validity

    def to_dict(self) -> AssessmentJson:
        return {
            "confidence": self.confidence,
            "min_group_size": whole(self.min_group_size),
            "pillars": [p.to_dict() for p in self.pillars],
            "internal": self.internal.to_dict(),
            "internal_agreement": self.internal_agreement.to_dict(),
            "priority_rank_correlation": self.priority_rank_correlation.to_dict(),
            "priorities": list(self.priorities),
            "priority_reasons": [r.to_dict() for r in self.priority_reasons],
            "priority_evidence": self.priority_evidence.to_dict(),
            "nps": self.nps.to_dict(),
            "csat": self.csat.to_dict(),
            "ces": self.ces.to_dict(),
            "by_generation": _groups(self.by_generation),
            "generation_unknown_n": whole(self.generation_unknown_n),
            "generation_test": _test(self.generation_test),
            "by_segment": _groups(self.by_segment),
            "segment_test": _test(self.segment_test),
            "margin_of_error": number(self.margin_of_error),
            "responses_needed_for_5pt_moe": whole(self.responses_needed_for_5pt_moe),
            "validity": self.validity.to_dict(),
        }


class InternalFields(TypedDict):
    """The ``internal_*`` fields of a :class:`PillarResult`, computed together."""

    internal_n: int
    internal_current_mean: float | None
    internal_current_ci: Interval | None
    internal_desired_mean: float | None
    internal_desired_ci: Interval | None
    internal_excellent_share: float | None
    internal_rank_mean: float | None


class CustomerFields(TypedDict):
    """The ``customer_*`` fields of a :class:`PillarResult`, computed together."""

    customer_n: int
    customer_importance_mean: float | None
    customer_importance_ci: Interval | None
    customer_performance_mean: float | None
    customer_performance_ci: Interval | None
    customer_excellent_share: float | None


class GapFields(TypedDict):
    """The three gaps of a :class:`PillarResult` with their intervals and tests."""

    knowledge_gap: float | None
    knowledge_gap_ci: Interval | None
    knowledge_gap_p: float | None
    knowledge_gap_test: str
    knowledge_gap_significant: bool | None
    excellent_share_gap: float | None
    excellent_share_gap_ci: Interval | None
    excellent_share_gap_p: float | None
    desire_gap: float | None
    desire_gap_ci: Interval | None
    desire_gap_p: float | None


class CustomerSummary(TypedDict):
    """The customer-wide fields of :class:`AssessmentResults`, computed together."""

    nps: NpsResult
    csat: ScaleResult
    ces: ScaleResult
    by_generation: dict[str, GroupResult | SuppressedGroup]
    generation_unknown_n: int
    generation_test: GroupTest | None
    by_segment: dict[str, GroupResult | SuppressedGroup]
    segment_test: GroupTest | None
