"""The Listening counts, pre-aggregated when the data changes (migration 0025,
docs/scale.md "Listening counts pre-aggregated").

Each table is keyed by the workspace, a period and only the dimensions its readers filter
on, so that its size depends on the calendar and the dimensions' values, not on the volume:

- ``listening_counts``: per UTC **day** (any ``from``/``to`` is served), source type,
  channel, enrichment, language, sentiment and whether the record has an NPS answer;
- ``listening_week_score_counts``: the scores again per ISO **week** (its Monday, UTC): the
  trends by week (migration 0028);
- ``listening_set_*counts`` per UTC **month** with the set of topics the record's findings
  are about (migration 0040): what a topic, pillar or touchpoint-topics filter keeps, and the
  drivers' patterns under any filter of the month tables;
- ``listening_touchpoint_*counts``: the same for the records carrying a touchpoint, keyed by
  it, enriched or not (migration 0045): a touchpoint filter;
- ``listening_segment_*counts``: the same for each segment's members, keyed by the segment
  (migration 0045): a segment or persona filter;
- ``listening_day_*counts``: the four month tables again per UTC **day** (migration 0048):
  the days at either end of dates inside months, and a range inside one month;
- ``listening_day_set_*counts`` (``db.listening_day_set_tables``, migration 0051): the
  topic-set counts again per UTC **day**: those days under a topic or pillar filter;
- the four others per UTC **month** (the first day of the month in ``month``): topics,
  mentions and scores by source type, channel, language and sentiment; the drivers' patterns
  by month only (their topic sets are the large dimension).

``db.listening_counts`` keeps them equal to the rows, in the transaction of every change,
and deletes the counts brought to zero. Absent values are stored as ``''`` (a unique key
treats NULLs as distinct, which an upsert cannot match).
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Date, Float, ForeignKey, Index, Integer, SmallInteger, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from cxgap.db.table_base import Base

# Each table's key after workspace_id, in this order.
DAY_KEY = ("day", "source_type", "channel", "enriched", "language", "sentiment", "has_nps")
FILTERED = ("month", "source_type", "channel", "language", "sentiment")
TOPIC_KEY = (*FILTERED, "topic_key")
MENTION_KEY = (*FILTERED, "topic_key", "finding_sentiment")
SCORE_KEY = ("month", "source_type", "channel", "enriched", "language", "sentiment", "metric",
             "value")  # fmt: skip
WEEK_SCORE_KEY = ("week", *SCORE_KEY[1:])
DRIVER_KEY = ("month", "metric", "value", "topics")
# The day twins of the four month tables (migration 0048): the edge days of dates inside
# months (and a range inside one month) are read from them, not from the rows.
DAY_TOPIC_KEY = ("day", *TOPIC_KEY[1:])
DAY_MENTION_KEY = ("day", *MENTION_KEY[1:])
DAY_SCORE_KEY = ("day", *SCORE_KEY[1:])
DAY_DRIVER_KEY = ("day", *DRIVER_KEY[1:])
# The drivers' patterns keyed by one filter dimension and its value, without the month
# (migration 0049): the drivers page under one source, channel, language or sentiment filter.
DIMENSION_DRIVER_KEY = ("dimension", "dim_value", *DRIVER_KEY[1:])
# The topic-set counts (migration 0040): ``found`` is the set of topics the text's findings
# are about, sorted, as ``|a|b|`` (a topic filter is a test on it).
SET_KEY = (*FILTERED, "found")
SET_MENTION_KEY = (*SET_KEY, "topic_key", "finding_sentiment")
SET_SCORE_KEY = (*SET_KEY, "topics", "metric", "value")
# The touchpoint counts (migration 0045): the topic-set counts of the records that carry a
# touchpoint, keyed by it first (a touchpoint filter reads one touchpoint's rows), enriched or
# not (a record's own touchpoint needs no enrichment).
TOUCH_KEY = ("touchpoint", "month", "source_type", "channel", "enriched", "language",
             "sentiment", "found")  # fmt: skip
TOUCH_MENTION_KEY = ("touchpoint", *SET_KEY, "topic_key", "finding_sentiment")
TOUCH_SCORE_KEY = (*TOUCH_KEY, "topics", "metric", "value")
# The segment counts (migration 0045): the same for each segment's materialised members
# (``segment_members``), keyed by the segment first.
SEGMENT_KEY = ("segment_id", *TOUCH_KEY[1:])
SEGMENT_MENTION_KEY = ("segment_id", *TOUCH_MENTION_KEY[1:])
SEGMENT_SCORE_KEY = ("segment_id", *TOUCH_SCORE_KEY[1:])
ZERO = text("n = 0")


def _indexes(name: str, key: tuple[str, ...]) -> tuple[Index, Index]:
    """The upsert's unique key, and a partial index on the counts brought to zero (the
    upkeep deletes them: the index keeps that DELETE from reading the table)."""
    return (
        Index(f"ux_{name}_key", "workspace_id", *key, unique=True),
        Index(f"ix_{name}_zero", "workspace_id", sqlite_where=ZERO, postgresql_where=ZERO),
    )


class _Workspace:
    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    n: Mapped[int] = mapped_column(Integer)


class _Filtered(_Workspace):
    """The dimensions the Listening filters offer, at month grain."""

    month: Mapped[date] = mapped_column(Date)  # the first day of the UTC month
    source_type: Mapped[str] = mapped_column(String(16))
    channel: Mapped[str] = mapped_column(String(200))
    language: Mapped[str] = mapped_column(String(8))
    sentiment: Mapped[str] = mapped_column(String(8))


class ListeningCount(_Workspace, Base):
    """Feedback records per day: totals, facets, sentiment over time, date bounds."""

    __tablename__ = "listening_counts"
    __table_args__ = _indexes("listening_counts", DAY_KEY)

    day: Mapped[date] = mapped_column(Date)
    source_type: Mapped[str] = mapped_column(String(16))
    channel: Mapped[str] = mapped_column(String(200))
    enriched: Mapped[int] = mapped_column(SmallInteger)  # 1 when the text has an enrichment
    language: Mapped[str] = mapped_column(String(8))
    sentiment: Mapped[str] = mapped_column(String(8))
    has_nps: Mapped[int] = mapped_column(SmallInteger)  # 1 when the record has an NPS answer


class ListeningTopicCount(_Filtered, Base):
    """Enriched records whose text has at least one finding about a topic (the topic facet)."""

    __tablename__ = "listening_topic_counts"
    __table_args__ = _indexes("listening_topic_counts", TOPIC_KEY)

    topic_key: Mapped[str] = mapped_column(String(64))


class ListeningMentionCount(_Filtered, Base):
    """Mentions of a topic (one per finding and per record carrying its text) by the
    finding's sentiment, with the sum of their scores: topics, irritants, drivers."""

    __tablename__ = "listening_mention_counts"
    __table_args__ = _indexes("listening_mention_counts", MENTION_KEY)

    topic_key: Mapped[str] = mapped_column(String(64))
    finding_sentiment: Mapped[str] = mapped_column(String(8))
    score_sum: Mapped[float] = mapped_column(Float)


class ListeningScoreCount(_Filtered, Base):
    """Records per value of one score column (nps, csat, ces, stars): the trends by month,
    the NPS per source."""

    __tablename__ = "listening_score_counts"
    __table_args__ = _indexes("listening_score_counts", SCORE_KEY)

    enriched: Mapped[int] = mapped_column(SmallInteger)
    metric: Mapped[str] = mapped_column(String(8))
    value: Mapped[int] = mapped_column(SmallInteger)


class ListeningDriverCount(_Workspace, Base):
    """Enriched records per month, set of topics mentioned and outcome score (nps, stars):
    the rows a driver analysis is fitted on, without other filter than whole months."""

    __tablename__ = "listening_driver_counts"
    __table_args__ = _indexes("listening_driver_counts", DRIVER_KEY)

    month: Mapped[date] = mapped_column(Date)
    metric: Mapped[str] = mapped_column(String(8))
    value: Mapped[int] = mapped_column(SmallInteger)
    topics: Mapped[str] = mapped_column(Text)  # the enrichment's topic_keys, as stored


class ListeningWeekScoreCount(_Workspace, Base):
    """Records per value of one score column per ISO week (the Monday, UTC): the trends by
    week, which months cannot give (a week straddles two of them)."""

    __tablename__ = "listening_week_score_counts"
    __table_args__ = _indexes("listening_week_score_counts", WEEK_SCORE_KEY)

    week: Mapped[date] = mapped_column(Date)  # the Monday of the ISO week, UTC
    source_type: Mapped[str] = mapped_column(String(16))
    channel: Mapped[str] = mapped_column(String(200))
    enriched: Mapped[int] = mapped_column(SmallInteger)
    language: Mapped[str] = mapped_column(String(8))
    sentiment: Mapped[str] = mapped_column(String(8))
    metric: Mapped[str] = mapped_column(String(8))
    value: Mapped[int] = mapped_column(SmallInteger)


class _TopicSet(_Filtered):
    """Enriched records by month, filter dimensions and the set of topics their findings are
    about (``|a|b|``, sorted; ``''`` for none): a topic filter keeps the sets it matches."""

    found: Mapped[str] = mapped_column(Text)


class ListeningSetCount(_TopicSet, Base):
    """Enriched records per topic set: totals, facets, topic facet, share negative by month
    under a topic filter."""

    __tablename__ = "listening_set_counts"
    __table_args__ = _indexes("listening_set_counts", SET_KEY)


class ListeningSetMentionCount(_TopicSet, Base):
    """Mentions per topic set (as ``listening_mention_counts``): topics page, drivers'
    mentions under a topic filter."""

    __tablename__ = "listening_set_mention_counts"
    __table_args__ = _indexes("listening_set_mention_counts", SET_MENTION_KEY)

    topic_key: Mapped[str] = mapped_column(String(64))
    finding_sentiment: Mapped[str] = mapped_column(String(8))
    score_sum: Mapped[float] = mapped_column(Float)


class ListeningSetScoreCount(_TopicSet, Base):
    """Enriched records per topic set, stored topic keys (the drivers' pattern) and score
    value: trends by month under a topic filter, the drivers under any month filter."""

    __tablename__ = "listening_set_score_counts"
    __table_args__ = _indexes("listening_set_score_counts", SET_SCORE_KEY)

    topics: Mapped[str] = mapped_column(Text)  # the enrichment's topic_keys, as stored
    metric: Mapped[str] = mapped_column(String(8))
    value: Mapped[int] = mapped_column(SmallInteger)


class _Touched(_TopicSet):
    """Records carrying a touchpoint (``feedback.touchpoint``) by that touchpoint, month,
    filter dimensions and topic set: a touchpoint filter keeps its own touchpoint's records
    here and adds, from the topic-set counts, the records about its topics."""

    touchpoint: Mapped[str] = mapped_column(String(200))


class ListeningTouchpointCount(_Touched, Base):
    """Records per touchpoint, enriched or not: totals, facets, topic facet, share negative
    by month under a touchpoint filter."""

    __tablename__ = "listening_touchpoint_counts"
    __table_args__ = _indexes("listening_touchpoint_counts", TOUCH_KEY)

    enriched: Mapped[int] = mapped_column(SmallInteger)


class ListeningTouchpointMentionCount(_Touched, Base):
    """Mentions per touchpoint (as ``listening_set_mention_counts``)."""

    __tablename__ = "listening_touchpoint_mention_counts"
    __table_args__ = _indexes("listening_touchpoint_mention_counts", TOUCH_MENTION_KEY)

    topic_key: Mapped[str] = mapped_column(String(64))
    finding_sentiment: Mapped[str] = mapped_column(String(8))
    score_sum: Mapped[float] = mapped_column(Float)


class ListeningTouchpointScoreCount(_Touched, Base):
    """Records per touchpoint and score value, enriched or not (the drivers read the enriched
    ones): trends by month, NPS by source, the drivers under a touchpoint filter."""

    __tablename__ = "listening_touchpoint_score_counts"
    __table_args__ = _indexes("listening_touchpoint_score_counts", TOUCH_SCORE_KEY)

    enriched: Mapped[int] = mapped_column(SmallInteger)
    topics: Mapped[str] = mapped_column(Text)  # the enrichment's topic_keys, as stored
    metric: Mapped[str] = mapped_column(String(8))
    value: Mapped[int] = mapped_column(SmallInteger)


class _Segmented(_TopicSet):
    """A segment's members (``segment_members``) by month, filter dimensions and topic set."""

    segment_id: Mapped[int] = mapped_column(ForeignKey("segments.id", ondelete="CASCADE"))


class ListeningSegmentCount(_Segmented, Base):
    """Members per segment, enriched or not (as ``listening_touchpoint_counts``)."""

    __tablename__ = "listening_segment_counts"
    __table_args__ = _indexes("listening_segment_counts", SEGMENT_KEY)

    enriched: Mapped[int] = mapped_column(SmallInteger)


class ListeningSegmentMentionCount(_Segmented, Base):
    """Members' mentions per segment (as ``listening_set_mention_counts``)."""

    __tablename__ = "listening_segment_mention_counts"
    __table_args__ = _indexes("listening_segment_mention_counts", SEGMENT_MENTION_KEY)

    topic_key: Mapped[str] = mapped_column(String(64))
    finding_sentiment: Mapped[str] = mapped_column(String(8))
    score_sum: Mapped[float] = mapped_column(Float)


class ListeningSegmentScoreCount(_Segmented, Base):
    """Members per segment and score value, enriched or not (as
    ``listening_touchpoint_score_counts``)."""

    __tablename__ = "listening_segment_score_counts"
    __table_args__ = _indexes("listening_segment_score_counts", SEGMENT_SCORE_KEY)

    enriched: Mapped[int] = mapped_column(SmallInteger)
    topics: Mapped[str] = mapped_column(Text)  # the enrichment's topic_keys, as stored
    metric: Mapped[str] = mapped_column(String(8))
    value: Mapped[int] = mapped_column(SmallInteger)


class _Day(_Workspace):
    """The dimensions the Listening filters offer, at day grain (the month tables' twins)."""

    day: Mapped[date] = mapped_column(Date)  # the UTC day
    source_type: Mapped[str] = mapped_column(String(16))
    channel: Mapped[str] = mapped_column(String(200))
    language: Mapped[str] = mapped_column(String(8))
    sentiment: Mapped[str] = mapped_column(String(8))


class ListeningDayTopicCount(_Day, Base):
    """``listening_topic_counts`` per day."""

    __tablename__ = "listening_day_topic_counts"
    __table_args__ = _indexes("listening_day_topic_counts", DAY_TOPIC_KEY)

    topic_key: Mapped[str] = mapped_column(String(64))


class ListeningDayMentionCount(_Day, Base):
    """``listening_mention_counts`` per day."""

    __tablename__ = "listening_day_mention_counts"
    __table_args__ = _indexes("listening_day_mention_counts", DAY_MENTION_KEY)

    topic_key: Mapped[str] = mapped_column(String(64))
    finding_sentiment: Mapped[str] = mapped_column(String(8))
    score_sum: Mapped[float] = mapped_column(Float)


class ListeningDayScoreCount(_Day, Base):
    """``listening_score_counts`` per day."""

    __tablename__ = "listening_day_score_counts"
    __table_args__ = _indexes("listening_day_score_counts", DAY_SCORE_KEY)

    enriched: Mapped[int] = mapped_column(SmallInteger)
    metric: Mapped[str] = mapped_column(String(8))
    value: Mapped[int] = mapped_column(SmallInteger)


class ListeningDayDriverCount(_Workspace, Base):
    """``listening_driver_counts`` per day."""

    __tablename__ = "listening_day_driver_counts"
    __table_args__ = _indexes("listening_day_driver_counts", DAY_DRIVER_KEY)

    day: Mapped[date] = mapped_column(Date)
    metric: Mapped[str] = mapped_column(String(8))
    value: Mapped[int] = mapped_column(SmallInteger)
    topics: Mapped[str] = mapped_column(Text)  # the enrichment's topic_keys, as stored


class ListeningDimensionDriverCount(_Workspace, Base):
    """``listening_driver_counts`` over all time, keyed by one filter dimension (``dimension``:
    source_type, channel, language or sentiment) and its value: each enriched record counts
    once per dimension. The drivers under one dimension's filter read a few thousand rows
    whatever the volume."""

    __tablename__ = "listening_dimension_driver_counts"
    __table_args__ = _indexes("listening_dimension_driver_counts", DIMENSION_DRIVER_KEY)

    dimension: Mapped[str] = mapped_column(String(16))
    dim_value: Mapped[str] = mapped_column(String(200))
    metric: Mapped[str] = mapped_column(String(8))
    value: Mapped[int] = mapped_column(SmallInteger)
    topics: Mapped[str] = mapped_column(Text)  # the enrichment's topic_keys, as stored
