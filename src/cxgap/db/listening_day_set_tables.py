"""The topic-set counts per UTC **day** (migration 0051): ``listening_set_*counts`` with the day
in place of the month.

Under a topic or pillar filter with dates inside months, the whole months come from the
topic-set counts and the days at either end from these (a range inside one month from them
alone); before, those days read the rows with the topic as ``text_hash IN`` (the texts of
every finding of the topic), whose cost grew with the whole topic: 10-103 s a page at 10 M on
PostgreSQL (docs/scale.md, "A topic with dates inside months"). Their score table also gives
the drivers' patterns on the edge days under a source, channel, language or sentiment
filter (the day driver counts have no dimension). Kept by the same upkeep as every count
table (``db.listening_count_parts``, ``listening_count_moves``, ``listening_count_build``).

The touchpoint and segment counts (migration 0045) have their day twins too (migration
0052): ``listening_day_touchpoint_*counts`` and ``listening_day_segment_*counts``, keyed by
the touchpoint (the segment) first and the day next, so that a touchpoint's or segment's edge
days are one range of its key; with their topic set, they also serve a topic with a
touchpoint or a segment. The segment tables move with membership (``db.listening_segments``).
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Date, Float, ForeignKey, SmallInteger, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from cxgap.db.listening_count_tables import (
    SEGMENT_KEY,
    SEGMENT_MENTION_KEY,
    SEGMENT_SCORE_KEY,
    SET_KEY,
    TOUCH_KEY,
    TOUCH_MENTION_KEY,
    TOUCH_SCORE_KEY,
    _indexes,
    _Workspace,
)
from cxgap.db.table_base import Base

# The topic set first: a topic filter reads the sets it matches (a few dozen), each a range of
# days through the key, not every set of the days (``listening_sets._where``).
DAY_SET_KEY = ("found", "day", *SET_KEY[1:-1])
DAY_SET_MENTION_KEY = (*DAY_SET_KEY, "topic_key", "finding_sentiment")
DAY_SET_SCORE_KEY = (*DAY_SET_KEY, "topics", "metric", "value")
# The touchpoint's (segment's) counts per day (migration 0052): the touchpoint (segment) first,
# then the day: one touchpoint's edge days are one range of the key.
DAY_TOUCH_KEY = (TOUCH_KEY[0], "day", *TOUCH_KEY[2:])
DAY_TOUCH_MENTION_KEY = (TOUCH_MENTION_KEY[0], "day", *TOUCH_MENTION_KEY[2:])
DAY_TOUCH_SCORE_KEY = (TOUCH_SCORE_KEY[0], "day", *TOUCH_SCORE_KEY[2:])
DAY_SEGMENT_KEY = (SEGMENT_KEY[0], "day", *SEGMENT_KEY[2:])
DAY_SEGMENT_MENTION_KEY = (SEGMENT_MENTION_KEY[0], "day", *SEGMENT_MENTION_KEY[2:])
DAY_SEGMENT_SCORE_KEY = (SEGMENT_SCORE_KEY[0], "day", *SEGMENT_SCORE_KEY[2:])


class _DaySet(_Workspace):
    """Enriched records by UTC day, filter dimensions and the set of topics their findings
    are about (``|a|b|``, sorted; ``''`` for none)."""

    day: Mapped[date] = mapped_column(Date)
    source_type: Mapped[str] = mapped_column(String(16))
    channel: Mapped[str] = mapped_column(String(200))
    language: Mapped[str] = mapped_column(String(8))
    sentiment: Mapped[str] = mapped_column(String(8))
    found: Mapped[str] = mapped_column(Text)


class ListeningDaySetCount(_DaySet, Base):
    """``listening_set_counts`` per day."""

    __tablename__ = "listening_day_set_counts"
    __table_args__ = _indexes("listening_day_set_counts", DAY_SET_KEY)


class ListeningDaySetMentionCount(_DaySet, Base):
    """``listening_set_mention_counts`` per day."""

    __tablename__ = "listening_day_set_mention_counts"
    __table_args__ = _indexes("listening_day_set_mention_counts", DAY_SET_MENTION_KEY)

    topic_key: Mapped[str] = mapped_column(String(64))
    finding_sentiment: Mapped[str] = mapped_column(String(8))
    score_sum: Mapped[float] = mapped_column(Float)


class ListeningDaySetScoreCount(_DaySet, Base):
    """``listening_set_score_counts`` per day."""

    __tablename__ = "listening_day_set_score_counts"
    __table_args__ = _indexes("listening_day_set_score_counts", DAY_SET_SCORE_KEY)

    topics: Mapped[str] = mapped_column(Text)  # the enrichment's topic_keys, as stored
    metric: Mapped[str] = mapped_column(String(8))
    value: Mapped[int] = mapped_column(SmallInteger)


class _DayTouched(_DaySet):
    """Records carrying a touchpoint by that touchpoint and UTC day (as
    ``listening_touchpoint_*counts`` by month)."""

    touchpoint: Mapped[str] = mapped_column(String(200))


class ListeningDayTouchpointCount(_DayTouched, Base):
    """``listening_touchpoint_counts`` per day."""

    __tablename__ = "listening_day_touchpoint_counts"
    __table_args__ = _indexes("listening_day_touchpoint_counts", DAY_TOUCH_KEY)

    enriched: Mapped[int] = mapped_column(SmallInteger)


class ListeningDayTouchpointMentionCount(_DayTouched, Base):
    """``listening_touchpoint_mention_counts`` per day."""

    __tablename__ = "listening_day_touchpoint_mention_counts"
    __table_args__ = _indexes("listening_day_touchpoint_mention_counts", DAY_TOUCH_MENTION_KEY)

    topic_key: Mapped[str] = mapped_column(String(64))
    finding_sentiment: Mapped[str] = mapped_column(String(8))
    score_sum: Mapped[float] = mapped_column(Float)


class ListeningDayTouchpointScoreCount(_DayTouched, Base):
    """``listening_touchpoint_score_counts`` per day."""

    __tablename__ = "listening_day_touchpoint_score_counts"
    __table_args__ = _indexes("listening_day_touchpoint_score_counts", DAY_TOUCH_SCORE_KEY)

    enriched: Mapped[int] = mapped_column(SmallInteger)
    topics: Mapped[str] = mapped_column(Text)  # the enrichment's topic_keys, as stored
    metric: Mapped[str] = mapped_column(String(8))
    value: Mapped[int] = mapped_column(SmallInteger)


class _DaySegmented(_DaySet):
    """A segment's members (``segment_members``) by UTC day (as ``listening_segment_*counts``
    by month)."""

    segment_id: Mapped[int] = mapped_column(ForeignKey("segments.id", ondelete="CASCADE"))


class ListeningDaySegmentCount(_DaySegmented, Base):
    """``listening_segment_counts`` per day."""

    __tablename__ = "listening_day_segment_counts"
    __table_args__ = _indexes("listening_day_segment_counts", DAY_SEGMENT_KEY)

    enriched: Mapped[int] = mapped_column(SmallInteger)


class ListeningDaySegmentMentionCount(_DaySegmented, Base):
    """``listening_segment_mention_counts`` per day."""

    __tablename__ = "listening_day_segment_mention_counts"
    __table_args__ = _indexes("listening_day_segment_mention_counts", DAY_SEGMENT_MENTION_KEY)

    topic_key: Mapped[str] = mapped_column(String(64))
    finding_sentiment: Mapped[str] = mapped_column(String(8))
    score_sum: Mapped[float] = mapped_column(Float)


class ListeningDaySegmentScoreCount(_DaySegmented, Base):
    """``listening_segment_score_counts`` per day."""

    __tablename__ = "listening_day_segment_score_counts"
    __table_args__ = _indexes("listening_day_segment_score_counts", DAY_SEGMENT_SCORE_KEY)

    enriched: Mapped[int] = mapped_column(SmallInteger)
    topics: Mapped[str] = mapped_column(Text)  # the enrichment's topic_keys, as stored
    metric: Mapped[str] = mapped_column(String(8))
    value: Mapped[int] = mapped_column(SmallInteger)
