"""Topic statistics, the irritant ranking and its trend test, against hand-computed values."""

from __future__ import annotations

import pytest

from cxgap.analytics.irritants import (
    MentionCount,
    PeriodShare,
    criticality_weight,
    rank_irritants,
    share_change,
    topic_stats,
)
from cxgap.errors import ValidationError

PERIODS = ["2026-01-01", "2026-02-01", "2026-03-01"]


def _counts() -> list[MentionCount]:
    return [
        MentionCount("delivery", "2026-01-01", "negative", 40, -28.0),
        MentionCount("delivery", "2026-01-01", "positive", 160, 96.0),
        MentionCount("delivery", "2026-03-01", "negative", 60, -45.0),
        MentionCount("delivery", "2026-03-01", "neutral", 140, 0.0),
        MentionCount("staff", "2026-02-01", "positive", 90, 72.0),
        MentionCount("staff", "2026-02-01", "negative", 10, -6.0),
        MentionCount("price", "2026-03-01", "negative", 30, -15.0),
    ]


def test_topic_stats_sum_mentions_and_fill_empty_periods() -> None:
    delivery, staff, price = topic_stats(_counts(), PERIODS)
    assert (delivery.topic_key, delivery.mentions, delivery.negative) == ("delivery", 400, 100)
    assert delivery.share_negative == pytest.approx(0.25)
    assert delivery.mean_score == pytest.approx((-28 + 96 - 45) / 400)
    assert [(p.mentions, p.negative) for p in delivery.periods] == [(200, 40), (0, 0), (200, 60)]
    assert (staff.mentions, price.mentions) == (100, 30)


def test_irritants_rank_by_volume_negativity_and_criticality() -> None:
    stats = topic_stats(_counts(), PERIODS)
    levels = {"delivery": ["sensitive", "low_neutral"], "price": ["critical"]}
    ranked = rank_irritants(stats, levels)
    # delivery 400 × 0.25 × 0.6 = 60; price 30 × 1 × 1.0 = 30; staff 100 × 0.1 × 0.5 = 5
    assert [(i.stats.topic_key, i.score) for i in ranked] == [
        ("delivery", pytest.approx(60.0)),
        ("price", pytest.approx(30.0)),
        ("staff", pytest.approx(5.0)),
    ]
    assert [(i.criticality, i.weight) for i in ranked] == [
        ("sensitive", 0.6),
        ("critical", 1.0),
        (None, 0.5),
    ]


def test_trend_compares_the_last_two_periods() -> None:
    ranked = {i.stats.topic_key: i for i in rank_irritants(topic_stats(_counts(), PERIODS), {})}
    price = ranked["price"]
    assert price.change is not None
    assert (price.change.previous.mentions, price.change.p_value) == (0, None)
    # 20 % → 50 % negative out of 100 each: z = 0.3 / √(0.35 × 0.65 × 0.02) = 4.447,
    # p = 8.7e-6 (scipy.stats.norm.sf(4.447) × 2; statsmodels proportions_ztest agrees)
    change = share_change(PeriodShare("a", 100, 20), PeriodShare("b", 100, 50))
    assert change.difference == pytest.approx(0.3)
    assert change.p_value == pytest.approx(8.71e-6, rel=0.01)
    assert change.significant()
    same = share_change(PeriodShare("a", 100, 0), PeriodShare("b", 50, 0))
    assert (same.difference, same.p_value, same.significant()) == (0.0, None, False)


def test_unknown_levels_and_sentiments_are_refused() -> None:
    with pytest.raises(ValidationError, match="criticality"):
        criticality_weight(["very"])
    with pytest.raises(ValidationError, match="sentiment"):
        topic_stats([MentionCount("x", "2026-01-01", "angry", 1, -1.0)], PERIODS)
