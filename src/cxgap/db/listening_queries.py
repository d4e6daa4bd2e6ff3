"""Typed read queries for the Listening screens: one page of verbatims, counts per facet,
mentions per topic and period, score histograms per period, driver patterns.

Everything is aggregated by the database (GROUP BY) and every row list is bounded (a page,
a few examples), so a million verbatims never reach Python. Feedback joins its enrichment on
``(workspace_id, text_hash)``: identical texts share one enrichment.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal

from sqlalchemy import ColumnElement, and_, cast, func, or_, select
from sqlalchemy.orm import Session
from sqlalchemy.types import Text as TextType

from cxgap.db.feedback_filters import (
    FeedbackFilter,
    feedback_query,
    filter_conditions,
    needs_enrichment,
)
from cxgap.db.tables import (
    Feedback,
    JourneyRow,
    JourneyStageRow,
    JourneyTouchpointRow,
    TextEnrichment,
    TextFinding,
    Topic,
)

Grain = Literal["month", "week"]
ScoreColumn = Literal["nps", "csat", "ces", "stars"]


@dataclass(frozen=True)
class FindingRow:
    start: int
    end: int
    sentiment: str
    score: float | None
    intensity: float | None
    topic_key: str | None


@dataclass(frozen=True)
class VerbatimRow:
    id: int
    source_type: str
    channel: str | None
    collected_at: datetime
    text: str
    nps: int | None
    csat: int | None
    ces: int | None
    stars: int | None
    touchpoint: str | None
    enrichment_id: int | None
    language: str | None
    sentiment: str | None
    score: float | None
    intensity: float | None
    findings: list[FindingRow] = field(default_factory=list)


@dataclass(frozen=True)
class TopicRow:
    key: str
    name_en: str
    name_fr: str
    pillar_keys: tuple[str, ...]
    touchpoint_keys: tuple[str, ...]


def verbatim_page(
    session: Session,
    workspace_id: int,
    f: FeedbackFilter,
    *,
    after: tuple[datetime, int] | None,
    limit: int,
) -> list[VerbatimRow]:
    """Newest first, ``limit`` verbatims strictly after the keyset cursor, with findings."""
    per_row = session.get_bind().dialect.name == "postgresql"  # docs/scale.md, at 10 M
    query = feedback_query(
        [
            Feedback.id,
            Feedback.source_type,
            Feedback.channel,
            Feedback.collected_at,
            Feedback.text,
            Feedback.nps,
            Feedback.csat,
            Feedback.ces,
            Feedback.stars,
            Feedback.touchpoint,
            TextEnrichment.id,
            TextEnrichment.language,
            TextEnrichment.sentiment,
            TextEnrichment.sentiment_score,
            TextEnrichment.intensity,
        ]
    ).where(*filter_conditions(workspace_id, f, topics_per_row=per_row))
    if after is not None:
        at, last_id = after
        tie = and_(Feedback.collected_at == at, Feedback.id < last_id)
        # The first condition is implied by the second, but where the index scan starts.
        query = query.where(Feedback.collected_at <= at, or_(Feedback.collected_at < at, tie))
    query = query.order_by(Feedback.collected_at.desc(), Feedback.id.desc()).limit(limit)
    rows = [VerbatimRow(*row) for row in session.execute(query)]
    findings = findings_of(session, [r.enrichment_id for r in rows if r.enrichment_id])
    for row in rows:
        if row.enrichment_id is not None:
            row.findings.extend(findings.get(row.enrichment_id, []))
    return rows


def findings_of(session: Session, enrichment_ids: Sequence[int]) -> dict[int, list[FindingRow]]:
    if not enrichment_ids:
        return {}
    query = (
        select(
            TextFinding.enrichment_id,
            TextFinding.start,
            TextFinding.end,
            TextFinding.sentiment,
            TextFinding.sentiment_score,
            TextFinding.intensity,
            TextFinding.topic_key,
        )
        .where(TextFinding.enrichment_id.in_(list(set(enrichment_ids))))
        .order_by(TextFinding.enrichment_id, TextFinding.position, TextFinding.id)
    )
    result: dict[int, list[FindingRow]] = defaultdict(list)
    for row in session.execute(query):
        result[row[0]].append(FindingRow(*row[1:]))
    return dict(result)


def count_verbatims(session: Session, workspace_id: int, f: FeedbackFilter) -> int:
    query = feedback_query([func.count()], enrichment=needs_enrichment(f))
    query = query.where(*filter_conditions(workspace_id, f))
    return int(session.scalar(query) or 0)


def count_enriched(session: Session, workspace_id: int) -> tuple[int, int]:
    """Feedback records in the workspace, and how many of them are enriched."""
    query = feedback_query([func.count(), func.count(TextEnrichment.id)]).where(
        Feedback.workspace_id == workspace_id
    )
    total, enriched = session.execute(query).one()
    return int(total), int(enriched)


def facet_table(
    session: Session, workspace_id: int, f: FeedbackFilter
) -> list[tuple[str, str | None, str | None, str | None, int]]:
    """``(source type, channel, language, sentiment, count)`` under the filter: every facet
    count and the total from one GROUP BY (a few hundred rows at most)."""
    columns = (
        Feedback.source_type,
        Feedback.channel,
        TextEnrichment.language,
        TextEnrichment.sentiment,
    )
    query = (
        feedback_query([*columns, func.count()])
        .where(*filter_conditions(workspace_id, f))
        .group_by(*columns)
    )
    return [(str(a), b, c, d, int(n)) for a, b, c, d, n in session.execute(query)]


def topic_facet_counts(
    session: Session, workspace_id: int, f: FeedbackFilter
) -> list[tuple[str, int]]:
    """``(topic key, verbatims mentioning it)`` under the filter, most frequent first."""
    count = func.count(func.distinct(Feedback.id))
    query = (
        feedback_query([TextFinding.topic_key, count])
        .join(TextFinding, TextFinding.enrichment_id == TextEnrichment.id)
        .where(*filter_conditions(workspace_id, f), TextFinding.topic_key.is_not(None))
        .group_by(TextFinding.topic_key)
        .order_by(count.desc(), TextFinding.topic_key)
    )
    return [(str(key), int(n)) for key, n in session.execute(query)]


def period_of(session: Session, column: Any, grain: Grain) -> ColumnElement[str]:
    """The ISO date of the month or week (Monday) ``column`` falls in, in UTC."""
    if session.get_bind().dialect.name == "postgresql":
        start = func.date_trunc(grain, func.timezone("UTC", column))
        return func.to_char(start, "YYYY-MM-DD")
    if grain == "month":
        return func.strftime("%Y-%m-01", column)
    return func.date(column, "weekday 0", "-6 days")


def date_bounds(
    session: Session, workspace_id: int, f: FeedbackFilter
) -> tuple[datetime, datetime] | None:
    """The first and last collection time under the filter (two index lookups when the
    filter is empty: SQLite optimises a lone min or max, not both in one query). A search on
    PostgreSQL: min and max of its matches read first (``OFFSET 0``), not ``ORDER BY … LIMIT
    1``, which may test every row down the dates index (docs/scale.md, 10 M)."""
    query = feedback_query([Feedback.collected_at], enrichment=needs_enrichment(f))
    query = query.where(*filter_conditions(workspace_id, f))
    if f.search and session.get_bind().dialect.name == "postgresql":
        matched = query.offset(0).subquery()
        low, high = session.execute(
            select(func.min(matched.c.collected_at), func.max(matched.c.collected_at))
        ).one()
    else:
        low = session.scalar(query.order_by(Feedback.collected_at.asc()).limit(1))
        high = session.scalar(query.order_by(Feedback.collected_at.desc()).limit(1))
    if low is None or high is None:
        return None
    return as_aware(low), as_aware(high)


def as_aware(value: Any) -> datetime:
    # Aggregates bypass the column type: SQLite hands back text, PostgreSQL an aware datetime.
    parsed = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def mention_counts(
    session: Session, workspace_id: int, f: FeedbackFilter, grain: Grain
) -> list[tuple[str, str, str, int, float]]:
    """``(topic, period, sentiment, mentions, sum of scores)``: one mention per finding and
    per feedback record carrying its text.

    Feedback is first counted per (text, period), then joined to the findings of each text:
    identical texts are joined once, not once per record."""
    period = period_of(session, Feedback.collected_at, grain).label("period")
    per_text = (
        feedback_query(
            [Feedback.text_hash, period, func.count().label("n")],
            enrichment=needs_enrichment(f),
        )
        .where(*filter_conditions(workspace_id, f))
        .group_by(Feedback.text_hash, period)
        .subquery()
    )
    mentions = func.sum(per_text.c.n)
    score = func.coalesce(func.sum(per_text.c.n * TextFinding.sentiment_score), 0.0)
    query = (
        select(TextFinding.topic_key, per_text.c.period, TextFinding.sentiment, mentions, score)
        .select_from(per_text)
        .join(
            TextEnrichment,
            and_(
                TextEnrichment.workspace_id == workspace_id,
                TextEnrichment.text_hash == per_text.c.text_hash,
            ),
        )
        .join(TextFinding, TextFinding.enrichment_id == TextEnrichment.id)
        .where(
            TextFinding.topic_key.is_not(None),
            TextFinding.sentiment.in_(["positive", "neutral", "negative"]),
        )
        .group_by(TextFinding.topic_key, per_text.c.period, TextFinding.sentiment)
    )
    return [(str(t), str(p), str(s), int(n), float(v)) for t, p, s, n, v in session.execute(query)]


def score_histograms(
    session: Session, workspace_id: int, f: FeedbackFilter, column: ScoreColumn, grain: Grain
) -> dict[str, dict[int, int]]:
    """period -> score -> count of one score column."""
    score = getattr(Feedback, column)
    period = period_of(session, Feedback.collected_at, grain)
    query = (
        feedback_query([period, score, func.count()], enrichment=needs_enrichment(f))
        .where(*filter_conditions(workspace_id, f), score.is_not(None))
        .group_by(period, score)
    )
    result: dict[str, dict[int, int]] = defaultdict(dict)
    for key, value, count in session.execute(query):
        result[str(key)][int(value)] = int(count)
    return dict(result)


def sentiment_histograms(
    session: Session, workspace_id: int, f: FeedbackFilter, grain: Grain
) -> dict[str, dict[int, int]]:
    """period -> {1: negative verbatims, 0: the other enriched verbatims with a sentiment}."""
    period = period_of(session, Feedback.collected_at, grain)
    negative = (TextEnrichment.sentiment == "negative").label("negative")
    query = (
        feedback_query([period, negative, func.count()])
        .where(
            *filter_conditions(workspace_id, f),
            TextEnrichment.sentiment.in_(["positive", "neutral", "negative"]),
        )
        .group_by(period, negative)
    )
    result: dict[str, dict[int, int]] = defaultdict(dict)
    for key, is_negative, count in session.execute(query):
        cell = result[str(key)]
        cell[int(bool(is_negative))] = cell.get(int(bool(is_negative)), 0) + int(count)
    return dict(result)


def has_scores(session: Session, workspace_id: int, f: FeedbackFilter, column: ScoreColumn) -> bool:
    """Whether any enriched verbatim under the filter has a value in ``column``."""
    score = getattr(Feedback, column)
    query = (
        feedback_query([Feedback.id])
        .where(
            *filter_conditions(workspace_id, f), score.is_not(None), TextEnrichment.id.is_not(None)
        )
        .limit(1)
    )
    return session.scalar(query) is not None


def driver_patterns(
    session: Session, workspace_id: int, f: FeedbackFilter, column: ScoreColumn
) -> list[tuple[frozenset[str], int, int]]:
    """``(topics mentioned, score, verbatims)`` over enriched verbatims with a score: the
    distinct rows a driver analysis needs, a few thousand whatever the volume."""
    score = getattr(Feedback, column)
    pattern = cast(TextEnrichment.topic_keys, TextType)
    query = (
        feedback_query([pattern, score, func.count()])
        .where(
            *filter_conditions(workspace_id, f), score.is_not(None), TextEnrichment.id.is_not(None)
        )
        .group_by(pattern, score)
    )
    merged: dict[tuple[frozenset[str], int], int] = defaultdict(int)
    for keys, value, count in session.execute(query):
        topics = frozenset(json.loads(keys) or []) if keys else frozenset()
        merged[(topics, int(value))] += int(count)
    return [(topics, value, count) for (topics, value), count in merged.items()]


def topic_rows(session: Session, workspace_id: int) -> list[TopicRow]:
    """The workspace's active topics in taxonomy order."""
    query = (
        select(Topic)
        .where(Topic.workspace_id == workspace_id, Topic.active.is_(True))
        .order_by(Topic.position, Topic.key)
    )
    return [
        TopicRow(
            t.key, t.name_en, t.name_fr, tuple(t.pillar_keys or ()), tuple(t.touchpoint_keys or ())
        )
        for t in session.scalars(query)
    ]


def touchpoint_levels(session: Session, workspace_id: int) -> dict[str, list[str | None]]:
    """Touchpoint key -> the declared criticality of every touchpoint with that key in the
    workspace's current journeys."""
    query = (
        select(JourneyTouchpointRow.key, JourneyTouchpointRow.declared_criticality)
        .join(JourneyStageRow, JourneyStageRow.id == JourneyTouchpointRow.stage_id)
        .join(JourneyRow, JourneyRow.id == JourneyStageRow.journey_id)
        .where(JourneyRow.workspace_id == workspace_id, JourneyRow.version == "current")
    )
    result: dict[str, list[str | None]] = defaultdict(list)
    for key, level in session.execute(query):
        result[key].append(level)
    return dict(result)


def touchpoint_names(session: Session, workspace_id: int) -> dict[str, tuple[str, str]]:
    """Touchpoint key -> (English, French) name, from the workspace's journeys."""
    query = (
        select(JourneyTouchpointRow.key, JourneyTouchpointRow.name_en, JourneyTouchpointRow.name_fr)
        .join(JourneyStageRow, JourneyStageRow.id == JourneyTouchpointRow.stage_id)
        .join(JourneyRow, JourneyRow.id == JourneyStageRow.journey_id)
        .where(JourneyRow.workspace_id == workspace_id)
        .order_by(JourneyRow.id, JourneyStageRow.position, JourneyTouchpointRow.position)
    )
    names: dict[str, tuple[str, str]] = {}
    for key, name_en, name_fr in session.execute(query):
        names.setdefault(key, (name_en, name_fr))
    return names


def distinct_channels(session: Session, workspace_id: int) -> list[str]:
    query = (
        select(Feedback.channel)
        .where(Feedback.workspace_id == workspace_id, func.coalesce(Feedback.channel, "") != "")
        .group_by(Feedback.channel)
        .order_by(Feedback.channel)
        .limit(200)
    )
    return [str(value) for value in session.scalars(query)]
