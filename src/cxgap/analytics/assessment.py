"""The pillar assessment: every statistic of docs/results-format.md from one call.

:func:`compute_assessment` takes what the storage layer gathered (:mod:`.inputs`) and returns
:class:`AssessmentResults`, whose :meth:`~AssessmentResults.to_dict` is the JSON contract minus
``workspace`` and ``computed_at``. Nothing is rounded here; rendering rounds.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
from numpy.typing import NDArray

from cxgap.analytics.agreement import kendall_w
from cxgap.analytics.descriptive import (
    check_confidence,
    summarize_counts,
    summarize_values,
    top_box_share,
)
from cxgap.analytics.gaps import compare_means, paired_gap, share_gap
from cxgap.analytics.generations import GENERATION_KEYS
from cxgap.analytics.group_results import (
    GroupResult,
    GroupTest,
    SuppressedGroup,
    check_min_group_size,
    department_test,
    nps_category_test,
    summarize_departments,
    summarize_groups,
)
from cxgap.analytics.inputs import AssessmentData, CustomerData, PillarInfo
from cxgap.analytics.nps import compute_nps
from cxgap.analytics.priorities import (
    PillarStanding,
    ordinal_ranks,
    priority_evidence,
    rank_correlation,
    rank_pillars,
    select_priorities,
)
from cxgap.analytics.results import (
    AssessmentResults,
    CustomerFields,
    CustomerSummary,
    GapFields,
    InternalFields,
    InternalResult,
    PillarResult,
    ScaleResult,
    TotalsResult,
    as_number,
)
from cxgap.analytics.sampling import (
    assess_validity,
    margin_of_error,
    responses_needed,
    responses_required,
)
from cxgap.analytics.validation import check_assessment_data

__all__ = ["AssessmentResults", "PillarResult", "compute_assessment"]

EXCELLENT = 5
SCALE_MAX = 5
CSAT_TOP_BOX = (4, 5)
CES_TOP_BOX = (6, 7)
CONTRACT_MOE_POINTS = 5.0  # the literal "5pt" of responses_needed_for_5pt_moe
_NO_COUNTS = np.zeros(SCALE_MAX, dtype=np.int64)


def _column(matrix: NDArray[np.float64], keys: list[str], key: str) -> NDArray[np.float64]:
    """One pillar's column; all NaN when colleagues were never asked about it."""
    if key in keys:
        return matrix[:, keys.index(key)]
    return np.full(matrix.shape[0], np.nan)


def _active_columns(
    matrix: NDArray[np.float64], keys: list[str], active: list[str]
) -> NDArray[np.float64]:
    """The active pillars' columns, in workspace order."""
    columns = [_column(matrix, keys, key) for key in active]
    return np.column_stack(columns) if columns else np.empty((matrix.shape[0], 0))


def _pillar_result(info: PillarInfo, data: AssessmentData, confidence: float) -> PillarResult:
    """One pillar's own numbers; the cross-pillar ones are filled in by :func:`_with_ranks`."""
    internal, customer = data.internal, data.customer
    current = _column(internal.current, internal.pillar_keys, info.key)
    desired = _column(internal.desired, internal.pillar_keys, info.key)
    ranks = _column(internal.rank, internal.pillar_keys, info.key)
    performance = customer.performance_counts.get(info.key, _NO_COUNTS)
    importance = customer.importance_counts.get(info.key, _NO_COUNTS)
    return PillarResult(
        key=info.key,
        name_en=info.name_en,
        name_fr=info.name_fr,
        retired=info.retired,
        **_internal_fields(current, desired, ranks, confidence),
        internal_priority_rank=None,
        **_customer_fields(importance, performance, confidence),
        customer_importance_rank=None,
        **_gap_fields(current, desired, performance, confidence),
        priority_score=None,
        quadrant=None,
    )


def _internal_fields(
    current: NDArray[np.float64],
    desired: NDArray[np.float64],
    ranks: NDArray[np.float64],
    confidence: float,
) -> InternalFields:
    now = summarize_values(current, confidence=confidence)
    wanted = summarize_values(desired, confidence=confidence)
    excellent = int(np.sum(current == EXCELLENT))
    return {
        "internal_n": now.n,
        "internal_current_mean": now.mean,
        "internal_current_ci": now.ci,
        "internal_desired_mean": wanted.mean,
        "internal_desired_ci": wanted.ci,
        "internal_excellent_share": excellent / now.n if now.n else None,
        "internal_rank_mean": summarize_values(ranks).mean,
    }


def _customer_fields(
    importance_counts: NDArray[np.int64], performance_counts: NDArray[np.int64], confidence: float
) -> CustomerFields:
    importance = summarize_counts(importance_counts, confidence=confidence)
    performance = summarize_counts(performance_counts, confidence=confidence)
    excellent = int(performance_counts[EXCELLENT - 1])
    return {
        "customer_n": performance.n,
        "customer_importance_mean": importance.mean,
        "customer_importance_ci": importance.ci,
        "customer_performance_mean": performance.mean,
        "customer_performance_ci": performance.ci,
        "customer_excellent_share": excellent / performance.n if performance.n else None,
    }


def _gap_fields(
    current: NDArray[np.float64],
    desired: NDArray[np.float64],
    performance_counts: NDArray[np.int64],
    confidence: float,
) -> GapFields:
    inside = summarize_values(current, confidence=confidence)
    outside = summarize_counts(performance_counts, confidence=confidence)
    knowledge = compare_means(inside, outside, confidence=confidence)
    excellent = share_gap(
        int(np.sum(current == EXCELLENT)),
        inside.n,
        int(performance_counts[EXCELLENT - 1]),
        outside.n,
        confidence=confidence,
    )
    desire = paired_gap(desired, current, confidence=confidence)
    return {
        "knowledge_gap": knowledge.diff,
        "knowledge_gap_ci": knowledge.ci,
        "knowledge_gap_p": knowledge.p,
        "knowledge_gap_test": knowledge.test,
        # Undefined p (no spread) leaves significance undefined too, rather than "no".
        "knowledge_gap_significant": None if knowledge.p is None else knowledge.p < 1 - confidence,
        "excellent_share_gap": excellent.diff,
        "excellent_share_gap_ci": excellent.ci,
        "excellent_share_gap_p": excellent.p,
        "desire_gap": desire.diff,
        "desire_gap_ci": desire.ci,
        "desire_gap_p": desire.p,
    }


def _has_data(pillar: PillarResult) -> bool:
    return bool(
        pillar.internal_n
        or pillar.internal_desired_mean is not None
        or pillar.internal_rank_mean is not None
        or pillar.customer_n
        or pillar.customer_importance_mean is not None
    )


def _with_ranks(pillars: list[PillarResult]) -> tuple[list[PillarResult], list[PillarStanding]]:
    """Fill the cross-pillar fields (ranks, scores, quadrants) of the active pillars."""
    active = [p for p in pillars if not p.retired]
    internal_ranks = ordinal_ranks([p.internal_rank_mean for p in active], descending=False)
    importance_ranks = ordinal_ranks([p.customer_importance_mean for p in active])
    standings = rank_pillars(
        [p.key for p in active],
        [p.customer_importance_mean for p in active],
        [p.customer_performance_mean for p in active],
    )
    by_key = {s.key: s for s in standings}
    updated = {
        p.key: replace(
            p,
            internal_priority_rank=internal_ranks[i],
            customer_importance_rank=importance_ranks[i],
            priority_score=by_key[p.key].priority_score if p.key in by_key else None,
            quadrant=by_key[p.key].quadrant if p.key in by_key else None,
        )
        for i, p in enumerate(active)
    }
    return [updated.get(p.key, p) for p in pillars], standings


def _internal_totals(data: AssessmentData, active: list[str], confidence: float) -> InternalResult:
    internal = data.internal
    current = _active_columns(internal.current, internal.pillar_keys, active)
    # NaN when any active pillar is missing, and no total at all without active pillars.
    totals = current.sum(axis=1) if active else np.full(internal.n, np.nan)
    complete = totals[~np.isnan(totals)]
    summary = summarize_values(complete, confidence=confidence)
    observed, counts = np.unique(complete, return_counts=True)
    departments = summarize_departments(totals, internal.departments, confidence=confidence)
    shown = [d.department for d in departments if not d.suppressed]
    ranks = _active_columns(internal.rank, internal.pillar_keys, active)
    return InternalResult(
        n=internal.n,
        # Colleagues who ranked every active pillar: only they count in W and rho.
        n_rankings=int((~np.isnan(ranks).any(axis=1)).sum()) if active else 0,
        totals=TotalsResult(
            max=SCALE_MAX * len(active),
            mean=summary.mean,
            ci=summary.ci,
            min=as_number(complete.min()) if complete.size else None,
            max_observed=as_number(complete.max()) if complete.size else None,
            histogram=[
                {"total": as_number(total), "count": int(count)}
                for total, count in zip(observed, counts, strict=True)
            ],
        ),
        by_department=departments,
        department_test=department_test(totals, internal.departments, shown),
    )


def _scale(counts: NDArray[np.int64], top: tuple[int, ...], confidence: float) -> ScaleResult:
    summary = summarize_counts(counts, confidence=confidence)
    share = top_box_share(counts, top, confidence=confidence)
    return ScaleResult(n=summary.n, mean=summary.mean, top_box=share.share, top_box_ci=share.ci)


def _groups_and_test(
    nps_by_group: dict[str, NDArray[np.int64]],
    importance_by_group: dict[str, dict[str, NDArray[np.int64]]],
    *,
    active: list[str],
    min_group_size: int,
    confidence: float,
    order: tuple[str, ...] | None,
) -> tuple[dict[str, GroupResult | SuppressedGroup], GroupTest | None]:
    groups = summarize_groups(
        nps_by_group,
        importance_by_group,
        pillar_keys=active,
        min_group_size=min_group_size,
        confidence=confidence,
        order=order,
    )
    shown = [nps_by_group[key] for key, group in groups.items() if isinstance(group, GroupResult)]
    return groups, nps_category_test(shown)


def _customer_results(
    customer: CustomerData,
    active: list[str],
    *,
    min_group_size: int,
    confidence: float,
) -> CustomerSummary:
    by_generation, generation_test = _groups_and_test(
        customer.nps_by_generation,
        customer.importance_by_generation,
        active=active,
        min_group_size=min_group_size,
        confidence=confidence,
        order=GENERATION_KEYS,
    )
    by_segment, segment_test = _groups_and_test(
        customer.nps_by_segment,
        customer.importance_by_segment,
        active=active,
        min_group_size=min_group_size,
        confidence=confidence,
        order=None,
    )
    return {
        "nps": compute_nps(customer.nps_counts, confidence=confidence),
        "csat": _scale(customer.csat_counts, CSAT_TOP_BOX, confidence),
        "ces": _scale(customer.ces_counts, CES_TOP_BOX, confidence),
        "by_generation": by_generation,
        "generation_unknown_n": customer.generation_unknown_n,
        "generation_test": generation_test,
        "by_segment": by_segment,
        "segment_test": segment_test,
    }


def compute_assessment(
    data: AssessmentData,
    *,
    confidence: float = 0.95,
    min_group_size: int = 30,
    target_moe_points: float = 5.0,
) -> AssessmentResults:
    """Every statistic of the pillar assessment, per docs/results-format.md.

    Retired pillars with data are reported with ``retired: true`` but take no part in totals,
    agreement, rankings or priorities. Anything that cannot be computed (no answers, a single
    answer, no spread to test against) is ``None``; nothing here ever raises on thin data.

    Examples
    --------
    >>> from cxgap.analytics.inputs import CustomerData, InternalData, PillarInfo, empty_counts
    >>> empty = np.empty((0, 1))
    >>> data = AssessmentData(
    ...     pillars=[PillarInfo("service", "Customer service", "Service client")],
    ...     internal=InternalData(["service"], empty, empty, empty, []),
    ...     customer=CustomerData(0, {}, {}, empty_counts(11), empty_counts(5), empty_counts(7)))
    >>> result = compute_assessment(data).to_dict()
    >>> result["nps"]["score"], result["pillars"][0]["knowledge_gap"], result["priorities"]
    (None, None, [])
    >>> result["validity"]["responses_needed"]
    385
    """
    confidence = check_confidence(confidence)
    min_group_size = check_min_group_size(min_group_size)
    check_assessment_data(data)
    validity = assess_validity(  # refuses a bad target before any work is done
        data.customer.n_responses, target_moe_points=target_moe_points, confidence=confidence
    )
    computed = [_pillar_result(info, data, confidence) for info in data.pillars]
    kept = [p for p in computed if not p.retired or _has_data(p)]
    pillars, standings = _with_ranks(kept)
    active = [p.key for p in pillars if not p.retired]
    n_responses = data.customer.n_responses
    evidence = priority_evidence(n_responses)
    # Below the minimum the order of pillars is mostly noise: no conclusion is drawn.
    chosen = select_priorities(standings) if evidence.enough else []
    return AssessmentResults(
        confidence=confidence,
        min_group_size=min_group_size,
        pillars=pillars,
        internal=_internal_totals(data, active, confidence),
        internal_agreement=kendall_w(
            _active_columns(data.internal.rank, data.internal.pillar_keys, active)
        ),
        priority_rank_correlation=rank_correlation(
            [p.internal_rank_mean for p in pillars if not p.retired],
            [p.customer_importance_mean for p in pillars if not p.retired],
        ),
        priorities=[s.key for s in chosen],
        priority_reasons=chosen,
        priority_evidence=evidence,
        **_customer_results(
            data.customer, active, min_group_size=min_group_size, confidence=confidence
        ),
        margin_of_error=margin_of_error(n_responses, confidence=confidence),
        responses_needed_for_5pt_moe=responses_needed(
            n_responses, responses_required(CONTRACT_MOE_POINTS, confidence=confidence)
        ),
        validity=validity,
    )
