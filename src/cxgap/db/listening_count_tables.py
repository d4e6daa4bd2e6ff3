"""The Listening counts, pre-aggregated when the data changes (migration 0025,
docs/scale.md "Listening counts pre-aggregated").

Every table is keyed by the workspace, the UTC day the feedback was collected and the
dimensions the Listening filters offer (source type, channel, touchpoint, language and
sentiment of the text, whether it is enriched), so a page whose filters are all of these
sums a few thousand rows instead of reading every verbatim. ``db.listening_counts`` keeps
them equal to the rows, in the transaction of every change; absent values are stored as
``''`` (a unique key treats NULLs as distinct, which an upsert cannot match).
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Date, Float, ForeignKey, Index, Integer, SmallInteger, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from cxgap.db.tables import Base

# The key every table shares, in this order, before its own.
DIMENSIONS = ("day", "source_type", "channel", "touchpoint", "enriched", "language", "sentiment")


class _Keyed:
    """The shared key columns (a mixin: each table gets its own copies)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    day: Mapped[date] = mapped_column(Date)
    source_type: Mapped[str] = mapped_column(String(16))
    channel: Mapped[str] = mapped_column(String(200))
    touchpoint: Mapped[str] = mapped_column(String(200))
    enriched: Mapped[int] = mapped_column(SmallInteger)  # 1 when the text has an enrichment
    language: Mapped[str] = mapped_column(String(8))
    sentiment: Mapped[str] = mapped_column(String(8))


def _key(name: str, *extra: str) -> Index:
    return Index(name, "workspace_id", *DIMENSIONS, *extra, unique=True)


class ListeningCount(_Keyed, Base):
    """Feedback records per day and dimensions: totals, facets, sentiment over time."""

    __tablename__ = "listening_counts"
    __table_args__ = (_key("ux_listening_counts_key"),)

    n: Mapped[int] = mapped_column(Integer)


class ListeningTopicCount(_Keyed, Base):
    """Feedback records whose text has at least one finding about a topic (the topic facet)."""

    __tablename__ = "listening_topic_counts"
    __table_args__ = (_key("ux_listening_topic_counts_key", "topic_key"),)

    topic_key: Mapped[str] = mapped_column(String(64))
    n: Mapped[int] = mapped_column(Integer)


class ListeningMentionCount(_Keyed, Base):
    """Mentions of a topic (one per finding and per record carrying its text) by the
    finding's sentiment, with the sum of their scores: topics, irritants, drivers."""

    __tablename__ = "listening_mention_counts"
    __table_args__ = (_key("ux_listening_mention_counts_key", "topic_key", "finding_sentiment"),)

    topic_key: Mapped[str] = mapped_column(String(64))
    finding_sentiment: Mapped[str] = mapped_column(String(8))
    n: Mapped[int] = mapped_column(Integer)
    score_sum: Mapped[float] = mapped_column(Float)


class ListeningScoreCount(_Keyed, Base):
    """Records per value of one score column (nps, csat, ces, stars): the trends."""

    __tablename__ = "listening_score_counts"
    __table_args__ = (_key("ux_listening_score_counts_key", "metric", "value"),)

    metric: Mapped[str] = mapped_column(String(8))
    value: Mapped[int] = mapped_column(SmallInteger)
    n: Mapped[int] = mapped_column(Integer)


class ListeningDriverCount(_Keyed, Base):
    """Enriched records per set of topics mentioned and outcome score (nps, stars): the
    rows a driver analysis is fitted on."""

    __tablename__ = "listening_driver_counts"
    __table_args__ = (_key("ux_listening_driver_counts_key", "metric", "value", "topics"),)

    metric: Mapped[str] = mapped_column(String(8))
    value: Mapped[int] = mapped_column(SmallInteger)
    topics: Mapped[str] = mapped_column(Text)  # the enrichment's topic_keys, as stored
    n: Mapped[int] = mapped_column(Integer)
