"""The Listening aggregates under a topic filter, read from the topic-set counts
(``listening_set_*counts``, migration 0040): the same figures as ``db.listening_queries``.

Each count row holds the set of topics its records' findings are about (``found``, as
``|a|b|``), so a filter on topics is a test on it: one topic, the topics of a pillar (an OR:
a record about two of them counts once, as in the rows) or several sets ANDed. The scores'
table also keeps the enrichment's stored topic keys, so that it gives the drivers' patterns
under any filter of the month tables, topics or not. Only the first and last day with
records come from the rows, inside the first and last month the counts give.
"""

from __future__ import annotations

import dataclasses
import json
from collections import defaultdict
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Select, Text, any_, column, false, func, literal, or_, select
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import Session

from cxgap.db import listening_cube as cube
from cxgap.db.feedback_filters import FeedbackFilter, feedback_query, filter_conditions
from cxgap.db.listening_queries import ScoreColumn, as_aware
from cxgap.db.listening_set_families import (
    SETS,
    Tables,
)
from cxgap.db.source_queries import ScoreSource
from cxgap.db.tables import Feedback

SetModel = Any  # a table of SETS or TOUCH


def serves(f: FeedbackFilter) -> bool:
    """Whether the topic-set counts hold every condition of ``f``: topics, source, channel,
    language, sentiment and whole UTC months (no touchpoint: its own key is no dimension;
    no segment, persona or search)."""
    return cube.serves(dataclasses.replace(f, topic_sets=()), "month")


def serves_days(f: FeedbackFilter) -> bool:
    """Whether the day topic-set counts (``DAY_SETS``) hold every condition of ``f``: as
    :func:`serves` with ``from`` and ``to`` on any whole UTC days."""
    return cube.serves(dataclasses.replace(f, topic_sets=()), "day")


def _by_day(model: SetModel) -> bool:
    return hasattr(model, "day")


def _set_first(model: SetModel) -> bool:
    """A day topic-set table (``DAY_SETS``), keyed by the set first; the touchpoint's and
    segment's day tables are keyed by them first, one range of days each."""
    return _by_day(model) and not hasattr(model, "touchpoint") and not hasattr(model, "segment_id")


def _month(session: Session, model: SetModel) -> Any:
    """The stored month, or the ISO date of the month the stored day falls in."""
    return cube.period_of(session, model.day, "month") if _by_day(model) else model.month


def _has(session: Session, found: Any, key: str) -> ColumnElement[bool]:
    """``found`` holds ``key`` (a plain substring test, exact and case-sensitive)."""
    probe = f"|{key}|"
    if session.get_bind().dialect.name == "postgresql":
        return func.strpos(found, probe) > 0
    return func.instr(found, probe) > 0


def _where(session: Session, model: SetModel, ws: int, f: FeedbackFilter) -> list[Any]:
    conditions: list[Any] = cube._conditions(model, ws, f)
    for keys in f.topic_sets:
        matches = [_has(session, model.found, k) for k in keys]
        conditions.append(or_(*matches) if matches else false())
    if hasattr(model, "touchpoint"):  # its own touchpoint, none of its topics
        conditions.append(model.touchpoint == f.touchpoint)
        conditions += [~_has(session, model.found, k) for k in f.touchpoint_topics]
    if hasattr(model, "segment_id"):  # the segment's members (listening_segments.serves)
        conditions.append(model.segment_id == f.segment_ids[0])
    if _set_first(model):  # the sets first (the day tables' key): each a range of days
        conditions.append(_among(session, model.found, _sets_of(session, ws, f)))
    return conditions


def _among(session: Session, found: ColumnElement[str], sets: list[str]) -> ColumnElement[bool]:
    """``found`` in ``sets``, as one parameter (an array on PostgreSQL, a JSON array on
    SQLite): a workspace's sets may be tens of thousands, past a statement's parameters."""
    if session.get_bind().dialect.name == "postgresql":
        return found == any_(literal(sets, postgresql.ARRAY(Text)))
    values: Select[Any] = select(column("value")).select_from(
        func.json_each(literal(json.dumps(sets)))
    )
    return found.in_(values)


def _sets_of(session: Session, ws: int, f: FeedbackFilter) -> list[str]:
    """The topic sets ``f`` keeps in the month topic-set counts of the months its days fall
    in: every set its days hold, and few (a topic's: a few dozen of the hundreds), read
    once per transaction. A day table then reads only those sets' rows of the days."""
    memo = _memo(session, _SETS_OF)
    if f not in memo:
        low = high = None
        if f.date_from is not None:
            low = _midnight(f.date_from.astimezone(UTC).date().replace(day=1))
        if f.date_to is not None:  # the month after the last day's
            last = (f.date_to.astimezone(UTC) - timedelta(days=1)).date()
            high = _midnight(_next_month(last.replace(day=1)))
        months = dataclasses.replace(f, date_from=low, date_to=high)
        m = SETS.count
        query = select(m.found).where(*_where(session, m, ws, months), m.n != 0).distinct()
        memo[f] = [str(found) for found in session.scalars(query)]
    found: list[str] = memo[f]
    return found


def _grouped(
    session: Session, model: SetModel, ws: int, f: FeedbackFilter, keys: list[Any], *more: Any
) -> Any:
    measures = more or (func.sum(model.n),)
    query = select(*keys, *measures).where(*_where(session, model, ws, f))
    return query.group_by(*keys).having(func.sum(model.n) != 0)


def facet_table(
    session: Session, ws: int, f: FeedbackFilter, tables: Tables = SETS
) -> list[tuple[str, str | None, str | None, str | None, int]]:
    m = tables.count
    if not hasattr(m, "enriched"):  # SETS: enriched records only
        query = _grouped(session, m, ws, f, [m.source_type, m.channel, m.language, m.sentiment])
        return [
            (str(s), c or None, str(lang), str(sent), int(n))
            for s, c, lang, sent, n in session.execute(query)
        ]
    keys = [m.source_type, m.channel, m.enriched, m.language, m.sentiment]
    return [
        (str(s), c or None, str(lang) if e else None, str(sent) if e else None, int(n))
        for s, c, e, lang, sent, n in session.execute(_grouped(session, m, ws, f, keys))
    ]


def count_verbatims(session: Session, ws: int, f: FeedbackFilter, tables: Tables = SETS) -> int:
    m = tables.count
    return int(session.scalar(select(func.sum(m.n)).where(*_where(session, m, ws, f))) or 0)


def topic_facet_counts(
    session: Session, ws: int, f: FeedbackFilter, tables: Tables = SETS
) -> list[tuple[str, int]]:
    """Records per topic: the sets holding it added up (a set lists a topic once)."""
    m = tables.count
    total: dict[str, int] = defaultdict(int)
    for found, n in session.execute(_grouped(session, m, ws, f, [m.found])):
        for key in str(found).split("|"):
            if key:
                total[key] += int(n)
    return sorted(total.items(), key=lambda item: (-item[1], item[0]))


def sentiment_histograms(
    session: Session, ws: int, f: FeedbackFilter, tables: Tables = SETS
) -> dict[str, dict[int, int]]:
    """As ``listening_queries.sentiment_histograms`` by month."""
    m = tables.count
    query = _grouped(session, m, ws, f, [_month(session, m), m.sentiment]).where(
        m.sentiment.in_(["positive", "neutral", "negative"])
    )
    result: dict[str, dict[int, int]] = defaultdict(dict)
    for month, sentiment, n in session.execute(query):
        cell = result[_iso(month)]
        negative = int(sentiment == "negative")
        cell[negative] = cell.get(negative, 0) + int(n)
    return dict(result)


def _iso(value: Any) -> str:
    return value.isoformat() if isinstance(value, date) else str(value)


def mention_counts(
    session: Session, ws: int, f: FeedbackFilter, tables: Tables = SETS
) -> list[tuple[str, str, str, int, float]]:
    m = tables.mention
    keys = [m.topic_key, _month(session, m), m.finding_sentiment]
    query = _grouped(session, m, ws, f, keys, func.sum(m.n), func.sum(m.score_sum))
    return [(str(t), _iso(p), str(s), int(n), float(v)) for t, p, s, n, v in session.execute(query)]


ScoreRows = list[tuple[str, date, str, int, int]]  # metric, month or day, source type, value, n


def _score_rows(session: Session, ws: int, f: FeedbackFilter, tables: Tables) -> ScoreRows:
    """Every score's records by metric, month, source type and value under ``f``: one read
    of the score table (the larger of the three) for the trends' four series and their NPS
    by source, instead of one per series. Kept for the rest of the transaction (a page's
    reads share it; a later transaction reads again)."""
    kept = _kept(session)
    key = (ws, f, tables)
    if key not in kept:
        m = tables.score
        period = m.day if _by_day(m) else m.month
        query = _grouped(session, m, ws, f, [m.metric, period, m.source_type, m.value])
        kept[key] = [
            (str(metric), cube._as_date(month), str(source), int(value), int(n))
            for metric, month, source, value, n in session.execute(query)
        ]
    return kept[key]


def _memo(session: Session, name: str) -> dict[Any, Any]:
    """A memo for the session's current transaction (a later one starts another)."""
    session.connection()  # begins the transaction if none is: the memo is that one's
    transaction = session.get_transaction()
    held = session.info.get(name)
    if held is not None and held[0] is transaction:
        memo: dict[Any, Any] = held[1]
        return memo
    memo = {}
    session.info[name] = (transaction, memo)
    return memo


_SETS_OF = "listening_sets.sets_of"


def _kept(session: Session) -> dict[tuple[int, FeedbackFilter, Tables], ScoreRows]:
    """The score reads of the session's current transaction."""
    kept: dict[tuple[int, FeedbackFilter, Tables], ScoreRows] = _memo(session, _SCORES)
    return kept


_SCORES = "listening_sets.score_rows"


def score_histograms(
    session: Session, ws: int, f: FeedbackFilter, column: ScoreColumn, tables: Tables = SETS
) -> dict[str, dict[int, int]]:
    result: dict[str, dict[int, int]] = defaultdict(dict)
    for metric, period, _, value, n in _score_rows(session, ws, f, tables):
        if metric == column:
            cell = result[period.replace(day=1).isoformat()]
            cell[value] = cell.get(value, 0) + n
    return dict(result)


def has_scores(
    session: Session, ws: int, f: FeedbackFilter, column: ScoreColumn, tables: Tables = SETS
) -> bool:
    """From the transaction's score read when there is one (the trends), else the first
    matching count row (the drivers page asks this alone: no need to read every score)."""
    kept = _kept(session).get((ws, f, tables))
    if kept is not None:
        return any(row[0] == column for row in kept)
    m = tables.score
    query = select(m.id).where(*_where(session, m, ws, f), m.metric == column, m.n != 0)
    return session.scalar(query.limit(1)) is not None


def driver_patterns(
    session: Session, ws: int, f: FeedbackFilter, column: ScoreColumn, tables: Tables = SETS
) -> list[tuple[frozenset[str], int, int]]:
    """As ``listening_queries.driver_patterns``, under any filter :func:`serves`."""
    m = tables.score
    query = _grouped(session, m, ws, f, [m.topics, m.value]).where(m.metric == column)
    if hasattr(m, "enriched"):  # the drivers are fitted on enriched records
        query = query.where(m.enriched == 1)
    merged: dict[tuple[frozenset[str], int], int] = defaultdict(int)
    parsed: dict[str, frozenset[str]] = {}
    for keys, value, n in session.execute(query):
        merged[(cube.topic_set(keys, parsed), int(value))] += int(n)
    return [(topics, value, n) for (topics, value), n in merged.items()]


def _next_month(month: date) -> date:
    return date(month.year + month.month // 12, month.month % 12 + 1, 1)


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time(0), UTC)


def _moment(
    session: Session, ws: int, f: FeedbackFilter, month: date, last: bool, *extra: Any
) -> datetime | None:
    """The first (or last) collection time under ``f`` inside ``month``: an index scan of
    the month's records in time order, the topics tested row by row on PostgreSQL, that
    stops at the first one kept."""
    within = dataclasses.replace(
        f, date_from=_midnight(month), date_to=_midnight(_next_month(month))
    )
    per_row = session.get_bind().dialect.name == "postgresql"
    order = Feedback.collected_at.desc() if last else Feedback.collected_at.asc()
    query = feedback_query([Feedback.collected_at]).where(
        *filter_conditions(ws, within, topics_per_row=per_row), *extra
    )
    found = session.scalar(query.order_by(order).limit(1))
    return None if found is None else as_aware(found)


def day_bounds(
    session: Session, ws: int, f: FeedbackFilter, tables: Tables = SETS
) -> tuple[date, date] | None:
    """The first and last UTC day with records: the months from the counts, the days from
    the rows of those two months."""
    m = tables.count
    period = m.day if _by_day(m) else m.month
    months = select(func.min(period), func.max(period)).where(*_where(session, m, ws, f))
    low, high = session.execute(months).one()
    if low is None or high is None:
        return None
    if _by_day(m):  # the days themselves
        return cube._as_date(low), cube._as_date(high)
    first = _moment(session, ws, f, cube._as_date(low), False)
    last = _moment(session, ws, f, cube._as_date(high), True)
    if first is None or last is None:
        return None
    return first.astimezone(UTC).date(), last.astimezone(UTC).date()


def nps_by_source(
    session: Session, ws: int, f: FeedbackFilter, tables: Tables = SETS
) -> list[ScoreSource]:
    """As ``source_queries.feedback_nps_by_source``: the histograms from the counts, the
    first and last answer per source from the rows of its first and last month."""
    histograms: dict[str, dict[int, int]] = defaultdict(dict)
    months: dict[str, list[date]] = defaultdict(list)
    for metric, month, source_type, value, n in _score_rows(session, ws, f, tables):
        if metric == "nps":
            cell = histograms[source_type]
            cell[value] = cell.get(value, 0) + n
            months[source_type].append(month)
    sources = []
    for key, histogram in histograms.items():
        if _by_day(tables.score):  # at their day's midnight, as the day counts give them
            days = (_midnight(min(months[key])), _midnight(max(months[key])))
            sources.append(ScoreSource(key, histogram, *days))
            continue
        scope = dataclasses.replace(f, source_types=(key,))
        nps = Feedback.nps.is_not(None)
        first = _moment(session, ws, scope, min(months[key]), False, nps)
        last = _moment(session, ws, scope, max(months[key]), True, nps)
        sources.append(ScoreSource(key, histogram, first, last))
    return sorted(sources, key=lambda s: (-sum(s.histogram.values()), s.source_type or ""))
