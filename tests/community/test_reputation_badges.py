"""Power users' score, levels and badges, against hand-worked values."""

from __future__ import annotations

import pytest

from cxgap.community.badges import DEFAULT_BADGES, copies_earned, parse_rule, reconcile
from cxgap.community.reputation import (
    DEFAULT_LEVELS,
    Contribution,
    Level,
    check_levels,
    leaderboard,
    level_of,
    score,
)
from cxgap.errors import ValidationError


def test_the_score_weighs_usefulness_and_caps_popularity_and_tenure() -> None:
    # 2 accepted (30) + 5 helpful (10) + 1 built (25) + 40 votes (40) + 95 days (3) = 108
    assert score(Contribution(accepted_answers=2, helpful_votes=5, ideas_built=1,
                              votes_received=40, tenure_days=95)) == 108  # fmt: skip
    # votes capped at 100, tenure at 24 months, answers without acceptance count nothing
    assert score(Contribution(votes_received=10_000, tenure_days=10_000, answers=50)) == 124


def test_levels_follow_the_thresholds_the_team_sets() -> None:
    assert [level_of(p).key for p in (0, 19, 20, 299, 300, 5000)] == [
        "newcomer", "newcomer", "contributor", "regular", "expert", "leader",
    ]  # fmt: skip
    custom = check_levels([Level("a", "A", "A", 0), Level("b", "B", "B", 5)])
    assert level_of(5, custom).key == "b"
    with pytest.raises(ValidationError) as refused:
        check_levels([Level("a", "A", "A", 1), Level("b", "B", "B", 1)])
    assert [(p.field, p.row) for p in refused.value.problems] == [
        ("threshold", 1),
        ("threshold", 2),
    ]
    with pytest.raises(ValidationError):
        check_levels([Level("a", "A", "A", 0), Level("a", "A", "A", 3)])
    assert check_levels(DEFAULT_LEVELS) == DEFAULT_LEVELS


def test_the_leaderboard_ranks_by_points_then_seniority() -> None:
    assert leaderboard({7: 50, 3: 50, 9: 0, 4: 80}) == [(4, 80), (3, 50), (7, 50)]
    assert leaderboard({i: i for i in range(1, 30)}, limit=3) == [(29, 29), (28, 28), (27, 27)]


def test_badge_rules_are_parsed_and_refused_with_the_value() -> None:
    assert parse_rule("helpful_votes>=3").text == "helpful_votes >= 3"
    for bad, value in (
        ("answers > 3", "answers > 3"),
        ("karma >= 3", "karma"),
        ("answers >= 0", 0),
    ):
        with pytest.raises(ValidationError) as refused:
            parse_rule(bad)
        assert refused.value.problems[0].value == value


def test_one_time_and_repeatable_badges_are_awarded_and_revoked() -> None:
    by_key = {spec.key: spec for spec in DEFAULT_BADGES}
    trusted, built = by_key["ten_accepted"], by_key["first_idea_built"]
    assert copies_earned(trusted, Contribution(accepted_answers=31)) == 3
    assert copies_earned(built, Contribution(ideas_built=4)) == 1  # one-time
    assert reconcile(held=3, earned=copies_earned(trusted, Contribution(accepted_answers=19))) == -2
    assert reconcile(held=0, earned=1) == 1
    assert all(spec.name("fr") != spec.name("en") for spec in DEFAULT_BADGES)
    assert all(spec.description("fr") != spec.description("en") for spec in DEFAULT_BADGES)
    assert {spec.image for spec in DEFAULT_BADGES} == {f"{s.key}.svg" for s in DEFAULT_BADGES}
