"""Knowledge, desire and excellent-share gaps."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from cxgap.analytics.descriptive import summarize_counts, summarize_values
from cxgap.analytics.gaps import (
    compare_means,
    newcombe_interval,
    paired_gap,
    share_gap,
    welch_gap,
)
from cxgap.errors import ValidationError

NAN = float("nan")


def test_welch_gap_matches_scipy_from_summary_statistics() -> None:
    result = welch_gap(4.25, 0.6, 12, 2.9, 1.1, 640, confidence=0.95)
    # scipy.stats.ttest_ind_from_stats(4.25, 0.6, 12, 2.9, 1.1, 640, equal_var=False)
    reference = stats.ttest_ind_from_stats(4.25, 0.6, 12, 2.9, 1.1, 640, equal_var=False)
    assert result.diff == pytest.approx(1.35)
    assert result.p == pytest.approx(reference.pvalue)
    assert result.p == pytest.approx(5.4159187144043795e-06)
    assert result.test == "welch_t"


def test_knowledge_gap_from_a_count_table_matches_scipy_on_expanded_answers() -> None:
    colleagues = np.array([4, 5, 4, 3, 5, 4, 4, 5, 3, 4], dtype=float)
    customer_counts = [12, 30, 41, 22, 9]
    customers = np.repeat(np.arange(1.0, 6.0), customer_counts)
    result = compare_means(
        summarize_values(colleagues), summarize_counts(customer_counts), confidence=0.9
    )
    # scipy.stats.ttest_ind(colleagues, customers, equal_var=False), .confidence_interval(0.9)
    reference = stats.ttest_ind(colleagues, customers, equal_var=False)
    interval = reference.confidence_interval(0.9)
    assert result.diff == pytest.approx(colleagues.mean() - customers.mean())
    assert result.p == pytest.approx(reference.pvalue)
    assert result.ci == pytest.approx((interval.low, interval.high))


def test_one_constant_side_still_has_a_welch_test() -> None:
    # All customers say 3: the spread comes from the colleagues alone (df = n_a − 1).
    colleagues = np.array([4.0, 5.0, 4.0, 3.0, 5.0])
    result = welch_gap(colleagues.mean(), colleagues.std(ddof=1), 5, 3.0, 0.0, 200)
    reference = stats.ttest_1samp(colleagues, 3.0)
    assert result.p == pytest.approx(reference.pvalue)


def test_identical_answers_on_both_sides_give_no_p_value() -> None:
    different = welch_gap(4.0, 0.0, 5, 3.0, 0.0, 50)
    assert (different.diff, different.ci, different.p) == (1.0, (1.0, 1.0), None)
    same = compare_means(summarize_values([4.0, 4.0]), summarize_counts([0, 0, 0, 9, 0]))
    assert (same.diff, same.ci, same.p) == (0.0, (0.0, 0.0), None)


def test_missing_sides_give_what_can_be_given() -> None:
    nobody = compare_means(summarize_values([]), summarize_counts([1, 2, 3, 4, 5]))
    assert (nobody.diff, nobody.ci, nobody.p) == (None, None, None)
    one_colleague = compare_means(summarize_values([5.0]), summarize_counts([0, 0, 2, 2, 0]))
    assert (one_colleague.diff, one_colleague.ci, one_colleague.p) == (1.5, None, None)


def test_welch_refuses_what_it_cannot_test() -> None:
    with pytest.raises(ValidationError, match="two answers"):
        welch_gap(4.0, 1.0, 1, 3.0, 1.0, 10)
    with pytest.raises(ValidationError, match="negative"):
        welch_gap(4.0, -1.0, 5, 3.0, 1.0, 10)


def test_desire_gap_matches_scipy_paired_test() -> None:
    desired = np.array([5, 5, 4, 5, 4, 5, 3, 5], dtype=float)
    current = np.array([4, 3, 4, 4, 2, 5, 3, 3], dtype=float)
    result = paired_gap(desired, current, confidence=0.95)
    # scipy.stats.ttest_rel(desired, current), .confidence_interval(0.95)
    reference = stats.ttest_rel(desired, current)
    interval = reference.confidence_interval(0.95)
    assert result.diff == pytest.approx(1.0)  # differences 1 2 0 1 2 0 0 2
    assert result.p == pytest.approx(reference.pvalue)
    assert result.ci == pytest.approx((interval.low, interval.high))
    assert result.test == "paired_t"


def test_desire_gap_skips_incomplete_pairs() -> None:
    result = paired_gap([5, NAN, 4, 5, 5], [4, 3, NAN, 3, 4])
    reference = stats.ttest_rel([5, 5, 5], [4, 3, 4])
    assert result.diff == pytest.approx(4 / 3)
    assert result.p == pytest.approx(reference.pvalue)


def test_desire_gap_edge_cases() -> None:
    assert paired_gap([], []).diff is None
    single = paired_gap([5.0], [3.0])
    assert (single.diff, single.ci, single.p) == (2.0, None, None)
    constant = paired_gap([5.0, 4.0, 3.0], [4.0, 3.0, 2.0])
    assert (constant.diff, constant.ci, constant.p) == (1.0, (1.0, 1.0), None)
    with pytest.raises(ValidationError, match="same shape"):
        paired_gap([1.0, 2.0], [1.0])


def test_newcombe_paper_example() -> None:
    # Newcombe (1998), Statistics in Medicine 17:873, Table II example (a): 56/70 − 48/80,
    # method 10 gives 0.0524 to 0.3339.
    # statsmodels confint_proportions_2indep(56, 70, 48, 80, method="newcomb", compare="diff")
    # → (0.05243147240236498, 0.33387265403690614)
    interval = newcombe_interval(56, 70, 48, 80)
    assert interval == pytest.approx((0.05243147240236498, 0.33387265403690614))


@pytest.mark.parametrize(
    ("counts", "expected"),
    [
        # confint_proportions_2indep(5, 12, 51, 640, method="newcomb", compare="diff")
        ((5, 12, 51, 640), (0.11233231322918213, 0.6014532385403865)),
        # confint_proportions_2indep(0, 3, 0, 10, method="newcomb", compare="diff")
        ((0, 3, 0, 10), (-0.27753279986288926, 0.5614970317550455)),
        # confint_proportions_2indep(3, 3, 0, 5, method="newcomb", compare="diff")
        ((3, 3, 0, 5), (0.29003244519640936, 1.0)),
        # confint_proportions_2indep(9, 10, 3, 10, method="newcomb", compare="diff")
        ((9, 10, 3, 10), (0.1705227239345029, 0.809017973535488)),
    ],
)
def test_newcombe_matches_statsmodels(
    counts: tuple[int, int, int, int], expected: tuple[float, float]
) -> None:
    assert newcombe_interval(*counts) == pytest.approx(expected)


def test_excellent_share_gap_uses_fisher_exact() -> None:
    # Fisher's "lady tasting tea": [[3, 1], [1, 3]], two-sided p = 34/70 = 0.4857.
    result = share_gap(3, 4, 1, 4)
    assert result.diff == 0.5
    assert result.p == pytest.approx(34 / 70)
    assert result.test == "fisher_exact"


def test_excellent_share_gap_without_answers() -> None:
    result = share_gap(0, 0, 10, 100)
    assert (result.diff, result.ci, result.p) == (None, None, None)


def test_excellent_share_gap_refuses_impossible_counts() -> None:
    with pytest.raises(ValidationError, match="successes_a"):
        share_gap(5, 4, 1, 10)


@settings(deadline=None, max_examples=150)
@given(
    st.integers(1, 60).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n))),
    st.integers(1, 5000).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n))),
)
def test_share_gap_interval_contains_the_difference(
    inside: tuple[int, int], outside: tuple[int, int]
) -> None:
    result = share_gap(*inside, *outside)
    assert result.diff is not None and result.ci is not None and result.p is not None
    assert -1.0 <= result.ci[0] <= result.diff <= result.ci[1] <= 1.0
    assert 0.0 <= result.p <= 1.0


@settings(deadline=None, max_examples=150)
@given(
    st.lists(st.tuples(st.integers(1, 5), st.integers(1, 5)), min_size=2, max_size=40),
    st.sampled_from([0.8, 0.95, 0.99]),
)
def test_paired_gap_agrees_with_scipy(pairs: list[tuple[int, int]], confidence: float) -> None:
    desired = np.array([p[0] for p in pairs], dtype=float)
    current = np.array([p[1] for p in pairs], dtype=float)
    result = paired_gap(desired, current, confidence=confidence)
    assert result.diff == pytest.approx(float(np.mean(desired - current)))
    assert result.ci is not None and result.ci[0] <= result.diff <= result.ci[1]
    if np.ptp(desired - current) == 0:
        assert result.p is None
    else:
        reference = stats.ttest_rel(desired, current)
        assert result.p == pytest.approx(reference.pvalue)
