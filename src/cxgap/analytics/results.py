"""The shape of the assessment's answer: frozen dataclasses whose ``to_dict`` is the JSON
contract of docs/results-format.md (minus ``workspace`` and ``computed_at``, which the service
adds). Every value they hold is a plain Python number, string, bool, list or ``None``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, fields
from typing import Any

import numpy as np

from cxgap.analytics.agreement import AgreementResult
from cxgap.analytics.descriptive import Interval
from cxgap.analytics.nps import NpsResult
from cxgap.analytics.priorities import PillarStanding, PriorityEvidence, RankCorrelation
from cxgap.analytics.sampling import Validity
from cxgap.analytics.segments import DepartmentResult, GroupResult, GroupTest, SuppressedGroup


def plain(value: Any) -> Any:
    """A JSON-ready copy: dataclasses via ``to_dict``, tuples as lists, NaN and numpy gone.

    >>> plain({"a": (np.float64(1.5), float("nan")), "b": [np.int64(2)]})
    {'a': [1.5, None], 'b': [2]}
    """
    if hasattr(value, "to_dict"):
        return plain(value.to_dict())
    if isinstance(value, dict):
        return {str(key): plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [plain(item) for item in value]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def as_number(value: float) -> int | float:
    """Totals of whole scores are whole: show 38, not 38.0."""
    return int(value) if float(value).is_integer() else float(value)


def fields_dict(instance: Any) -> dict[str, object]:
    """A dataclass as a JSON-ready dict, fields in declaration order (the contract's order)."""
    return {f.name: plain(getattr(instance, f.name)) for f in fields(instance)}


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

    def to_dict(self) -> dict[str, object]:
        return fields_dict(self)


@dataclass(frozen=True)
class TotalsResult:
    """Colleagues' self-assessment totals over the active pillars."""

    max: int
    mean: float | None
    ci: Interval | None
    min: int | float | None
    max_observed: int | float | None
    histogram: list[dict[str, int | float]]

    def to_dict(self) -> dict[str, object]:
        return fields_dict(self)


@dataclass(frozen=True)
class InternalResult:
    n: int
    n_rankings: int
    totals: TotalsResult
    by_department: list[DepartmentResult]
    department_test: GroupTest | None

    def to_dict(self) -> dict[str, object]:
        return fields_dict(self)


@dataclass(frozen=True)
class ScaleResult:
    """CSAT or CES: mean and top-2-box share with its Wilson interval."""

    n: int
    mean: float | None
    top_box: float | None
    top_box_ci: Interval | None

    def to_dict(self) -> dict[str, object]:
        return fields_dict(self)


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

    def to_dict(self) -> dict[str, object]:
        return fields_dict(self)
