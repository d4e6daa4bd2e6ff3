"""Net Promoter Score from 11 counts."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cxgap.analytics.nps import compute_nps, nps_categories, nps_interval
from cxgap.errors import ValidationError

nps_tables = st.lists(st.integers(0, 300), min_size=11, max_size=11)


def test_categories_follow_the_standard_cut_points() -> None:
    # 0-6 detractors, 7-8 passives, 9-10 promoters: one answer per score.
    assert nps_categories([1] * 11) == (2, 2, 7)
    result = compute_nps([1] * 11)
    assert result.score == pytest.approx(100 * (2 - 7) / 11)


def test_worked_example() -> None:
    # 640 answers: 150 promoters, 260 passives, 230 detractors.
    # NPS = 100 (150 − 230) / 640 = −12.5
    # var = 150/640 + 230/640 − (−80/640)² = 0.59375 − 0.015625 = 0.578125
    # half-width = 1.959964 × √(0.578125 / 640) × 100 = 5.890732
    counts = [0, 0, 0, 0, 0, 0, 230, 130, 130, 75, 75]
    result = compute_nps(counts)
    assert (result.n, result.promoters, result.passives, result.detractors) == (640, 150, 260, 230)
    assert result.score == -12.5
    assert result.ci == pytest.approx((-12.5 - 5.890732, -12.5 + 5.890732), abs=1e-5)
    assert result.method == "wald_trinomial"


def test_interval_equals_the_normal_interval_of_the_plus_minus_one_coding() -> None:
    # NPS is the mean of +100 (promoter), 0 (passive), −100 (detractor); the trinomial variance
    # is that coding's population variance, so the two computations must agree.
    counts = np.array([3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5])
    coded = np.repeat([-100.0] * 7 + [0.0] * 2 + [100.0] * 2, counts)
    half = 1.959963984540054 * coded.std(ddof=0) / math.sqrt(coded.size)
    result = compute_nps(counts)
    assert result.score == pytest.approx(coded.mean())
    assert result.ci == pytest.approx((coded.mean() - half, coded.mean() + half))


def test_interval_is_clipped_to_the_scale() -> None:
    low, high = nps_interval(promoters=9, detractors=0, n=10)
    assert high == 100.0
    assert low < 90.0


def test_unanimous_promoters_collapse_the_interval() -> None:
    result = compute_nps([0] * 9 + [0, 12])
    assert result.score == 100.0
    assert result.ci == (100.0, 100.0)


def test_no_answers_give_no_score() -> None:
    result = compute_nps([0] * 11)
    assert (result.n, result.score, result.ci) == (0, None, None)
    assert result.to_dict()["score"] is None


def test_to_dict_follows_the_contract() -> None:
    shown = compute_nps([0] * 6 + [1, 0, 0, 0, 1]).to_dict()
    assert list(shown) == ["score", "ci", "n", "promoters", "passives", "detractors", "method"]
    assert isinstance(shown["ci"], list)


def test_refuses_a_table_of_the_wrong_size() -> None:
    with pytest.raises(ValidationError, match="expected 11 counts"):
        compute_nps([1, 2, 3, 4, 5])


@settings(deadline=None, max_examples=200)
@given(nps_tables, st.sampled_from([0.8, 0.95, 0.99]))
def test_score_and_interval_stay_on_the_scale(counts: list[int], confidence: float) -> None:
    result = compute_nps(counts, confidence=confidence)
    if result.n == 0:
        assert result.score is None and result.ci is None
        return
    assert result.score is not None and result.ci is not None
    low, high = result.ci
    assert -100.0 <= low <= result.score <= high <= 100.0
    assert result.promoters + result.passives + result.detractors == sum(counts)
