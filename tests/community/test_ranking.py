"""The board's orders, against values worked by hand."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from cxgap.community.ranking import Activity, check_order, ordered, trending_score
from cxgap.errors import ValidationError

NOW = datetime(2026, 12, 5, 12)


def test_trending_score_is_fiders_formula() -> None:
    # (4 votes * 5 + 1 comment * 3 - 1) / (10 h + 2) ** 1.4 = 22 / 32.4230... = 0.678530
    item = Activity(1, NOW - timedelta(hours=10), votes=9, recent_votes=4, recent_comments=1)
    assert trending_score(item, NOW) == pytest.approx(22 / 12**1.4)
    assert trending_score(item, NOW) == pytest.approx(0.678530, abs=1e-6)


def test_a_young_idea_with_a_few_votes_trends_above_an_old_one_with_many() -> None:
    old = Activity(1, NOW - timedelta(days=20), votes=300, recent_votes=10)
    young = Activity(2, NOW - timedelta(hours=5), votes=3, recent_votes=3)
    quiet = Activity(3, NOW - timedelta(days=90), votes=900)  # nothing in 30 days
    assert ordered([old, young, quiet], "trending", NOW) == [2, 1, 3]
    assert ordered([old, young, quiet], "most_voted", NOW) == [3, 1, 2]
    assert ordered([old, young, quiet], "newest", NOW) == [2, 1, 3]


def test_ties_fall_back_on_votes_then_newest_then_id() -> None:
    posted = NOW - timedelta(days=2)
    items = [Activity(7, posted, 5), Activity(3, posted, 5), Activity(5, posted, 9)]
    assert ordered(items, "most_voted", NOW) == [5, 3, 7]
    assert ordered(items, "trending", NOW) == [5, 3, 7]


def test_an_unknown_order_names_the_allowed_ones() -> None:
    assert check_order(None) == "trending"
    with pytest.raises(ValidationError) as refused:
        check_order("hottest")
    problem = refused.value.problems[0]
    assert problem.field == "sort" and problem.value == "hottest"
    assert "most_voted" in problem.message
