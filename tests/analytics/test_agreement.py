"""Kendall's coefficient of concordance W."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from scipy import stats

from cxgap.analytics.agreement import complete_raters, interpret_w, kendall_w
from cxgap.errors import ValidationError

NAN = float("nan")


def test_proofwiki_example() -> None:
    # ProofWiki, "Kendall's Coefficient of Concordance/Examples/Arbitrary Example 1":
    # judges A–D rank competitors X, Y, Z; rank sums 7, 9, 8; S = 2; W = 12·2 / (4²·3·8) = 1/16.
    judges = [[1, 3, 2], [1, 2, 3], [2, 3, 1], [3, 1, 2]]
    result = kendall_w(judges)
    assert result.kendall_w == pytest.approx(1 / 16)
    assert result.chi2 == pytest.approx(4 * 2 / 16)
    assert result.df == 2
    assert result.interpretation == "none"


def test_strawberry_farms_example() -> None:
    # influentialpoints.com, "Kendall coefficient of concordance", worked example I:
    # 4 raters rank 8 farms; rank sums 31 12 12 15 22 5 22 25; SS = 500;
    # W = 500 / (504 × 16 / 12) = 0.744; k(N − 1)W = 20.83; "R gives a P-value of 0.004".
    raters = [
        [8, 4, 2, 3, 5, 1, 6, 7],
        [7, 3, 1, 4, 5, 2, 6, 8],
        [8, 2, 5, 6, 7, 1, 4, 3],
        [8, 3, 4, 2, 5, 1, 6, 7],
    ]
    result = kendall_w(raters)
    assert result.kendall_w == pytest.approx(500 / 672)
    assert result.chi2 == pytest.approx(20.83, abs=0.01)
    assert result.df == 7
    assert result.p == pytest.approx(0.004, abs=0.0005)
    assert result.n_raters == 4
    assert result.interpretation == "strong"


def test_hand_computed_example() -> None:
    # Rank sums 4, 6, 8, 12 around a mean of 7.5: S = 12.25 + 2.25 + 0.25 + 20.25 = 35;
    # W = 12 × 35 / (3² × (4³ − 4)) = 420 / 540 = 0.7778.
    result = kendall_w([[1, 2, 3, 4], [1, 3, 2, 4], [2, 1, 3, 4]])
    assert result.kendall_w == pytest.approx(420 / 540)
    assert result.p == pytest.approx(stats.chi2.sf(3 * 3 * 420 / 540, 3))


def test_tie_correction_matches_friedman() -> None:
    # Friedman's chi-square (tie-corrected) equals m (n − 1) W.
    raters = np.array(
        [[1, 2, 2, 4, 5], [1, 1, 3, 4, 5], [2, 1, 3, 5, 4], [1, 3, 2, 4, 4], [3, 3, 3, 1, 2]],
        dtype=float,
    )
    m, n = raters.shape
    # scipy.stats.friedmanchisquare(*raters.T)
    reference = stats.friedmanchisquare(*raters.T)
    result = kendall_w(raters)
    assert result.chi2 == pytest.approx(reference.statistic)
    assert result.kendall_w == pytest.approx(reference.statistic / (m * (n - 1)))
    assert result.p == pytest.approx(reference.pvalue)


def test_scores_are_reranked_within_each_rater() -> None:
    # A rater's 10, 20, 30 says the same as 1, 2, 3.
    assert kendall_w([[10, 20, 30], [1, 2, 3]]).kendall_w == 1.0


def test_incomplete_raters_are_dropped_and_counted() -> None:
    raters = [[1, 2, 3], [1, 3, 2], [NAN, 1, 2], [2, 1, 3]]
    result = kendall_w(raters)
    assert result.n_raters == 3
    assert result.kendall_w == kendall_w([[1, 2, 3], [1, 3, 2], [2, 1, 3]]).kendall_w


def test_items_nobody_ranked_are_ignored() -> None:
    assert complete_raters([[1, NAN, 2], [2, NAN, 1]]).shape == (2, 2)
    assert kendall_w([[1, NAN, 2], [1, NAN, 2]]).kendall_w == 1.0


@pytest.mark.parametrize(
    ("ranks", "n_raters"),
    [
        (np.empty((0, 10)), 0),
        ([[1, 2, 3]], 1),  # one rater cannot disagree with anyone
        ([[1], [1]], 2),  # one item: nothing to order
        ([[1, 1, 1], [2, 2, 2]], 2),  # everyone tied everything
        ([[NAN, 1], [2, NAN]], 0),
    ],
)
def test_undefined_agreement_is_none(ranks: object, n_raters: int) -> None:
    result = kendall_w(ranks)  # type: ignore[arg-type]
    assert result.n_raters == n_raters
    assert result.to_dict() == {
        "kendall_w": None,
        "chi2": None,
        "df": None,
        "p": None,
        "n_raters": n_raters,
        "interpretation": None,
    }


@pytest.mark.parametrize(
    ("w", "label"),
    [
        (0.0, "none"),
        (0.099, "none"),
        (0.1, "weak"),
        (0.299, "weak"),
        (0.3, "moderate"),
        (0.599, "moderate"),
        (0.6, "strong"),
        (1.0, "strong"),
    ],
)
def test_interpretation_bands(w: float, label: str) -> None:
    assert interpret_w(w) == label


def test_refuses_a_vector() -> None:
    with pytest.raises(ValidationError, match="raters × items"):
        kendall_w([1, 2, 3])


rank_matrices = st.integers(2, 8).flatmap(
    lambda n: st.lists(st.permutations(list(range(1, n + 1))), min_size=2, max_size=12)
)


@settings(deadline=None, max_examples=150)
@given(rank_matrices)
def test_w_lies_between_zero_and_one(rows: list[list[int]]) -> None:
    result = kendall_w(rows)
    assert result.kendall_w is not None
    assert 0.0 <= result.kendall_w <= 1.0
    assert result.p is not None and 0.0 <= result.p <= 1.0


@settings(deadline=None, max_examples=100)
@given(st.permutations(list(range(1, 9))), st.integers(2, 30))
def test_w_is_one_when_everyone_agrees(ranking: list[int], m: int) -> None:
    result = kendall_w([ranking] * m)
    assert result.kendall_w == pytest.approx(1.0)
    assert result.interpretation == "strong"


@settings(deadline=None, max_examples=100)
@given(
    st.integers(3, 7).flatmap(
        lambda n: st.lists(
            st.lists(st.integers(1, 4), min_size=n, max_size=n), min_size=2, max_size=10
        )
    )
)
def test_with_ties_w_agrees_with_friedman(rows: list[list[int]]) -> None:
    result = kendall_w(rows)
    assume(result.kendall_w is not None)
    matrix = np.array(rows, dtype=float)
    m, n = matrix.shape
    reference = stats.friedmanchisquare(*matrix.T)
    assert result.kendall_w == pytest.approx(reference.statistic / (m * (n - 1)), abs=1e-9)
