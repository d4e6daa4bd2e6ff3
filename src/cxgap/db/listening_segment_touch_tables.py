"""The counts of each segment's members that carry a touchpoint, keyed by both (migration
0053): a segment (or persona) filter **with** a touchpoint filter.

A touchpoint filter keeps the records carrying the touchpoint or about one of the topics
the taxonomy links to it (``db.listening_touchpoints``). Under a segment too, the second part
is the segment counts with those topics as one more topic set (``listening_segment_*counts``,
migration 0045); the first needs the segment and the touchpoint in one key: these tables,
the segment tables' keys with the touchpoint after the segment, per UTC month and (for the
edge days of dates inside months) per UTC day. Before them both filters at once read the
rows, the touchpoint's topics as ``text_hash IN`` over every finding of them (over 120 s a
page at 1 M on PostgreSQL, docs/scale.md "A segment and a touchpoint together"). Kept by the
same upkeep as every count table, and by membership changes as the segment tables
(``db.listening_segments``).
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Date, Float, ForeignKey, SmallInteger, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from cxgap.db.listening_count_tables import (
    SEGMENT_KEY,
    SEGMENT_MENTION_KEY,
    SEGMENT_SCORE_KEY,
    _indexes,
    _Workspace,
)
from cxgap.db.table_base import Base

# The segment first, the touchpoint next: one segment's touchpoint is a range of the key.
SEGMENT_TOUCH_KEY = ("segment_id", "touchpoint", *SEGMENT_KEY[1:])
SEGMENT_TOUCH_MENTION_KEY = ("segment_id", "touchpoint", *SEGMENT_MENTION_KEY[1:])
SEGMENT_TOUCH_SCORE_KEY = ("segment_id", "touchpoint", *SEGMENT_SCORE_KEY[1:])
DAY_SEGMENT_TOUCH_KEY = ("segment_id", "touchpoint", "day", *SEGMENT_KEY[2:])
DAY_SEGMENT_TOUCH_MENTION_KEY = ("segment_id", "touchpoint", "day", *SEGMENT_MENTION_KEY[2:])
DAY_SEGMENT_TOUCH_SCORE_KEY = ("segment_id", "touchpoint", "day", *SEGMENT_SCORE_KEY[2:])


class _Both(_Workspace):
    """A segment's members carrying a touchpoint, by filter dimensions and topic set."""

    segment_id: Mapped[int] = mapped_column(ForeignKey("segments.id", ondelete="CASCADE"))
    touchpoint: Mapped[str] = mapped_column(String(200))
    source_type: Mapped[str] = mapped_column(String(16))
    channel: Mapped[str] = mapped_column(String(200))
    language: Mapped[str] = mapped_column(String(8))
    sentiment: Mapped[str] = mapped_column(String(8))
    found: Mapped[str] = mapped_column(Text)


class _Month(_Both):
    month: Mapped[date] = mapped_column(Date)  # the first day of the UTC month


class _Day(_Both):
    day: Mapped[date] = mapped_column(Date)  # the UTC day


class _Records:
    enriched: Mapped[int] = mapped_column(SmallInteger)


class _Mentions:
    topic_key: Mapped[str] = mapped_column(String(64))
    finding_sentiment: Mapped[str] = mapped_column(String(8))
    score_sum: Mapped[float] = mapped_column(Float)


class _Scores:
    enriched: Mapped[int] = mapped_column(SmallInteger)
    topics: Mapped[str] = mapped_column(Text)  # the enrichment's topic_keys, as stored
    metric: Mapped[str] = mapped_column(String(8))
    value: Mapped[int] = mapped_column(SmallInteger)


class ListeningSegmentTouchpointCount(_Records, _Month, Base):
    """Members per segment and touchpoint, enriched or not (as ``listening_segment_counts``)."""

    __tablename__ = "listening_segment_touchpoint_counts"
    __table_args__ = _indexes(__tablename__, SEGMENT_TOUCH_KEY)


class ListeningSegmentTouchpointMentionCount(_Mentions, _Month, Base):
    """Their mentions (as ``listening_segment_mention_counts``)."""

    __tablename__ = "listening_segment_touchpoint_mention_counts"
    __table_args__ = _indexes(__tablename__, SEGMENT_TOUCH_MENTION_KEY)


class ListeningSegmentTouchpointScoreCount(_Scores, _Month, Base):
    """Their scores (as ``listening_segment_score_counts``)."""

    __tablename__ = "listening_segment_touchpoint_score_counts"
    __table_args__ = _indexes(__tablename__, SEGMENT_TOUCH_SCORE_KEY)


class ListeningDaySegmentTouchpointCount(_Records, _Day, Base):
    """``listening_segment_touchpoint_counts`` per day."""

    __tablename__ = "listening_day_segment_touchpoint_counts"
    __table_args__ = _indexes(__tablename__, DAY_SEGMENT_TOUCH_KEY)


class ListeningDaySegmentTouchpointMentionCount(_Mentions, _Day, Base):
    """``listening_segment_touchpoint_mention_counts`` per day."""

    __tablename__ = "listening_day_segment_touchpoint_mention_counts"
    __table_args__ = _indexes(__tablename__, DAY_SEGMENT_TOUCH_MENTION_KEY)


class ListeningDaySegmentTouchpointScoreCount(_Scores, _Day, Base):
    """``listening_segment_touchpoint_score_counts`` per day."""

    __tablename__ = "listening_day_segment_touchpoint_score_counts"
    __table_args__ = _indexes(__tablename__, DAY_SEGMENT_TOUCH_SCORE_KEY)
