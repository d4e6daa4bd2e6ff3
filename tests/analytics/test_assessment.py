"""compute_assessment: the results contract, the numbers in it, and thin or odd data."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy import stats

from cxgap.analytics.assessment import compute_assessment
from cxgap.analytics.inputs import (
    AssessmentData,
    CustomerData,
    InternalData,
    PillarInfo,
    empty_counts,
)
from cxgap.analytics.nps import compute_nps
from cxgap.errors import ValidationError

CONTRACT = Path(__file__).resolve().parents[2] / "docs" / "results-format.md"
KEYS = ["service", "friction", "products", "digital"]
NAN = float("nan")


def pillar_infos(keys: list[str], retired: tuple[str, ...] = ()) -> list[PillarInfo]:
    return [PillarInfo(k, k.title(), k.upper(), retired=k in retired) for k in keys]


def make_data(
    *,
    colleagues: int = 12,
    customers: int = 640,
    keys: list[str] = KEYS,
    retired: tuple[str, ...] = (),
    seed: int = 7,
    departments: list[str] | None = None,
    holes: float = 0.0,
) -> AssessmentData:
    """A plausible workspace; ``holes`` is the share of colleagues' cells left unanswered."""
    rng = np.random.default_rng(seed)
    k = len(keys)
    current = rng.integers(3, 6, (colleagues, k)).astype(float)
    desired = np.minimum(5.0, current + rng.integers(0, 2, (colleagues, k)))
    rank = np.array([rng.permutation(k) + 1 for _ in range(colleagues)], dtype=float)
    rank = rank.reshape(colleagues, k)
    for matrix in (current, desired, rank):
        matrix[rng.random(matrix.shape) < holes] = np.nan
    if departments is None:
        departments = [["Marketing", "Sales", "Support"][i % 3] for i in range(colleagues)]

    def table(size: int, n: int) -> np.ndarray:
        return rng.multinomial(n, rng.dirichlet(np.ones(size))).astype(np.int64)

    by_generation = {
        "boomers": table(11, customers // 4),
        "gen_x": table(11, customers // 2),
        "silent": table(11, min(12, customers // 8)),
    }
    by_segment = {"busy_family": table(11, customers // 4), "retiree": table(11, customers // 8)}
    customer = CustomerData(
        n_responses=customers,
        importance_counts={key: table(5, customers) for key in keys},
        performance_counts={key: table(5, customers) for key in keys},
        nps_counts=table(11, customers),
        csat_counts=table(5, customers * 15 // 16),
        ces_counts=table(7, customers * 15 // 16),
        nps_by_generation=by_generation,
        nps_by_segment=by_segment,
        importance_by_generation={"gen_x": {key: table(5, customers // 2) for key in keys}},
        importance_by_segment={"busy_family": {key: table(5, customers // 4) for key in keys}},
        generation_unknown_n=14,
    )
    internal = InternalData(list(keys), current, desired, rank, departments)
    return AssessmentData(pillar_infos(keys, retired), internal, customer)


def empty_data(keys: list[str] = KEYS) -> AssessmentData:
    nothing = np.empty((0, len(keys)))
    customer = CustomerData(0, {}, {}, empty_counts(11), empty_counts(5), empty_counts(7))
    return AssessmentData(
        pillar_infos(keys), InternalData(list(keys), nothing, nothing, nothing, []), customer
    )


def strip_jsonc(text: str) -> str:
    """Drop // comments outside strings."""
    kept, in_string, i = [], False, 0
    while i < len(text):
        char = text[i]
        if char == '"' and (i == 0 or text[i - 1] != "\\"):
            in_string = not in_string
        if not in_string and text.startswith("//", i):
            while i < len(text) and text[i] != "\n":
                i += 1
            continue
        kept.append(char)
        i += 1
    return "".join(kept)


def contract_example() -> dict[str, Any]:
    block = CONTRACT.read_text(encoding="utf-8").split("```jsonc", 1)[1].split("```", 1)[0]
    example: dict[str, Any] = json.loads(strip_jsonc(block))
    # The service adds these four; the analytics produce the rest.
    del example["workspace"], example["computed_at"], example["segment_names"]
    del example["nps_period"]
    return example


def plain_types_only(value: object, path: str = "$") -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            assert type(key) is str, path
            plain_types_only(item, f"{path}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            plain_types_only(item, f"{path}[{index}]")
    else:
        assert type(value) in (str, int, float, bool, type(None)), (path, type(value))
        if type(value) is float:
            assert math.isfinite(value), path


def intervals_contain_estimates(value: object, path: str = "$") -> None:
    """Every ``x_ci`` (or ``ci``) brackets ``x``, ``x_mean``, ``mean`` or ``score``."""
    if isinstance(value, list):
        for index, item in enumerate(value):
            intervals_contain_estimates(item, f"{path}[{index}]")
    if not isinstance(value, dict):
        return
    for key, item in value.items():
        intervals_contain_estimates(item, f"{path}.{key}")
        if not (key == "ci" or key.endswith("_ci")) or item is None:
            continue
        stem = key[:-3] if key.endswith("_ci") else ""
        candidates = [stem, f"{stem}_mean"] if stem else ["mean", "score"]
        estimate = next(value[c] for c in candidates if c in value)
        low, high = item
        assert estimate is not None, f"{path}.{key}"
        assert low <= estimate <= high, (f"{path}.{key}", low, estimate, high)


# --- the contract ---------------------------------------------------------------------------


def test_top_level_and_pillar_keys_follow_the_contract_in_order() -> None:
    example = contract_example()
    result = compute_assessment(make_data()).to_dict()
    assert list(result) == list(example)
    assert list(result["pillars"][0]) == list(example["pillars"][0])


@pytest.mark.parametrize(
    "path",
    [
        ("internal",),
        ("internal", "totals"),
        ("internal", "department_test"),
        ("internal_agreement",),
        ("priority_rank_correlation",),
        ("nps",),
        ("csat",),
        ("ces",),
        ("generation_test",),
        ("segment_test",),
        ("validity",),
        ("by_generation", "gen_x"),
        ("by_generation", "silent"),
        ("by_segment", "busy_family"),
    ],
)
def test_nested_objects_follow_the_contract(path: tuple[str, ...]) -> None:
    expected: Any = contract_example()
    actual: Any = compute_assessment(make_data(colleagues=30)).to_dict()
    for step in path:
        expected, actual = expected[step], actual[step]
    assert list(actual) == list(expected)


def test_list_entries_follow_the_contract() -> None:
    example = contract_example()
    departments = ["Marketing"] * 10 + ["Sales"] * 10 + ["Support"] * 9 + ["Legal"]
    result = compute_assessment(make_data(colleagues=30, departments=departments)).to_dict()
    internal = result["internal"]
    assert list(internal["totals"]["histogram"][0]) == ["total", "count"]
    shown = [d for d in internal["by_department"] if "n" in d]
    hidden = [d for d in internal["by_department"] if d.get("suppressed")]
    assert list(shown[0]) == list(example["internal"]["by_department"][0])
    assert hidden and list(hidden[0]) == list(example["internal"]["by_department"][1])
    assert list(result["priority_reasons"][0]) == list(example["priority_reasons"][0])


def test_the_result_is_plain_json() -> None:
    result = compute_assessment(make_data()).to_dict()
    plain_types_only(result)
    json.dumps(result, allow_nan=False)


# --- the numbers ----------------------------------------------------------------------------


def test_pillar_numbers_match_reference_implementations() -> None:
    data = make_data(colleagues=15, customers=300)
    result = compute_assessment(data, confidence=0.9).to_dict()
    service = result["pillars"][0]
    current = data.internal.current[:, 0]
    desired = data.internal.desired[:, 0]
    performance = data.customer.performance_counts["service"]
    customers = np.repeat(np.arange(1.0, 6.0), performance)

    assert service["internal_n"] == 15
    assert service["internal_current_mean"] == pytest.approx(current.mean())
    assert service["customer_n"] == 300
    assert service["customer_performance_mean"] == pytest.approx(customers.mean())
    # scipy.stats.ttest_ind(current, customers, equal_var=False)
    welch = stats.ttest_ind(current, customers, equal_var=False)
    assert service["knowledge_gap"] == pytest.approx(current.mean() - customers.mean())
    assert service["knowledge_gap_p"] == pytest.approx(welch.pvalue)
    interval = welch.confidence_interval(0.9)
    assert service["knowledge_gap_ci"] == pytest.approx([interval.low, interval.high])
    assert service["knowledge_gap_significant"] == (welch.pvalue < 0.1)
    # scipy.stats.ttest_rel(desired, current)
    assert service["desire_gap_p"] == pytest.approx(stats.ttest_rel(desired, current).pvalue)
    inside, outside = int((current == 5).sum()), int(performance[4])
    # scipy.stats.fisher_exact([[inside, 15 - inside], [outside, 300 - outside]])
    fisher = stats.fisher_exact([[inside, 15 - inside], [outside, 300 - outside]])
    assert service["excellent_share_gap"] == pytest.approx(inside / 15 - outside / 300)
    assert service["excellent_share_gap_p"] == pytest.approx(fisher.pvalue)


def test_rankings_priorities_and_reasons_agree() -> None:
    result = compute_assessment(make_data()).to_dict()
    pillars = {p["key"]: p for p in result["pillars"]}
    by_importance = sorted(pillars, key=lambda k: -pillars[k]["customer_importance_mean"])
    assert [pillars[k]["customer_importance_rank"] for k in by_importance] == [1, 2, 3, 4]
    by_staff = sorted(pillars, key=lambda k: pillars[k]["internal_rank_mean"])
    assert [pillars[k]["internal_priority_rank"] for k in by_staff] == [1, 2, 3, 4]
    assert 2 <= len(result["priorities"]) <= 4
    assert result["priorities"] == [r["key"] for r in result["priority_reasons"]]
    for reason in result["priority_reasons"]:
        pillar = pillars[reason["key"]]
        assert reason["priority_score"] == pillar["priority_score"]
        assert reason["priority_score"] == pytest.approx(
            pillar["customer_importance_mean"] * (5 - pillar["customer_performance_mean"])
        )
        assert reason["quadrant"] == pillar["quadrant"]
        assert reason["importance_rank"] == pillar["customer_importance_rank"]
    best = max(pillars.values(), key=lambda p: p["priority_score"])
    assert result["priorities"][0] == best["key"]


def test_totals_agreement_and_customer_scales() -> None:
    data = make_data(colleagues=9, customers=640)
    result = compute_assessment(data).to_dict()
    totals = data.internal.current.sum(axis=1)
    shown = result["internal"]["totals"]
    assert shown["max"] == 20
    assert shown["mean"] == pytest.approx(totals.mean())
    assert (shown["min"], shown["max_observed"]) == (int(totals.min()), int(totals.max()))
    assert sum(entry["count"] for entry in shown["histogram"]) == 9
    assert result["internal_agreement"]["df"] == 3
    assert result["internal_agreement"]["n_raters"] == 9
    assert result["nps"] == compute_nps(data.customer.nps_counts).to_dict()
    csat = data.customer.csat_counts
    assert result["csat"]["top_box"] == pytest.approx(csat[3:].sum() / csat.sum())
    ces = data.customer.ces_counts
    assert result["ces"]["top_box"] == pytest.approx(ces[5:].sum() / ces.sum())
    assert result["margin_of_error"] == pytest.approx(3.87372, abs=1e-5)
    assert result["responses_needed_for_5pt_moe"] == 0
    assert result["validity"]["enough"] is True


def test_groups_and_their_tests() -> None:
    data = make_data(customers=640)
    result = compute_assessment(data, min_group_size=30).to_dict()
    assert list(result["by_generation"]) == ["silent", "boomers", "gen_x"]  # cohort order
    assert result["by_generation"]["silent"] == {"suppressed": True}
    assert result["by_generation"]["gen_x"]["n"] == 320
    assert len(result["by_generation"]["gen_x"]["top_pillars"]) == 3
    assert result["by_segment"]["busy_family"]["top_pillars"]
    assert result["by_segment"]["retiree"]["top_pillars"] == []  # no importance by retiree
    assert result["generation_unknown_n"] == 14
    shown = [data.customer.nps_by_generation[k] for k in ("boomers", "gen_x")]
    # scipy.stats.chi2_contingency(<promoters, passives, detractors> x cohort, correction=False)
    table = [[t[9:].sum(), t[7:9].sum(), t[:7].sum()] for t in shown]
    reference = stats.chi2_contingency(np.array(table), correction=False)
    assert result["generation_test"]["statistic"] == pytest.approx(reference.statistic)
    # With only gen_x big enough there is nothing to compare it with.
    strict = compute_assessment(data, min_group_size=200).to_dict()
    assert strict["generation_test"] is None
    assert strict["segment_test"] is None


def test_target_margin_is_separate_from_the_five_point_figure() -> None:
    result = compute_assessment(make_data(customers=640), target_moe_points=3.0).to_dict()
    assert result["validity"]["responses_required"] == 1068
    assert result["validity"]["responses_needed"] == 1068 - 640
    assert result["validity"]["enough"] is False
    assert result["responses_needed_for_5pt_moe"] == 0


def test_a_lower_confidence_narrows_the_intervals() -> None:
    data = make_data()
    wide = compute_assessment(data, confidence=0.99).to_dict()
    narrow = compute_assessment(data, confidence=0.8).to_dict()
    assert narrow["confidence"] == 0.8
    low_w, high_w = wide["nps"]["ci"]
    low_n, high_n = narrow["nps"]["ci"]
    assert high_n - low_n < high_w - low_w


# --- retired pillars --------------------------------------------------------------------------


def test_retired_pillars_are_shown_but_left_out_of_totals_and_priorities() -> None:
    data = make_data(retired=("digital",))
    result = compute_assessment(data).to_dict()
    digital = result["pillars"][-1]
    assert (digital["key"], digital["retired"]) == ("digital", True)
    assert digital["internal_current_mean"] is not None
    assert (digital["priority_score"], digital["quadrant"]) == (None, None)
    assert digital["customer_importance_rank"] is None
    assert "digital" not in result["priorities"]
    totals = result["internal"]["totals"]
    assert totals["max"] == 15
    assert totals["mean"] == pytest.approx(data.internal.current[:, :3].sum(axis=1).mean())
    assert result["internal_agreement"]["df"] == 2
    assert result["priority_rank_correlation"]["n"] == 3


def test_retired_pillars_without_data_are_dropped() -> None:
    data = make_data()
    ghost = PillarInfo("ghost", "Ghost", "Fantôme", retired=True)
    data = AssessmentData([*data.pillars, ghost], data.internal, data.customer)
    keys = [p["key"] for p in compute_assessment(data).to_dict()["pillars"]]
    assert keys == KEYS


# --- thin and odd data ----------------------------------------------------------------------


def single_answer_data() -> AssessmentData:
    one = np.array([[4.0, 3.0, 5.0, 2.0]])
    customer = CustomerData(
        n_responses=1,
        importance_counts={k: np.array([0, 0, 0, 1, 0]) for k in KEYS},
        performance_counts={k: np.array([0, 1, 0, 0, 0]) for k in KEYS},
        nps_counts=np.array([0] * 10 + [1]),
        csat_counts=np.array([0, 0, 0, 0, 1]),
        ces_counts=np.array([0] * 6 + [1]),
        nps_by_generation={"gen_z": np.array([0] * 10 + [1])},
    )
    internal = InternalData(KEYS, one, one, np.array([[1.0, 2.0, 3.0, 4.0]]), ["Legal"])
    return AssessmentData(pillar_infos(KEYS), internal, customer)


def identical_data() -> AssessmentData:
    fours = np.full((6, 4), 4.0)
    ranks = np.tile([1.0, 2.0, 3.0, 4.0], (6, 1))
    counts = np.array([0, 0, 200, 0, 0])
    customer = CustomerData(
        n_responses=200,
        importance_counts={k: counts for k in KEYS},
        performance_counts={k: counts for k in KEYS},
        nps_counts=np.array([0] * 8 + [200, 0, 0]),
        csat_counts=counts,
        ces_counts=np.array([0, 0, 0, 200, 0, 0, 0]),
        nps_by_generation={
            "gen_x": np.array([0] * 8 + [100, 0, 0]),
            "boomers": np.array([0] * 8 + [100, 0, 0]),
        },
    )
    internal = InternalData(KEYS, fours, fours, ranks, ["Ops"] * 6)
    return AssessmentData(pillar_infos(KEYS), internal, customer)


def internal_only_data() -> AssessmentData:
    data = make_data()
    return AssessmentData(data.pillars, data.internal, empty_data().customer)


def customers_only_data() -> AssessmentData:
    data = make_data()
    return AssessmentData(data.pillars, empty_data().internal, data.customer)


def unanswered_internal_data() -> AssessmentData:
    data = make_data()
    blank = np.full_like(data.internal.current, np.nan)
    internal = InternalData(KEYS, blank, blank, blank, data.internal.departments)
    return AssessmentData(data.pillars, internal, data.customer)


@pytest.mark.parametrize(
    "build",
    [
        empty_data,
        single_answer_data,
        identical_data,
        internal_only_data,
        customers_only_data,
        unanswered_internal_data,
    ],
)
def test_thin_data_never_crashes_and_never_yields_nan(build: Any) -> None:
    result = compute_assessment(build()).to_dict()
    plain_types_only(result)
    intervals_contain_estimates(result)
    json.dumps(result, allow_nan=False)


def test_nothing_answered_yet() -> None:
    result = compute_assessment(empty_data()).to_dict()
    assert result["nps"]["score"] is None
    assert result["internal"]["totals"]["mean"] is None
    assert result["internal"]["totals"]["histogram"] == []
    assert result["internal_agreement"]["kendall_w"] is None
    assert result["priorities"] == []
    assert result["margin_of_error"] is None
    assert result["responses_needed_for_5pt_moe"] == 385


def test_a_single_answer_each() -> None:
    result = compute_assessment(single_answer_data(), min_group_size=1).to_dict()
    service = result["pillars"][0]
    assert service["knowledge_gap"] == 2.0
    assert (service["knowledge_gap_ci"], service["knowledge_gap_p"]) == (None, None)
    assert service["knowledge_gap_significant"] is None
    assert result["nps"]["score"] == 100.0
    assert result["internal"]["by_department"] == [{"department": "Legal", "suppressed": True}]
    assert result["internal"]["department_test"] is None


def test_identical_answers_collapse_intervals_and_leave_p_undefined() -> None:
    result = compute_assessment(identical_data(), min_group_size=30).to_dict()
    service = result["pillars"][0]
    assert service["internal_current_ci"] == [4.0, 4.0]
    assert service["knowledge_gap"] == 1.0
    assert service["knowledge_gap_ci"] == [1.0, 1.0]
    assert service["knowledge_gap_p"] is None
    assert service["desire_gap_ci"] == [0.0, 0.0]
    assert result["internal_agreement"]["kendall_w"] == 1.0
    assert result["priority_rank_correlation"]["spearman_rho"] is None
    assert result["nps"]["ci"] == [0.0, 0.0]
    assert result["generation_test"] is None  # everyone is a passive
    assert result["internal"]["department_test"] is None


def test_a_million_customers_and_two_hundred_colleagues() -> None:
    data = make_data(colleagues=200, customers=1_000_000, seed=3)
    result = compute_assessment(data).to_dict()
    assert result["nps"]["n"] == 1_000_000
    assert result["pillars"][0]["customer_n"] == 1_000_000
    assert result["internal_agreement"]["n_raters"] == 200
    intervals_contain_estimates(result)


@settings(
    deadline=None,
    max_examples=40,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(
    colleagues=st.integers(0, 8),
    customers=st.integers(0, 60),
    seed=st.integers(0, 10_000),
    min_group_size=st.integers(1, 40),
    holes=st.sampled_from([0.0, 0.2, 0.9]),
)
def test_any_small_workspace_gives_clean_json(
    colleagues: int, customers: int, seed: int, min_group_size: int, holes: float
) -> None:
    data = make_data(colleagues=colleagues, customers=customers, seed=seed, holes=holes)
    result = compute_assessment(data, min_group_size=min_group_size).to_dict()
    plain_types_only(result)
    intervals_contain_estimates(result)
    for key, group in result["by_generation"].items():
        n = int(sum(data.customer.nps_by_generation[key]))
        if n < min_group_size:
            assert group == {"suppressed": True}
        else:
            assert group["n"] == n


# --- refusals ---------------------------------------------------------------------------------


def replace_internal(data: AssessmentData, **changes: Any) -> AssessmentData:
    internal = data.internal
    fields = {
        "pillar_keys": internal.pillar_keys,
        "current": internal.current,
        "desired": internal.desired,
        "rank": internal.rank,
        "departments": internal.departments,
    }
    fields.update(changes)
    return AssessmentData(data.pillars, InternalData(**fields), data.customer)


def test_refuses_scores_off_the_scale_naming_the_row() -> None:
    data = make_data(colleagues=4)
    current = data.internal.current.copy()
    current[2, 1] = 7.0
    with pytest.raises(ValidationError) as caught:
        compute_assessment(replace_internal(data, current=current))
    problem = caught.value.problems[0]
    assert (problem.field, problem.row, problem.value) == ("current[friction]", 2, 7.0)


def test_refuses_ranks_below_one_and_unnamed_departments() -> None:
    data = make_data(colleagues=3)
    rank = data.internal.rank.copy()
    rank[0, 0] = 0.0
    with pytest.raises(ValidationError, match="must be a rank from 1"):
        compute_assessment(replace_internal(data, rank=rank))
    with pytest.raises(ValidationError, match="must be text"):
        compute_assessment(replace_internal(data, departments=["A", None, "B"]))


def test_refuses_an_unknown_pillar_and_mismatched_shapes() -> None:
    data = make_data(colleagues=3)
    with pytest.raises(ValidationError, match="not a pillar"):
        compute_assessment(replace_internal(data, pillar_keys=["service", "friction", "x", "y"]))
    with pytest.raises(ValidationError, match=r"internal\.desired"):
        compute_assessment(replace_internal(data, desired=np.ones((2, 4))))
    with pytest.raises(ValidationError, match=r"internal\.departments"):
        compute_assessment(replace_internal(data, departments=["A"]))


def test_refuses_more_answers_than_responses() -> None:
    data = make_data(customers=100)
    customer = data.customer
    inflated = CustomerData(
        n_responses=50,
        importance_counts=customer.importance_counts,
        performance_counts=customer.performance_counts,
        nps_counts=customer.nps_counts,
        csat_counts=customer.csat_counts,
        ces_counts=customer.ces_counts,
    )
    with pytest.raises(ValidationError, match="more answers than the 50 responses"):
        compute_assessment(AssessmentData(data.pillars, data.internal, inflated))


def test_refuses_a_misshapen_count_table_and_an_unknown_cohort() -> None:
    data = make_data()
    customer = data.customer
    short = CustomerData(
        640, {}, {}, np.array([1, 2, 3]), customer.csat_counts, customer.ces_counts
    )
    with pytest.raises(ValidationError, match=r"customer\.nps_counts"):
        compute_assessment(AssessmentData(data.pillars, data.internal, short))
    odd_cohort = CustomerData(
        640,
        {},
        {},
        customer.nps_counts,
        customer.csat_counts,
        customer.ces_counts,
        nps_by_generation={"gen_omega": np.ones(11, dtype=np.int64)},
    )
    with pytest.raises(ValidationError, match="gen_omega"):
        compute_assessment(AssessmentData(data.pillars, data.internal, odd_cohort))


@pytest.mark.parametrize(
    ("options", "field"),
    [
        ({"confidence": 1.5}, "confidence"),
        ({"min_group_size": 0}, "min_group_size"),
        ({"target_moe_points": 0.0}, "target_moe_points"),
    ],
)
def test_refuses_bad_options(options: dict[str, Any], field: str) -> None:
    with pytest.raises(ValidationError, match=field):
        compute_assessment(make_data(), **options)


def test_refuses_duplicate_pillars() -> None:
    data = make_data()
    with pytest.raises(ValidationError, match="more than once"):
        compute_assessment(
            AssessmentData([*data.pillars, data.pillars[0]], data.internal, data.customer)
        )
