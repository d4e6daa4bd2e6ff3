"""What each Listening count table counts (``db.listening_count_tables``): one SELECT per
statement, the builders' per table, grouped by the table's key. ``db.listening_counts`` runs
them (retract, add, rebuild); ``db.listening_count_moves`` mirrors them for enrichment."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from sqlalchemy import Table, func, literal
from sqlalchemy import cast as sql_cast
from sqlalchemy.types import Text as TextType

from cxgap.db.listening_count_keys import with_enrichment, with_findings
from cxgap.db.listening_count_tables import (
    DAY_DRIVER_KEY,
    DAY_KEY,
    DAY_MENTION_KEY,
    DAY_SCORE_KEY,
    DAY_TOPIC_KEY,
    DIMENSION_DRIVER_KEY,
    DRIVER_KEY,
    MENTION_KEY,
    SCORE_KEY,
    SEGMENT_KEY,
    SEGMENT_MENTION_KEY,
    SEGMENT_SCORE_KEY,
    SET_KEY,
    SET_MENTION_KEY,
    SET_SCORE_KEY,
    TOPIC_KEY,
    TOUCH_KEY,
    TOUCH_MENTION_KEY,
    TOUCH_SCORE_KEY,
    WEEK_SCORE_KEY,
    ListeningCount,
    ListeningDayDriverCount,
    ListeningDayMentionCount,
    ListeningDayScoreCount,
    ListeningDayTopicCount,
    ListeningDimensionDriverCount,
    ListeningDriverCount,
    ListeningMentionCount,
    ListeningScoreCount,
    ListeningSegmentCount,
    ListeningSegmentMentionCount,
    ListeningSegmentScoreCount,
    ListeningSetCount,
    ListeningSetMentionCount,
    ListeningSetScoreCount,
    ListeningTopicCount,
    ListeningTouchpointCount,
    ListeningTouchpointMentionCount,
    ListeningTouchpointScoreCount,
    ListeningWeekScoreCount,
)
from cxgap.db.listening_day_set_tables import (
    DAY_SEGMENT_KEY,
    DAY_SEGMENT_MENTION_KEY,
    DAY_SEGMENT_SCORE_KEY,
    DAY_SET_KEY,
    DAY_SET_MENTION_KEY,
    DAY_SET_SCORE_KEY,
    DAY_TOUCH_KEY,
    DAY_TOUCH_MENTION_KEY,
    DAY_TOUCH_SCORE_KEY,
    ListeningDaySegmentCount,
    ListeningDaySegmentMentionCount,
    ListeningDaySegmentScoreCount,
    ListeningDaySetCount,
    ListeningDaySetMentionCount,
    ListeningDaySetScoreCount,
    ListeningDayTouchpointCount,
    ListeningDayTouchpointMentionCount,
    ListeningDayTouchpointScoreCount,
)
from cxgap.db.listening_segment_touch_tables import (
    DAY_SEGMENT_TOUCH_KEY,
    DAY_SEGMENT_TOUCH_MENTION_KEY,
    DAY_SEGMENT_TOUCH_SCORE_KEY,
    SEGMENT_TOUCH_KEY,
    SEGMENT_TOUCH_MENTION_KEY,
    SEGMENT_TOUCH_SCORE_KEY,
    ListeningDaySegmentTouchpointCount,
    ListeningDaySegmentTouchpointMentionCount,
    ListeningDaySegmentTouchpointScoreCount,
    ListeningSegmentTouchpointCount,
    ListeningSegmentTouchpointMentionCount,
    ListeningSegmentTouchpointScoreCount,
)
from cxgap.db.tables import Feedback, SegmentMember, TextEnrichment, TextFinding

SCORES = ("nps", "csat", "ces", "stars")
OUTCOMES = ("nps", "stars")  # the driver analysis explains one of these
SENTIMENTS = ("positive", "neutral", "negative")


# One SELECT per statement: (table, its key, its measures, builder). The builder returns
# the expressions of the table's own key columns (the others are
# ``listening_count_keys.shared``), the measures (given the sign), the joins' FROM and the
# extra conditions.
Part = tuple[dict[str, Any], list[Any], Any, list[Any]]


def _counts(sign: int) -> Part:
    return {}, [literal(sign) * func.count()], with_enrichment(), []


def _topics(sign: int) -> Part:
    measures = [literal(sign) * func.count(func.distinct(Feedback.id))]
    own = {"topic_key": TextFinding.topic_key}
    return own, measures, with_findings(), [TextFinding.topic_key.is_not(None)]


def _mentions(sign: int) -> Part:
    measures = [
        literal(sign) * func.count(),
        literal(float(sign)) * func.coalesce(func.sum(TextFinding.sentiment_score), 0.0),
    ]
    own = {"topic_key": TextFinding.topic_key, "finding_sentiment": TextFinding.sentiment}
    where = [TextFinding.topic_key.is_not(None), TextFinding.sentiment.in_(SENTIMENTS)]
    return own, measures, with_findings(), where


def _scores(metric: str) -> Callable[[int], Part]:
    def part(sign: int) -> Part:
        column = getattr(Feedback, metric)
        own = {"metric": literal(metric), "value": column}
        return own, [literal(sign) * func.count()], with_enrichment(), [column.is_not(None)]

    return part


def _drivers(metric: str) -> Callable[[int], Part]:
    def part(sign: int) -> Part:
        column = getattr(Feedback, metric)
        topics = func.coalesce(sql_cast(TextEnrichment.topic_keys, TextType), "")
        own = {"metric": literal(metric), "value": column, "topics": topics}
        measures = [literal(sign) * func.count()]
        return own, measures, with_enrichment(inner=True), [column.is_not(None)]

    return part


# The filter dimensions the drivers are counted by (migration 0049), as the counts store them.
DIMENSIONS = {
    "source_type": Feedback.source_type,
    "channel": func.coalesce(Feedback.channel, ""),
    "language": func.coalesce(TextEnrichment.language, ""),
    "sentiment": func.coalesce(TextEnrichment.sentiment, ""),
}


def _dimension_drivers(dimension: str, metric: str) -> Callable[[int], Part]:
    """``_drivers`` keyed by one filter dimension and its value instead of the month."""

    def part(sign: int) -> Part:
        own, measures, source, where = _drivers(metric)(sign)
        by = {"dimension": literal(dimension), "dim_value": DIMENSIONS[dimension]}
        return {**own, **by}, measures, source, where

    return part


def _sets(sign: int) -> Part:
    return {}, [literal(sign) * func.count()], with_enrichment(inner=True), []


def _touched(builder: Callable[[int], Part]) -> Callable[[int], Part]:
    """``builder``'s SELECT over the records carrying a touchpoint, keyed by it as well."""

    def part(sign: int) -> Part:
        own, measures, source, where = builder(sign)
        touched = {**own, "touchpoint": Feedback.touchpoint}
        return touched, measures, source, [*where, Feedback.touchpoint.is_not(None)]

    return part


def _segmented(builder: Callable[[int], Part]) -> Callable[[int], Part]:
    """``builder``'s SELECT over each segment's members, keyed by the segment as well (a
    record counts once in each of its segments)."""

    def part(sign: int) -> Part:
        own, measures, source, where = builder(sign)
        members = source.join(SegmentMember.__table__, SegmentMember.feedback_id == Feedback.id)
        return {**own, "segment_id": SegmentMember.segment_id}, measures, members, where

    return part


def _touch_scores(metric: str) -> Callable[[int], Part]:
    """As ``_drivers`` over every record, enriched or not (the topics ``''`` when not)."""

    def part(sign: int) -> Part:
        own, measures, _, where = _drivers(metric)(sign)
        return own, measures, with_enrichment(), where

    return part


def table_of(model: Any) -> Table:
    return cast(Table, model.__table__)


# One statement per table: the builders' SELECTs (one per score column) in a UNION ALL.
PARTS: list[tuple[Any, tuple[str, ...], tuple[str, ...], list[Callable[[int], Part]]]] = [
    (ListeningCount, DAY_KEY, ("n",), [_counts]),
    (ListeningTopicCount, TOPIC_KEY, ("n",), [_topics]),
    (ListeningMentionCount, MENTION_KEY, ("n", "score_sum"), [_mentions]),
    (ListeningScoreCount, SCORE_KEY, ("n",), [_scores(m) for m in SCORES]),
    (ListeningWeekScoreCount, WEEK_SCORE_KEY, ("n",), [_scores(m) for m in SCORES]),
    (ListeningDriverCount, DRIVER_KEY, ("n",), [_drivers(m) for m in OUTCOMES]),
    (ListeningSetCount, SET_KEY, ("n",), [_sets]),
    (ListeningSetMentionCount, SET_MENTION_KEY, ("n", "score_sum"), [_mentions]),
    (ListeningSetScoreCount, SET_SCORE_KEY, ("n",), [_drivers(m) for m in SCORES]),
    (ListeningTouchpointCount, TOUCH_KEY, ("n",), [_touched(_counts)]),
    (ListeningTouchpointMentionCount, TOUCH_MENTION_KEY, ("n", "score_sum"), [_touched(_mentions)]),
    (ListeningTouchpointScoreCount, TOUCH_SCORE_KEY, ("n",),
     [_touched(_touch_scores(m)) for m in SCORES]),
    (ListeningSegmentCount, SEGMENT_KEY, ("n",), [_segmented(_counts)]),
    (ListeningSegmentMentionCount, SEGMENT_MENTION_KEY, ("n", "score_sum"),
     [_segmented(_mentions)]),
    (ListeningSegmentScoreCount, SEGMENT_SCORE_KEY, ("n",),
     [_segmented(_touch_scores(m)) for m in SCORES]),
    (ListeningDayTopicCount, DAY_TOPIC_KEY, ("n",), [_topics]),
    (ListeningDayMentionCount, DAY_MENTION_KEY, ("n", "score_sum"), [_mentions]),
    (ListeningDayScoreCount, DAY_SCORE_KEY, ("n",), [_scores(m) for m in SCORES]),
    (ListeningDayDriverCount, DAY_DRIVER_KEY, ("n",), [_drivers(m) for m in OUTCOMES]),
    (ListeningDimensionDriverCount, DIMENSION_DRIVER_KEY, ("n",),
     [_dimension_drivers(d, m) for d in DIMENSIONS for m in OUTCOMES]),
    (ListeningDaySetCount, DAY_SET_KEY, ("n",), [_sets]),
    (ListeningDaySetMentionCount, DAY_SET_MENTION_KEY, ("n", "score_sum"), [_mentions]),
    (ListeningDaySetScoreCount, DAY_SET_SCORE_KEY, ("n",), [_drivers(m) for m in SCORES]),
    (ListeningDayTouchpointCount, DAY_TOUCH_KEY, ("n",), [_touched(_counts)]),
    (ListeningDayTouchpointMentionCount, DAY_TOUCH_MENTION_KEY, ("n", "score_sum"),
     [_touched(_mentions)]),
    (ListeningDayTouchpointScoreCount, DAY_TOUCH_SCORE_KEY, ("n",),
     [_touched(_touch_scores(m)) for m in SCORES]),
    (ListeningDaySegmentCount, DAY_SEGMENT_KEY, ("n",), [_segmented(_counts)]),
    (ListeningDaySegmentMentionCount, DAY_SEGMENT_MENTION_KEY, ("n", "score_sum"),
     [_segmented(_mentions)]),
    (ListeningDaySegmentScoreCount, DAY_SEGMENT_SCORE_KEY, ("n",),
     [_segmented(_touch_scores(m)) for m in SCORES]),
    (ListeningSegmentTouchpointCount, SEGMENT_TOUCH_KEY, ("n",), [_segmented(_touched(_counts))]),
    (ListeningSegmentTouchpointMentionCount, SEGMENT_TOUCH_MENTION_KEY, ("n", "score_sum"),
     [_segmented(_touched(_mentions))]),
    (ListeningSegmentTouchpointScoreCount, SEGMENT_TOUCH_SCORE_KEY, ("n",),
     [_segmented(_touched(_touch_scores(m))) for m in SCORES]),
    (ListeningDaySegmentTouchpointCount, DAY_SEGMENT_TOUCH_KEY, ("n",),
     [_segmented(_touched(_counts))]),
    (ListeningDaySegmentTouchpointMentionCount, DAY_SEGMENT_TOUCH_MENTION_KEY, ("n", "score_sum"),
     [_segmented(_touched(_mentions))]),
    (ListeningDaySegmentTouchpointScoreCount, DAY_SEGMENT_TOUCH_SCORE_KEY, ("n",),
     [_segmented(_touched(_touch_scores(m))) for m in SCORES]),
]  # fmt: skip
# The day twins of the month tables (migration 0048).
DAY_TABLES = (
    ListeningDayTopicCount,
    ListeningDayMentionCount,
    ListeningDayScoreCount,
    ListeningDayDriverCount,
)
# The topic-set counts' day twins (migration 0051).
DAY_SET_TABLES = (ListeningDaySetCount, ListeningDaySetMentionCount, ListeningDaySetScoreCount)
# The touchpoint and segment counts' day twins (migration 0052).
DAY_TOUCH_TABLES = (
    ListeningDayTouchpointCount,
    ListeningDayTouchpointMentionCount,
    ListeningDayTouchpointScoreCount,
)
DAY_SEGMENT_TABLES = (
    ListeningDaySegmentCount,
    ListeningDaySegmentMentionCount,
    ListeningDaySegmentScoreCount,
)
# A segment's members carrying a touchpoint, by both, per month and per day (migration 0053).
SEGMENT_TOUCH_TABLES = (
    ListeningSegmentTouchpointCount,
    ListeningSegmentTouchpointMentionCount,
    ListeningSegmentTouchpointScoreCount,
    ListeningDaySegmentTouchpointCount,
    ListeningDaySegmentTouchpointMentionCount,
    ListeningDaySegmentTouchpointScoreCount,
)
# The tables of each segment's members (moved by membership: ``db.listening_segments``).
SEGMENT_TABLES = (
    ListeningSegmentCount,
    ListeningSegmentMentionCount,
    ListeningSegmentScoreCount,
    *DAY_SEGMENT_TABLES,
    *SEGMENT_TOUCH_TABLES,
)
# The tables only enriched records count in (their SELECTs join the enrichment).
OF_ENRICHED = (
    ListeningTopicCount,
    ListeningMentionCount,
    ListeningDriverCount,
    ListeningSetCount,
    ListeningSetMentionCount,
    ListeningSetScoreCount,
    ListeningTouchpointMentionCount,
    ListeningSegmentMentionCount,
    ListeningDayTopicCount,
    ListeningDayMentionCount,
    ListeningDayDriverCount,
    ListeningDimensionDriverCount,
    *DAY_SET_TABLES,
    ListeningDayTouchpointMentionCount,
    ListeningDaySegmentMentionCount,
    ListeningSegmentTouchpointMentionCount,
    ListeningDaySegmentTouchpointMentionCount,
)
TABLES = (
    ListeningCount,
    ListeningTopicCount,
    ListeningMentionCount,
    ListeningScoreCount,
    ListeningDriverCount,
    ListeningWeekScoreCount,
    ListeningSetCount,
    ListeningSetMentionCount,
    ListeningSetScoreCount,
    ListeningTouchpointCount,
    ListeningTouchpointMentionCount,
    ListeningTouchpointScoreCount,
    *SEGMENT_TABLES,
    *DAY_TABLES,
    ListeningDimensionDriverCount,
    *DAY_SET_TABLES,
    *DAY_TOUCH_TABLES,
)
