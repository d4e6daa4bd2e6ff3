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
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Date, Float, SmallInteger, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from cxgap.db.listening_count_tables import SET_KEY, _indexes, _Workspace
from cxgap.db.table_base import Base

# The topic set first: a topic filter reads the sets it matches (a few dozen), each a range of
# days through the key, not every set of the days (``listening_sets._where``).
DAY_SET_KEY = ("found", "day", *SET_KEY[1:-1])
DAY_SET_MENTION_KEY = (*DAY_SET_KEY, "topic_key", "finding_sentiment")
DAY_SET_SCORE_KEY = (*DAY_SET_KEY, "topics", "metric", "value")


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
