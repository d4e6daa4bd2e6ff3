"""Rank correlation, importance–performance quadrants and the choice of priorities."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from cxgap.analytics.priorities import (
    CONCENTRATE_HERE,
    KEEP_UP,
    LOW_PRIORITY,
    MIN_ANSWERS_FOR_PRIORITIES,
    POSSIBLE_OVERKILL,
    PillarStanding,
    classify_quadrant,
    ordinal_ranks,
    priority_evidence,
    priority_score,
    rank_correlation,
    rank_pillars,
    select_priorities,
)
from cxgap.errors import ValidationError


def test_rank_correlation_matches_scipy() -> None:
    staff = [2.1, 5.4, 3.3, 7.9, 4.0, 6.2, 8.8, 1.5, 9.1, 5.0]
    importance = [4.6, 3.1, 4.2, 2.5, 3.9, 3.0, 2.2, 4.1, 2.9, 3.5]
    result = rank_correlation(staff, importance)
    # scipy.stats.spearmanr(staff, [-x for x in importance]): staff rank 1 = most valued,
    # so a high importance must pair with a low staff rank for the rankings to agree.
    reference = stats.spearmanr(staff, [-x for x in importance])
    assert result.spearman_rho == pytest.approx(reference.statistic)
    assert result.p == pytest.approx(reference.pvalue)
    assert result.n == 10


def test_staff_who_know_their_customers_score_plus_one() -> None:
    agreeing = rank_correlation([1.0, 2.0, 3.0, 4.0], [4.9, 4.0, 3.0, 1.5])
    assert agreeing.spearman_rho == pytest.approx(1.0)
    opposed = rank_correlation([1.0, 2.0, 3.0, 4.0], [1.5, 3.0, 4.0, 4.9])
    assert opposed.spearman_rho == pytest.approx(-1.0)


def test_rank_correlation_skips_missing_pillars_and_refuses_to_guess() -> None:
    partial = rank_correlation([1.0, None, 3.0, 2.0], [4.0, 3.0, None, 2.0])
    assert partial.to_dict() == {"spearman_rho": None, "p": None, "n": 2}
    constant = rank_correlation([1.0, 2.0, 3.0], [3.0, 3.0, 3.0])
    assert (constant.spearman_rho, constant.n) == (None, 3)
    with pytest.raises(ValidationError, match="one value per pillar"):
        rank_correlation([1.0, 2.0], [3.0])


def test_priority_score_formula() -> None:
    assert priority_score(4.0, 2.0) == 12.0
    assert priority_score(5.0, 5.0) == 0.0
    assert priority_score(5.0, 1.0) == 20.0


@pytest.mark.parametrize(
    ("importance", "performance", "quadrant"),
    [
        (4.5, 2.0, CONCENTRATE_HERE),
        (4.5, 4.0, KEEP_UP),
        (3.0, 2.0, LOW_PRIORITY),
        (3.0, 4.0, POSSIBLE_OVERKILL),
        (4.0, 3.0, KEEP_UP),  # exactly at both grand means counts as high on both
    ],
)
def test_quadrants_against_the_grand_means(
    importance: float, performance: float, quadrant: str
) -> None:
    assert classify_quadrant(importance, performance, 4.0, 3.0) == quadrant


def test_rank_pillars_uses_the_grand_means_of_rated_pillars() -> None:
    standings = rank_pillars(
        ["a", "b", "c", "d", "e"],
        [4.6, 4.2, 3.1, 2.9, None],
        [2.5, 4.1, 2.8, 4.4, 3.0],
    )
    assert [s.key for s in standings] == ["a", "b", "c", "d"]
    # Grand means: importance 3.7, performance 3.45.
    assert [s.quadrant for s in standings] == [
        CONCENTRATE_HERE,
        KEEP_UP,
        LOW_PRIORITY,
        POSSIBLE_OVERKILL,
    ]
    assert [s.importance_rank for s in standings] == [1, 2, 3, 4]
    # Performance rank 1 = best rated; "e" (3.0) has a performance rank even without importance.
    assert [s.performance_rank for s in standings] == [5, 2, 4, 1]
    assert standings[0].priority_score == pytest.approx(4.6 * 2.5)


def test_rank_pillars_refuses_duplicate_keys() -> None:
    with pytest.raises(ValidationError, match="unique"):
        rank_pillars(["a", "a"], [1.0, 2.0], [1.0, 2.0])


def test_ordinal_ranks_break_ties_by_workspace_order() -> None:
    assert ordinal_ranks([3.0, 4.0, 3.0, None]) == [2, 1, 3, None]


def standing(key: str, score: float, quadrant: str = KEEP_UP) -> PillarStanding:
    return PillarStanding(key, 1, 1, 4.0, 3.0, score, quadrant)


def test_top_two_always_and_no_more_when_the_rest_trail() -> None:
    chosen = select_priorities(
        [standing("a", 10.0), standing("b", 9.0), standing("c", 7.0), standing("d", 6.0)]
    )
    assert [s.key for s in chosen] == ["a", "b"]  # 7.0 < 0.85 × 9.0 = 7.65


def test_third_in_concentrate_here_is_taken_however_low() -> None:
    chosen = select_priorities(
        [
            standing("c", 2.0, CONCENTRATE_HERE),
            standing("a", 10.0),
            standing("b", 9.0),
            standing("d", 1.0),
        ]
    )
    assert [s.key for s in chosen] == ["a", "b", "c"]


def test_close_to_the_second_counts_with_eighty_five_percent_inclusive() -> None:
    chosen = select_priorities(
        [standing("a", 10.0), standing("b", 8.0), standing("c", 6.8), standing("d", 6.79)]
    )
    assert [s.key for s in chosen] == ["a", "b", "c"]


def test_never_more_than_four() -> None:
    chosen = select_priorities([standing(k, 5.0, CONCENTRATE_HERE) for k in "abcdef"])
    assert [s.key for s in chosen] == ["a", "b", "c", "d"]


def test_a_pillar_never_jumps_ahead_of_a_higher_score() -> None:
    chosen = select_priorities(
        [
            standing("a", 10.0),
            standing("b", 9.0),
            standing("c", 5.0),
            standing("d", 4.0, CONCENTRATE_HERE),
        ]
    )
    assert [s.key for s in chosen] == ["a", "b"]


def test_fewer_than_two_rated_pillars() -> None:
    assert select_priorities([]) == []
    assert [s.key for s in select_priorities([standing("a", 1.0)])] == ["a"]


standings_lists = st.lists(
    st.tuples(
        st.floats(1.0, 5.0, allow_nan=False),
        st.floats(1.0, 5.0, allow_nan=False),
    ),
    min_size=2,
    max_size=12,
)


@settings(deadline=None, max_examples=200)
@given(standings_lists)
def test_selection_is_two_to_four_of_the_best(means: list[tuple[float, float]]) -> None:
    keys = [f"p{i}" for i in range(len(means))]
    standings = rank_pillars(keys, [m[0] for m in means], [m[1] for m in means])
    chosen = select_priorities(standings)
    scores = sorted((s.priority_score for s in standings), reverse=True)
    assert 2 <= len(chosen) <= 4
    assert [s.priority_score for s in chosen] == scores[: len(chosen)]
    for extra in chosen[2:]:
        assert extra.quadrant == CONCENTRATE_HERE or extra.priority_score >= 0.85 * scores[1]


def test_no_priority_is_named_below_thirty_customer_answers() -> None:
    assert priority_evidence(0).answers_needed == MIN_ANSWERS_FOR_PRIORITIES == 30
    assert (priority_evidence(29).answers_needed, priority_evidence(29).enough) == (1, False)
    assert priority_evidence(30).to_dict() == {
        "customer_answers": 30,
        "min_customer_answers": 30,
        "answers_needed": 0,
        "enough": True,
    }
