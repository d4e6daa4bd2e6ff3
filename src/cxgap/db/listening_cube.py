"""The Listening aggregates read from the pre-aggregated counts
(``db.listening_count_tables``): the same figures as ``db.listening_queries``, from a few
thousand rows instead of every verbatim, for the filters the counts are keyed by
(:func:`serves`).
"""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import UTC, date, datetime, time
from typing import Any, Literal

from sqlalchemy import ColumnElement, DateTime, Select, case, func, select
from sqlalchemy import cast as sql_cast
from sqlalchemy.orm import Session

from cxgap.db.feedback_filters import FeedbackFilter
from cxgap.db.listening_count_tables import (
    ListeningCount,
    ListeningDayDriverCount,
    ListeningDayMentionCount,
    ListeningDayScoreCount,
    ListeningDayTopicCount,
    ListeningDriverCount,
    ListeningMentionCount,
    ListeningScoreCount,
    ListeningTopicCount,
    ListeningWeekScoreCount,
)
from cxgap.db.listening_cube_models import BY_DAY, Model
from cxgap.db.listening_queries import Grain, ScoreColumn
from cxgap.db.source_queries import ScoreSource

Need = Literal["day", "month", "week", "drivers"]


def _midnight(moment: datetime | None) -> bool:
    return moment is None or moment.astimezone(UTC).timetz() == time(0, tzinfo=UTC)


def _first_of_month(moment: datetime | None) -> bool:
    return moment is None or (_midnight(moment) and moment.astimezone(UTC).day == 1)


def _monday(moment: datetime | None) -> bool:
    return moment is None or (_midnight(moment) and moment.astimezone(UTC).weekday() == 0)


def serves(f: FeedbackFilter, need: Need = "day") -> bool:
    """Whether every condition of ``f`` is a key of the counts ``need`` reads.

    ``day`` (``listening_counts``): source, channel, language, sentiment and whole UTC days.
    ``month`` (topics, mentions, scores): the same with ``from`` and ``to`` on whole UTC
    months. ``week`` (scores by week): the same with ``from`` and ``to`` on Mondays.
    ``drivers``: whole months and nothing else. A topic, pillar, touchpoint,
    segment, persona, search or excluded flagged answers always needs the rows."""
    if (
        f.topic_sets
        or f.segment is not None
        or f.search
        or f.excluded_survey_ids
        or f.touchpoint is not None
        or not (_midnight(f.date_from) and _midnight(f.date_to))
    ):
        return False
    if need == "day":
        return True
    if need == "week":
        return _monday(f.date_from) and _monday(f.date_to)
    if not (_first_of_month(f.date_from) and _first_of_month(f.date_to)):
        return False
    return need == "month" or not (f.source_types or f.channels or f.languages or f.sentiments)


def _conditions(model: Model, workspace_id: int, f: FeedbackFilter) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = [model.workspace_id == workspace_id]
    for name, values in (
        ("source_type", f.source_types),
        ("channel", f.channels),
        ("language", f.languages),
        ("sentiment", f.sentiments),
    ):
        if values:
            conditions.append(getattr(model, name).in_(list(values)))
    period = "day" if model in BY_DAY else "week" if model is ListeningWeekScoreCount else "month"
    column: Any = getattr(model, period)
    if f.date_from is not None:
        conditions.append(column >= f.date_from.astimezone(UTC).date())
    if f.date_to is not None:
        conditions.append(column < f.date_to.astimezone(UTC).date())
    return conditions


def _grouped(
    model: Model, workspace_id: int, f: FeedbackFilter, keys: list[Any], measures: list[Any]
) -> Select[Any]:
    """Sums per ``keys`` under the filter."""
    return (
        select(*keys, *measures)
        .where(*_conditions(model, workspace_id, f))
        .group_by(*keys)
        .having(func.sum(model.n) != 0)
    )


def period_of(session: Session, day: Any, grain: Grain) -> ColumnElement[str]:
    """The ISO date of the month or week (Monday) a stored day falls in."""
    if session.get_bind().dialect.name == "postgresql":
        return func.to_char(func.date_trunc(grain, sql_cast(day, DateTime)), "YYYY-MM-DD")
    if grain == "month":
        return func.strftime("%Y-%m-01", day)
    return func.date(day, "weekday 0", "-6 days")


def _period(session: Session, model: Model, grain: Grain) -> Any:
    """The stored month or week, or the month or week of the stored day (a day table)."""
    if model in BY_DAY:
        return period_of(session, model.day, grain)
    return getattr(model, grain)


def _or_none(value: str) -> str | None:
    return value or None


def facet_table(
    session: Session, workspace_id: int, f: FeedbackFilter
) -> list[tuple[str, str | None, str | None, str | None, int]]:
    """As ``listening_queries.facet_table``: language and sentiment None when not enriched."""
    m = ListeningCount
    keys = [m.source_type, m.channel, m.enriched, m.language, m.sentiment]
    query = _grouped(m, workspace_id, f, keys, [func.sum(m.n)])
    return [
        (str(s), _or_none(c), lang if e else None, sent if e else None, int(n))
        for s, c, e, lang, sent, n in session.execute(query)
    ]


def count_verbatims(session: Session, workspace_id: int, f: FeedbackFilter) -> int:
    m = ListeningCount
    query = select(func.sum(m.n)).where(*_conditions(m, workspace_id, f))
    return int(session.scalar(query) or 0)


def count_enriched(session: Session, workspace_id: int) -> tuple[int, int]:
    m = ListeningCount
    enriched = func.sum(case((m.enriched == 1, m.n), else_=0))
    query = select(func.sum(m.n), enriched).where(m.workspace_id == workspace_id)
    total, done = session.execute(query).one()
    return int(total or 0), int(done or 0)


def count_with_sentiment(session: Session, workspace_id: int, source_type: str) -> int:
    """How many records of ``source_type`` have a stored sentiment: from the day counts (a
    few thousand rows at 10 M items), not a join of every record to its enrichment (25 to
    32 s at 10 M on PostgreSQL). The enrichment stores a sentiment and its score together
    or neither (``db.enrichment_store``): the same number as the records whose score is
    stored (tests/integrity/test_flagged_key.py)."""
    m = ListeningCount
    query = select(func.sum(m.n)).where(
        m.workspace_id == workspace_id,
        m.source_type == source_type,
        m.enriched == 1,
        m.sentiment != "",
    )
    return int(session.scalar(query) or 0)


def distinct_channels(session: Session, workspace_id: int) -> list[str]:
    """The channels with records, as ``listening_queries.distinct_channels``: the filter
    form's choices from the day counts (a few thousand rows), not a GROUP BY of every item."""
    m = ListeningCount
    query = select(m.channel).where(m.workspace_id == workspace_id, m.channel != "")
    return [
        str(v) for v in session.scalars(query.group_by(m.channel).order_by(m.channel).limit(200))
    ]


def topic_facet_counts(
    session: Session, workspace_id: int, f: FeedbackFilter, *, by_day: bool = False
) -> list[tuple[str, int]]:
    """``by_day``: from the day counts (any whole days), else the month counts."""
    m: type[ListeningTopicCount] | type[ListeningDayTopicCount]
    m = ListeningDayTopicCount if by_day else ListeningTopicCount
    count = func.sum(m.n)
    query = _grouped(m, workspace_id, f, [m.topic_key], [count]).order_by(count.desc(), m.topic_key)
    return [(str(key), int(n)) for key, n in session.execute(query)]


def day_bounds(session: Session, workspace_id: int, f: FeedbackFilter) -> tuple[date, date] | None:
    """The first and last UTC day with records under the filter."""
    m = ListeningCount
    days = _grouped(m, workspace_id, f, [m.day], []).subquery()
    low, high = session.execute(select(func.min(days.c.day), func.max(days.c.day))).one()
    if low is None or high is None:
        return None
    return _as_date(low), _as_date(high)


def _as_date(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def mention_counts(
    session: Session, workspace_id: int, f: FeedbackFilter, *, by_day: bool = False
) -> list[tuple[str, str, str, int, float]]:
    """As ``listening_queries.mention_counts`` by month (the stored month is the period;
    ``by_day``: the day counts, the month their day falls in)."""
    m: type[ListeningMentionCount] | type[ListeningDayMentionCount]
    m = ListeningDayMentionCount if by_day else ListeningMentionCount
    month = _period(session, m, "month")
    keys = [m.topic_key, month, m.finding_sentiment]
    query = _grouped(m, workspace_id, f, keys, [func.sum(m.n), func.sum(m.score_sum)])
    return [
        (str(t), _as_date(p).isoformat(), str(s), int(n), float(v))
        for t, p, s, n, v in session.execute(query)
    ]


def _scores(by_day: bool) -> type[ListeningScoreCount] | type[ListeningDayScoreCount]:
    return ListeningDayScoreCount if by_day else ListeningScoreCount


def score_histograms(
    session: Session,
    workspace_id: int,
    f: FeedbackFilter,
    column: ScoreColumn,
    *,
    by_day: bool = False,
) -> dict[str, dict[int, int]]:
    """As ``listening_queries.score_histograms`` by month (``by_day``: from the day counts)."""
    m = _scores(by_day)
    month = _period(session, m, "month")
    query = _grouped(m, workspace_id, f, [month, m.value], [func.sum(m.n)])
    result: dict[str, dict[int, int]] = defaultdict(dict)
    for month, value, count in session.execute(query.where(m.metric == column)):
        result[_as_date(month).isoformat()][int(value)] = int(count)
    return dict(result)


def week_score_histograms(
    session: Session,
    workspace_id: int,
    f: FeedbackFilter,
    column: ScoreColumn,
    *,
    by_day: bool = False,
) -> dict[str, dict[int, int]]:
    """As ``listening_queries.score_histograms`` by week (the stored Monday is the period;
    ``by_day``: the day counts, the Monday of their day)."""
    m: type[ListeningWeekScoreCount] | type[ListeningDayScoreCount]
    m = ListeningDayScoreCount if by_day else ListeningWeekScoreCount
    week = _period(session, m, "week")
    query = _grouped(m, workspace_id, f, [week, m.value], [func.sum(m.n)])
    result: dict[str, dict[int, int]] = defaultdict(dict)
    for week, value, count in session.execute(query.where(m.metric == column)):
        result[_as_date(week).isoformat()][int(value)] = int(count)
    return dict(result)


def sentiment_histograms(
    session: Session, workspace_id: int, f: FeedbackFilter, grain: Grain
) -> dict[str, dict[int, int]]:
    m = ListeningCount
    period = period_of(session, m.day, grain)
    negative = case((m.sentiment == "negative", 1), else_=0)
    query = _grouped(m, workspace_id, f, [period, negative], [func.sum(m.n)]).where(
        m.enriched == 1, m.sentiment.in_(["positive", "neutral", "negative"])
    )
    result: dict[str, dict[int, int]] = defaultdict(dict)
    for key, is_negative, count in session.execute(query):
        result[str(key)][int(is_negative)] = int(count)
    return dict(result)


def has_scores(
    session: Session,
    workspace_id: int,
    f: FeedbackFilter,
    column: ScoreColumn,
    *,
    by_day: bool = False,
) -> bool:
    m = _scores(by_day)
    query = (
        select(m.id)
        .where(*_conditions(m, workspace_id, f), m.metric == column, m.enriched == 1, m.n != 0)
        .limit(1)
    )
    return session.scalar(query) is not None


def driver_patterns(
    session: Session,
    workspace_id: int,
    f: FeedbackFilter,
    column: ScoreColumn,
    *,
    by_day: bool = False,
) -> list[tuple[frozenset[str], int, int]]:
    m: type[ListeningDriverCount] | type[ListeningDayDriverCount]
    m = ListeningDayDriverCount if by_day else ListeningDriverCount
    query = _grouped(m, workspace_id, f, [m.topics, m.value], [func.sum(m.n)])
    merged: dict[tuple[frozenset[str], int], int] = defaultdict(int)
    parsed: dict[str, frozenset[str]] = {}
    for keys, value, count in session.execute(query.where(m.metric == column)):
        merged[(topic_set(keys, parsed), int(value))] += int(count)
    return [(topics, value, count) for (topics, value), count in merged.items()]


def topic_set(keys: str | None, parsed: dict[str, frozenset[str]]) -> frozenset[str]:
    """The stored topic keys (a JSON list) as a set, each distinct text decoded once (a
    pattern's text comes back once per score value and cell)."""
    if not keys:
        return frozenset()
    found = parsed.get(keys)
    if found is None:
        found = parsed[keys] = frozenset(json.loads(keys) or [])
    return found


def nps_by_source(
    session: Session, workspace_id: int, f: FeedbackFilter, *, by_day: bool = False
) -> list[ScoreSource]:
    """As ``source_queries.feedback_nps_by_source``, first and last at their day's midnight
    (the histograms by month, or by day with ``by_day``; the days from ``listening_counts``)."""
    m = _scores(by_day)
    query = _grouped(m, workspace_id, f, [m.source_type, m.value], [func.sum(m.n)])
    histograms: dict[str, dict[int, int]] = defaultdict(dict)
    for source_type, score, count in session.execute(query.where(m.metric == "nps")):
        histograms[str(source_type)][int(score)] = int(count)
    d = ListeningCount
    days = _grouped(d, workspace_id, f, [d.source_type], [func.min(d.day), func.max(d.day)])
    spans = {
        str(source_type): (_as_date(low), _as_date(high))
        for source_type, low, high in session.execute(days.where(d.has_nps == 1))
    }
    sources = [
        ScoreSource(key, h, *(datetime.combine(d, time(0), UTC) for d in spans[key]))
        for key, h in histograms.items()
    ]
    return sorted(sources, key=lambda s: (-sum(s.histogram.values()), s.source_type or ""))
