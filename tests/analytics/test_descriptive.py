"""Means, intervals and shares from count tables and raw arrays."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from cxgap.analytics.descriptive import (
    check_confidence,
    check_counts,
    summarize_counts,
    summarize_values,
    top_box_share,
    wilson_interval,
)
from cxgap.errors import ValidationError

five_point_tables = st.lists(st.integers(0, 200), min_size=5, max_size=5)


def test_count_table_matches_scipy_on_the_expanded_answers() -> None:
    counts = [3, 7, 12, 25, 9]
    answers = np.repeat(np.arange(1, 6), counts)
    summary = summarize_counts(counts)
    # scipy.stats.t.interval(0.95, df=55, loc=mean, scale=scipy.stats.sem(answers))
    reference = stats.t.interval(0.95, len(answers) - 1, answers.mean(), stats.sem(answers))
    assert summary.n == 56
    assert summary.mean == pytest.approx(answers.mean())
    assert summary.sd == pytest.approx(answers.std(ddof=1))
    assert summary.ci == pytest.approx(reference)


def test_count_table_respects_the_first_score() -> None:
    # CES runs 1..7 and NPS 0..10: index 0 is the lowest score, whatever it is.
    assert summarize_counts([0, 0, 0, 0, 0, 0, 4]).mean == 7.0
    assert summarize_counts([2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2], first_score=0).mean == 5.0


def test_a_million_answers_stay_a_table() -> None:
    counts = np.array([100_000, 150_000, 200_000, 300_000, 250_000], dtype=np.int64)
    summary = summarize_counts(counts)
    # mean = (1e5 + 3e5 + 6e5 + 12e5 + 12.5e5) / 1e6 = 3.45
    assert summary.n == 1_000_000
    assert summary.mean == pytest.approx(3.45)
    assert summary.ci is not None
    assert summary.ci[1] - summary.ci[0] < 0.01


@pytest.mark.parametrize("summarize", [summarize_counts, summarize_values])
def test_no_answers_give_no_numbers(summarize: object) -> None:
    empty = [0, 0, 0, 0, 0] if summarize is summarize_counts else []
    summary = summarize(empty)  # type: ignore[operator]
    assert (summary.n, summary.mean, summary.sd, summary.ci) == (0, None, None, None)


def test_a_single_answer_has_a_mean_but_no_interval() -> None:
    summary = summarize_counts([0, 0, 1, 0, 0])
    assert (summary.n, summary.mean, summary.sd, summary.ci) == (1, 3.0, None, None)


def test_identical_answers_collapse_the_interval_to_the_point() -> None:
    summary = summarize_counts([0, 0, 0, 40, 0])
    assert summary.sd == 0.0
    assert summary.ci == (4.0, 4.0)


def test_raw_values_skip_nan_and_match_scipy() -> None:
    values = [4.0, float("nan"), 5.0, 3.0, 4.0, float("nan"), 2.0]
    kept = np.array([4.0, 5.0, 3.0, 4.0, 2.0])
    summary = summarize_values(values, confidence=0.9)
    # scipy.stats.ttest_1samp(kept, 0).confidence_interval(0.9)
    reference = stats.ttest_1samp(kept, 0.0).confidence_interval(0.9)
    assert summary.n == 5
    assert summary.mean == pytest.approx(3.6)
    assert summary.ci == pytest.approx((reference.low, reference.high))


@pytest.mark.parametrize(
    ("successes", "n", "confidence", "expected"),
    [
        # statsmodels.stats.proportion.proportion_confint(8, 10, method="wilson")
        (8, 10, 0.95, (0.49016247153664183, 0.9433178485456247)),
        # proportion_confint(0, 10, method="wilson")
        (0, 10, 0.95, (0.0, 0.27753279986288926)),
        # proportion_confint(10, 10, method="wilson")
        (10, 10, 0.95, (0.7224672001371106, 1.0)),
        # proportion_confint(41, 100, alpha=0.1, method="wilson")
        (41, 100, 0.90, (0.3325089324037172, 0.4922327573372541)),
        # proportion_confint(3985, 10000, method="wilson")
        (3985, 10000, 0.95, (0.3889449639224708, 0.40813298774677653)),
    ],
)
def test_wilson_interval_matches_statsmodels(
    successes: int, n: int, confidence: float, expected: tuple[float, float]
) -> None:
    assert wilson_interval(successes, n, confidence=confidence) == pytest.approx(expected)


def test_wilson_interval_without_answers_is_none() -> None:
    assert wilson_interval(0, 0) is None


def test_top_box_counts_only_the_top_scores() -> None:
    csat = top_box_share([10, 20, 30, 25, 15], top_scores=(4, 5))
    assert (csat.n, csat.successes, csat.share) == (100, 40, 0.4)
    ces = top_box_share([1, 1, 1, 1, 1, 3, 2], top_scores=(6, 7))
    assert (ces.n, ces.successes, ces.share) == (10, 5, 0.5)
    # proportion_confint(5, 10, method="wilson")
    assert ces.ci == pytest.approx((0.23659309051256394, 0.7634069094874361))


def test_top_box_refuses_scores_off_the_scale() -> None:
    with pytest.raises(ValidationError, match="top_scores"):
        top_box_share([1, 1, 1, 1, 1], top_scores=(6, 7))


@pytest.mark.parametrize("bad", [0.0, 1.0, 95.0, -0.5, float("nan")])
def test_confidence_must_be_a_probability(bad: float) -> None:
    with pytest.raises(ValidationError, match="confidence"):
        check_confidence(bad)


@pytest.mark.parametrize(
    ("counts", "message"),
    [
        ([1, 2, 3], "expected 5 counts"),
        ([1, -2, 3, 0, 0], "non-negative"),
        ([1.5, 0, 0, 0, 0], "integers"),
    ],
)
def test_count_tables_are_refused_when_malformed(counts: list[float], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        check_counts(counts, 5, "csat_counts")


@settings(deadline=None, max_examples=150)
@given(five_point_tables, st.sampled_from([0.8, 0.9, 0.95, 0.99]))
def test_count_table_equals_the_expanded_array(counts: list[int], confidence: float) -> None:
    from_table = summarize_counts(counts, confidence=confidence)
    from_array = summarize_values(np.repeat(np.arange(1.0, 6.0), counts), confidence=confidence)
    assert from_table.n == from_array.n
    for got, want in [(from_table.mean, from_array.mean), (from_table.sd, from_array.sd)]:
        assert (got is None) == (want is None)
        if got is not None:
            assert got == pytest.approx(want, abs=1e-9)
    if from_array.ci is None:
        assert from_table.ci is None
    else:
        assert from_table.ci == pytest.approx(from_array.ci, abs=1e-9)


@settings(deadline=None, max_examples=150)
@given(st.integers(0, 500).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n))))
def test_wilson_interval_contains_the_share_and_stays_in_bounds(pair: tuple[int, int]) -> None:
    successes, n = pair
    interval = wilson_interval(successes, n)
    if n == 0:
        assert interval is None
        return
    assert interval is not None
    low, high = interval
    assert 0.0 <= low <= successes / n <= high <= 1.0
    assert not math.isnan(low) and not math.isnan(high)
