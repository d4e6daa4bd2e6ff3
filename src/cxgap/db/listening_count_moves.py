"""The Listening counts moved by the net difference a batch of changes makes (the batch path
of ``db.listening_counts``, used by enrichment: one batch of texts analysed, or analysed
again).

``listening_counts.changing`` merges every count of the records twice, each time by an
``INSERT … SELECT … GROUP BY … ON CONFLICT`` per table that joins the records again (up to
ten statements over the records, each writing its rows at random places of the count
tables). Here the records are read three times before and three times after the change,
already grouped by every key column the tables share (the records with their enrichment;
their findings by topic; their findings' mentions): a few hundred rows for a batch. The
tables' keys are derived from them, the difference after − before is taken, and only the
counts that moved are written, one ``INSERT … ON CONFLICT (key) DO UPDATE SET n = n +
excluded.n`` per table for all its rows, then the counts brought to zero are deleted. The
counts stay exactly those ``listening_counts.rebuild`` computes (the same expressions: the
day, month, channel and topic set are computed by the database, as there).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Text, delete, func, select
from sqlalchemy import cast as sql_cast
from sqlalchemy.dialects import postgresql, sqlite

from cxgap.db import listening_count_keys as keys
from cxgap.db import listening_counts as counts
from cxgap.db.listening_count_move_keys import KEYS, SUMMED
from cxgap.db.listening_count_parts import DIMENSIONS
from cxgap.db.listening_count_tables import (
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
    ListeningDaySegmentTouchpointCount,
    ListeningDaySegmentTouchpointMentionCount,
    ListeningDaySegmentTouchpointScoreCount,
    ListeningSegmentTouchpointCount,
    ListeningSegmentTouchpointMentionCount,
    ListeningSegmentTouchpointScoreCount,
)
from cxgap.db.tables import Feedback, SegmentMember, TextEnrichment, TextFinding

Moves = dict[Any, dict[tuple[Any, ...], list[float]]]  # table → key → measures


@contextmanager
def moving(db: counts.Database, workspace_id: int, scope: ColumnElement[bool]) -> Iterator[None]:
    """Records of ``scope`` change inside the block (their enrichment, not their own
    columns or number): the counts move by what the change made of them."""
    dialect = counts._dialect(db)
    ids = [row[0] for row in db.execute(_ids(workspace_id, scope))]
    if not ids:
        yield
        return
    among = counts._among(dialect, ids)
    moves: Moves = defaultdict(lambda: defaultdict(lambda: [0, 0.0]))
    _tally(db, dialect, workspace_id, among, moves, sign=-1)
    yield
    _tally(db, dialect, workspace_id, among, moves, sign=1)
    _write(db, dialect, workspace_id, moves)


def _ids(workspace_id: int, scope: ColumnElement[bool]) -> Any:
    return select(Feedback.id).where(Feedback.workspace_id == workspace_id, scope)


def _tally(
    db: counts.Database, dialect: str, ws: int, among: Any, moves: Moves, *, sign: int
) -> None:
    """Add (``sign`` 1) or take off (-1) what the records count for now."""
    shared = keys.shared(dialect)
    topics = func.coalesce(sql_cast(TextEnrichment.topic_keys, Text), "")
    record_key = [shared[k] for k in ("day", "month", "week", "source_type", "channel",
                                      "enriched", "language", "sentiment", "has_nps",
                                      "found")]  # fmt: skip
    scores = [getattr(Feedback, m) for m in counts.SCORES]
    query = (
        select(*record_key, *scores, topics, Feedback.touchpoint, func.count())
        .select_from(keys.with_enrichment())
        .where(Feedback.workspace_id == ws, among)
        .group_by(*record_key, *scores, topics, Feedback.touchpoint)
    )
    for row in db.execute(query):
        day, month, week = _date(row[0]), _date(row[1]), _date(row[2])
        source, channel, enriched, language, sentiment, has_nps, found, *values = row[3:-3]
        topic_set, touchpoint, n = row[-3:]
        touched = (touchpoint, month, source, channel, enriched, language, sentiment, found)
        day_touched = (touchpoint, day, *touched[2:])
        if touchpoint is not None:
            moves[ListeningTouchpointCount][touched][0] += sign * n
            moves[ListeningDayTouchpointCount][day_touched][0] += sign * n
        moves[ListeningCount][(day, source, channel, enriched, language, sentiment, has_nps)][
            0
        ] += sign * n
        filtered = (source, channel, enriched, language, sentiment)
        in_set = (month, source, channel, language, sentiment, found)
        on_day = (found, day, *in_set[1:-1])  # DAY_SET_KEY: the set first
        if enriched:
            moves[ListeningSetCount][in_set][0] += sign * n
            moves[ListeningDaySetCount][on_day][0] += sign * n
        for metric, value in zip(counts.SCORES, values, strict=True):
            if value is not None:
                moves[ListeningScoreCount][(month, *filtered, metric, value)][0] += sign * n
                moves[ListeningWeekScoreCount][(week, *filtered, metric, value)][0] += sign * n
                moves[ListeningDayScoreCount][(day, *filtered, metric, value)][0] += sign * n
                if enriched:
                    scored = (*in_set, topic_set, metric, value)
                    moves[ListeningSetScoreCount][scored][0] += sign * n
                    day_scored = (*on_day, topic_set, metric, value)
                    moves[ListeningDaySetScoreCount][day_scored][0] += sign * n
                if touchpoint is not None:
                    cell = (*touched, topic_set, metric, value)
                    moves[ListeningTouchpointScoreCount][cell][0] += sign * n
                    day_cell = (*day_touched, topic_set, metric, value)
                    moves[ListeningDayTouchpointScoreCount][day_cell][0] += sign * n
                if enriched and metric in counts.OUTCOMES:
                    moves[ListeningDriverCount][(month, metric, value, topic_set)][0] += sign * n
                    moves[ListeningDayDriverCount][(day, metric, value, topic_set)][0] += sign * n
                    dimensions = (source, channel, language, sentiment)
                    for dimension, by in zip(DIMENSIONS, dimensions, strict=True):
                        by_dimension = (dimension, by, metric, value, topic_set)
                        moves[ListeningDimensionDriverCount][by_dimension][0] += sign * n
    _tally_findings(db, shared, ws, among, moves, sign=sign)
    _tally_segments(db, shared, ws, among, moves, sign=sign)


def _tally_findings(
    db: counts.Database, shared: dict[str, Any], ws: int, among: Any, moves: Moves, *, sign: int
) -> None:
    key = [shared[k] for k in ("day", "month", "source_type", "channel", "language", "sentiment")]
    base = (
        select(*key, TextFinding.topic_key)
        .select_from(keys.with_findings())
        .where(Feedback.workspace_id == ws, among, TextFinding.topic_key.is_not(None))
    )
    by_topic = base.add_columns(func.count(func.distinct(Feedback.id)))
    for day, month, *k, n in db.execute(by_topic.group_by(*key, TextFinding.topic_key)):
        moves[ListeningTopicCount][(_date(month), *k)][0] += sign * n
        moves[ListeningDayTopicCount][(_date(day), *k)][0] += sign * n
    mentions = base.add_columns(
        TextFinding.sentiment,
        func.count(),
        func.coalesce(func.sum(TextFinding.sentiment_score), 0.0),
    ).where(TextFinding.sentiment.in_(counts.SENTIMENTS))
    found = shared["found"]
    grouped = mentions.add_columns(found, Feedback.touchpoint).group_by(
        *key, TextFinding.topic_key, TextFinding.sentiment, found, Feedback.touchpoint
    )
    for day, month, *k, n, total, in_set, touchpoint in db.execute(grouped):
        topic, finding_sentiment = k[-2:]
        in_set_cell = (_date(month), *k[:-2], in_set, topic, finding_sentiment)
        cells = [
            (ListeningMentionCount, (_date(month), *k)),
            (ListeningDayMentionCount, (_date(day), *k)),
            (ListeningSetMentionCount, in_set_cell),
            (ListeningDaySetMentionCount, (in_set, _date(day), *k)),
        ]
        if touchpoint is not None:
            cells.append((ListeningTouchpointMentionCount, (touchpoint, *in_set_cell)))
            on_day = (touchpoint, _date(day), *in_set_cell[1:])
            cells.append((ListeningDayTouchpointMentionCount, on_day))
        for model, cell in cells:
            moved = moves[model][cell]
            moved[0] += sign * n
            moved[1] += sign * float(total)


def _members(source: Any) -> Any:
    return source.join(SegmentMember.__table__, SegmentMember.feedback_id == Feedback.id)


def _tally_segments(
    db: counts.Database, shared: dict[str, Any], ws: int, among: Any, moves: Moves, *, sign: int
) -> None:
    """The records again, once per segment they belong to: the counts per segment, by month
    and by day, and by touchpoint too for those carrying one."""
    key = [SegmentMember.segment_id, Feedback.touchpoint, *(shared[k] for k in ("day", "month",
           "source_type", "channel", "enriched", "language", "sentiment", "found"))]  # fmt: skip
    scores = [getattr(Feedback, m) for m in counts.SCORES]
    topics = func.coalesce(sql_cast(TextEnrichment.topic_keys, Text), "")
    records = (
        select(*key, *scores, topics, func.count())
        .select_from(_members(keys.with_enrichment()))
        .where(Feedback.workspace_id == ws, among)
        .group_by(*key, *scores, topics)
    )
    for segment_id, touchpoint, day, month, *rest in db.execute(records):
        cell = (*rest[:6],)  # source type … found
        values, (topic_set, n) = rest[6:-2], rest[-2:]
        for model, score_model, by in _segment_cells(segment_id, touchpoint, day, month):
            moves[model][(*by, *cell)][0] += sign * n
            for metric, value in zip(counts.SCORES, values, strict=True):
                if value is not None:
                    moves[score_model][(*by, *cell, topic_set, metric, value)][0] += sign * n
    _tally_segment_mentions(db, shared, ws, among, moves, sign=sign)


def _segment_cells(
    segment_id: int, touchpoint: str | None, day: Any, month: Any
) -> list[tuple[Any, Any, tuple[Any, ...]]]:
    """The segment tables a record's group counts in (record table, score table, the key's
    start): by month and day, and by touchpoint too when it carries one."""
    cells: list[tuple[Any, Any, tuple[Any, ...]]] = [
        (ListeningSegmentCount, ListeningSegmentScoreCount, (segment_id, _date(month))),
        (ListeningDaySegmentCount, ListeningDaySegmentScoreCount, (segment_id, _date(day))),
    ]
    if touchpoint is not None:
        cells += [
            (ListeningSegmentTouchpointCount, ListeningSegmentTouchpointScoreCount,
             (segment_id, touchpoint, _date(month))),
            (ListeningDaySegmentTouchpointCount, ListeningDaySegmentTouchpointScoreCount,
             (segment_id, touchpoint, _date(day))),
        ]  # fmt: skip
    return cells


def _tally_segment_mentions(
    db: counts.Database, shared: dict[str, Any], ws: int, among: Any, moves: Moves, *, sign: int
) -> None:
    filtered = [SegmentMember.segment_id, Feedback.touchpoint, *(shared[k] for k in ("day",
                "month", "source_type", "channel", "language", "sentiment", "found"))]  # fmt: skip
    mentioned = [*filtered, TextFinding.topic_key, TextFinding.sentiment]
    mentions = (
        select(*mentioned, func.count(), func.coalesce(func.sum(TextFinding.sentiment_score), 0.0))
        .select_from(_members(keys.with_findings()))
        .where(
            Feedback.workspace_id == ws,
            among,
            TextFinding.topic_key.is_not(None),
            TextFinding.sentiment.in_(counts.SENTIMENTS),
        )
        .group_by(*mentioned)
    )
    for segment_id, touchpoint, day, month, *k, n, total in db.execute(mentions):
        cells: list[tuple[Any, tuple[Any, ...]]] = [
            (ListeningSegmentMentionCount, (segment_id, _date(month))),
            (ListeningDaySegmentMentionCount, (segment_id, _date(day))),
        ]
        if touchpoint is not None:
            cells += [
                (ListeningSegmentTouchpointMentionCount, (segment_id, touchpoint, _date(month))),
                (ListeningDaySegmentTouchpointMentionCount, (segment_id, touchpoint, _date(day))),
            ]
        for model, by in cells:
            moved = moves[model][(*by, *k)]
            moved[0] += sign * n
            moved[1] += sign * float(total)


def _date(value: date | str) -> date:
    """The database's day or month (SQLite's ``date()`` returns text)."""
    return date.fromisoformat(value) if isinstance(value, str) else value


def _write(db: counts.Database, dialect: str, ws: int, moves: Moves) -> None:
    """Only the counts that moved: one upsert per table for all its rows, then the zeros."""
    make = postgresql.insert if dialect == "postgresql" else sqlite.insert
    lowered = []
    for model, moved in moves.items():
        names = KEYS[model]
        rows = []
        for key, (n, total) in moved.items():
            if n == 0 and total == 0.0:
                continue  # nothing moved (a mention's scores may move alone: kept)
            row = {"workspace_id": ws, **dict(zip(names, key, strict=True)), "n": n}
            if model in SUMMED:
                row["score_sum"] = total
            rows.append(row)
            if n < 0:
                lowered.append(model)
        if not rows:
            continue
        table = counts._table(model)
        measures = ["n", "score_sum"] if model in SUMMED else ["n"]
        statement = make(table)
        statement = statement.on_conflict_do_update(
            index_elements=["workspace_id", *names],
            set_={m: table.c[m] + statement.excluded[m] for m in measures},
        )
        db.execute(statement, rows)
    for model in set(lowered):
        table = counts._table(model)
        db.execute(delete(table).where(table.c.workspace_id == ws, table.c.n == 0))
