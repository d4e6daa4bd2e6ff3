"""The Listening counts built whole in one grouped pass: a workspace's repair, a migration's
backfill, a segment's new members (docs/scale.md, "Building the 10 M base").

``listening_counts``' upkeep SELECTs compute every key per record in each statement: the
record's enrichment joined again, and its topic set (``found``, the sorted topics of its
findings) a correlated sub-select, in up to twenty SELECTs per record (the topic-set,
touchpoint and segment tables, four score columns each). Right for an import's few
thousand records; for every record of a workspace (10 M) it was hours. Here each record's
keys are computed **once** into a temporary work table (``cx_count_records``: its day,
month, week, dimensions, enrichment, topic set, stored topics, touchpoint and scores), the
topic sets on PostgreSQL by one ``GROUP BY`` of the findings rather than a probe per record,
and every count table is a ``GROUP BY`` of that table (joined to the findings for the
mentions, to the segments' members for the segment tables). The work table is dropped at
the end; the statements run in the caller's transaction.

The counts are those the upkeep computes (the same key expressions,
``listening_count_keys``): tests compare the two on SQLite and PostgreSQL
(``tests/db/test_listening_count_build.py``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

from sqlalchemy import (
    Column,
    Connection,
    Date,
    Float,
    FromClause,
    Integer,
    MetaData,
    Select,
    SmallInteger,
    String,
    Table,
    Text,
    case,
    func,
    insert,
    literal_column,
    select,
    text,
    true,
    union_all,
)
from sqlalchemy import cast as sql_cast
from sqlalchemy.dialects.postgresql import aggregate_order_by
from sqlalchemy.orm import Session

from cxgap.db import listening_count_keys as keys
from cxgap.db import listening_count_tables as t
from cxgap.db import listening_day_set_tables as ds
from cxgap.db import listening_segment_touch_tables as st
from cxgap.db.tables import Feedback, SegmentMember, TextEnrichment, TextFinding

Database = Session | Connection
SCORES = ("nps", "csat", "ces", "stars")
OUTCOMES = ("nps", "stars")
SENTIMENTS = ("positive", "neutral", "negative")
NAME = "cx_count_records"

# One row per record: every key a count table reads, computed once.
RECORDS = Table(
    NAME,
    MetaData(),
    Column("workspace_id", Integer),
    Column("feedback_id", Integer),
    Column("enrichment_id", Integer),  # NULL when the text is not enriched
    Column("day", Date),
    Column("month", Date),
    Column("week", Date),
    Column("source_type", String(16)),
    Column("channel", String(200)),
    Column("enriched", SmallInteger),
    Column("language", String(8)),
    Column("sentiment", String(8)),
    Column("has_nps", SmallInteger),
    Column("found", Text),  # the findings' topics, sorted, '|a|b|' ('' for none)
    Column("topics", Text),  # the enrichment's stored topic_keys ('' when not enriched)
    Column("touchpoint", String(200)),
    *(Column(score, Integer) for score in SCORES),
    prefixes=["TEMPORARY"],
)
R = RECORDS.c
# The records' mentions grouped by every key a mention table outside the segments' reads:
# the records joined to their findings once for the three (their counts, sums of these).
MENTIONS = Table(
    "cx_count_mentions",
    MetaData(),
    Column("workspace_id", Integer),
    *(Column(name, RECORDS.c[name].type) for name in (*t.FILTERED, "found", "touchpoint")),
    Column("topic_key", String(64)),
    Column("finding_sentiment", String(8)),
    Column("n", Integer),
    Column("score_sum", Float),
    prefixes=["TEMPORARY"],
)
M = MENTIONS.c


def _found_by_group(workspace_id: int | None) -> FromClause:
    """PostgreSQL: each enrichment's topic set, by one ``GROUP BY`` of the findings (the
    same value as ``listening_count_keys.found_of``: the distinct topics, sorted, joined)."""
    ordered = aggregate_order_by(TextFinding.topic_key.distinct(), TextFinding.topic_key)
    joined = func.array_to_string(func.array_agg(ordered), "|")
    query = select(TextFinding.enrichment_id, ("|" + joined + "|").label("found")).where(
        TextFinding.topic_key.is_not(None)
    )
    if workspace_id is not None:
        query = query.where(TextFinding.workspace_id == workspace_id)
    return query.group_by(TextFinding.enrichment_id).subquery("found_sets")


def _records(dialect: str, workspace_id: int | None, segment_id: int | None) -> Select[Any]:
    """The records' keys: the workspace's records (every record when None), or only the
    members of ``segment_id``."""
    shared = keys.shared(dialect)
    source: Any = keys.with_enrichment()
    found: Any = shared["found"]  # SQLite: the sub-select, once per record
    if dialect == "postgresql":
        sets = _found_by_group(workspace_id)
        source = source.outerjoin(sets, sets.c.enrichment_id == TextEnrichment.id)
        found = func.coalesce(sets.c.found, "")
    if segment_id is not None:
        source = source.join(
            SegmentMember.__table__,
            (SegmentMember.feedback_id == Feedback.id) & (SegmentMember.segment_id == segment_id),
        )
    columns = [
        Feedback.workspace_id,
        Feedback.id,
        TextEnrichment.id,
        *(shared[name] for name in ("day", "month", "week", "source_type", "channel")),
        *(shared[name] for name in ("enriched", "language", "sentiment", "has_nps")),
        found,
        func.coalesce(sql_cast(TextEnrichment.topic_keys, Text), ""),
        Feedback.touchpoint,
        *(getattr(Feedback, score) for score in SCORES),
    ]
    query = select(*columns).select_from(source)
    if workspace_id is not None:
        query = query.where(Feedback.workspace_id == workspace_id)
    return query.where(true())


# A table's SELECT from the work table: (its key columns' expressions by name, its
# measures, its FROM, its conditions).
Spec = tuple[dict[str, Any], list[Any], Any, list[Any]]
FINDINGS = RECORDS.join(TextFinding.__table__, TextFinding.enrichment_id == R.enrichment_id)


def _count(source: Any = RECORDS, *where: Any) -> Spec:
    return {}, [func.count()], source, list(where)


def _topic_count(scope: Scope, period: str = "month") -> Spec:
    """A record counts once per topic its findings are about, which is once per topic of
    its set: the records grouped by cell and set (a few hundred thousand groups however
    many records), each group's ``n`` added to each topic its set holds (the upkeep's
    ``count(DISTINCT feedback.id)`` over the findings, without reading them again).
    ``period``: the month, or the day (the day topic counts, migration 0048)."""
    filtered = (period, *t.FILTERED[1:])
    cell = [R.workspace_id, *(R[name] for name in filtered), R.found]
    sets = (
        select(*cell, func.count().label("n"))
        .where(ENRICHED, R.found != "")
        .group_by(*cell)
        .subquery("sets")
    )
    keys = select(TextFinding.topic_key).where(TextFinding.topic_key.is_not(None))
    if scope.scoped:  # some records only: the topics of their findings
        keys = keys.select_from(FINDINGS)
    elif scope.workspace_id is not None:
        keys = keys.where(TextFinding.workspace_id == scope.workspace_id)
    topics = keys.distinct().subquery("topic_keys")
    probe = "|" + topics.c.topic_key + "|"
    position = func.strpos if scope.dialect == "postgresql" else func.instr
    source = sets.join(topics, position(sets.c.found, probe) > 0)
    own = {name: sets.c[name] for name in ("workspace_id", *filtered)}
    return {**own, "topic_key": topics.c.topic_key}, [func.sum(sets.c.n)], source, []


def _mentions(*where: Any) -> Spec:
    own = {"topic_key": TextFinding.topic_key, "finding_sentiment": TextFinding.sentiment}
    measures = [func.count(), func.coalesce(func.sum(TextFinding.sentiment_score), 0.0)]
    conditions = [TextFinding.topic_key.is_not(None), TextFinding.sentiment.in_(SENTIMENTS)]
    return own, measures, FINDINGS, [*conditions, *where]


def _mention_cells() -> Select[Any]:
    """What ``MENTIONS`` holds: ``_mentions()`` grouped by all of its keys."""
    own, measures, source, where = _mentions()
    keys = [R.workspace_id, *(R[name] for name in M.keys()[1:-4]), *own.values()]
    return select(*keys, *measures).select_from(source).where(*where).group_by(*keys)


def _summed(*where: Any) -> Spec:
    """A mention table's SELECT from ``MENTIONS``: the sums of its cells."""
    own = {name: M[name] for name in M.keys()[:-2]}
    return own, [func.sum(M.n), func.sum(M.score_sum)], MENTIONS, list(where)


def _scores(metrics: tuple[str, ...], source: Any = RECORDS, *where: Any) -> Spec:
    """One row per record and score it has among ``metrics`` (the score columns unpivoted
    by a join to their names: one read of ``source`` for all of them, where the upkeep
    reads the records once per column)."""
    named = {m: literal_column(f"'{m}'", String) for m in metrics}  # inline: the GROUP BY
    names = union_all(*(select(name.label("metric")) for name in named.values()))
    metric = names.subquery("metrics").c.metric  # repeats the CASE, equal only without binds
    value = case(*((metric == name, R[m]) for m, name in named.items()))
    own = {"metric": metric, "value": value, "topics": R.topics}
    return own, [func.count()], source.join(metric.table, true()), [value.is_not(None), *where]


ENRICHED = R.enriched == 1  # the upkeep's inner join to the enrichment
TOUCHED = R.touchpoint.is_not(None)


def _touched(spec: Spec) -> Spec:
    own, measures, source, where = spec
    return {**own, "touchpoint": R.touchpoint}, measures, source, [*where, TOUCHED]


def _segmented(spec: Spec, scope: Scope) -> Spec:
    """``spec`` over each segment's members (the scope's segment only, when it has one)."""
    own, measures, source, where = spec
    on = SegmentMember.feedback_id == R.feedback_id
    if scope.segment_id is not None:
        on = on & (SegmentMember.segment_id == scope.segment_id)
    members = source.join(SegmentMember.__table__, on)
    return {**own, "segment_id": SegmentMember.segment_id}, measures, members, where


def _both(spec: Callable[[], Spec]) -> Builder:
    """``spec`` over each segment's members carrying a touchpoint, keyed by both."""
    return lambda scope: [_segmented(_touched(spec()), scope)]


class Scope(NamedTuple):
    dialect: str
    workspace_id: int | None  # None: every workspace
    segment_id: int | None  # a segment's members only
    scoped: bool = False  # the work table holds some records only (listening_count_merge)


Builder = Callable[[Scope], list[Spec]]
BUILDERS: dict[Any, tuple[tuple[str, ...], tuple[str, ...], Builder]] = {
    t.ListeningCount: (t.DAY_KEY, ("n",), lambda s: [_count()]),
    t.ListeningTopicCount: (t.TOPIC_KEY, ("n",), lambda s: [_topic_count(s)]),
    t.ListeningMentionCount: (t.MENTION_KEY, ("n", "score_sum"), lambda s: [_summed()]),
    t.ListeningScoreCount: (t.SCORE_KEY, ("n",), lambda s: [_scores(SCORES)]),
    t.ListeningWeekScoreCount: (t.WEEK_SCORE_KEY, ("n",), lambda s: [_scores(SCORES)]),
    t.ListeningDriverCount: (
        t.DRIVER_KEY, ("n",), lambda s: [_scores(OUTCOMES, RECORDS, ENRICHED)]
    ),
    t.ListeningSetCount: (t.SET_KEY, ("n",), lambda s: [_count(RECORDS, ENRICHED)]),
    t.ListeningSetMentionCount: (t.SET_MENTION_KEY, ("n", "score_sum"), lambda s: [_summed()]),
    t.ListeningSetScoreCount: (
        t.SET_SCORE_KEY, ("n",), lambda s: [_scores(SCORES, RECORDS, ENRICHED)]
    ),
    t.ListeningTouchpointCount: (t.TOUCH_KEY, ("n",), lambda s: [_touched(_count())]),
    t.ListeningTouchpointMentionCount: (
        t.TOUCH_MENTION_KEY, ("n", "score_sum"), lambda s: [_summed(M.touchpoint.is_not(None))]
    ),
    t.ListeningTouchpointScoreCount: (
        t.TOUCH_SCORE_KEY, ("n",), lambda s: [_touched(_scores(SCORES))]
    ),
    t.ListeningSegmentCount: (t.SEGMENT_KEY, ("n",), lambda s: [_segmented(_count(), s)]),
    t.ListeningSegmentMentionCount: (
        t.SEGMENT_MENTION_KEY, ("n", "score_sum"), lambda s: [_segmented(_mentions(), s)]
    ),
    t.ListeningSegmentScoreCount: (
        t.SEGMENT_SCORE_KEY, ("n",), lambda s: [_segmented(_scores(SCORES), s)]
    ),
    # The day twins of the month tables (migration 0048): the day from the work table.
    t.ListeningDayTopicCount: (t.DAY_TOPIC_KEY, ("n",), lambda s: [_topic_count(s, "day")]),
    t.ListeningDayMentionCount: (t.DAY_MENTION_KEY, ("n", "score_sum"), lambda s: [_mentions()]),
    t.ListeningDayScoreCount: (t.DAY_SCORE_KEY, ("n",), lambda s: [_scores(SCORES)]),
    t.ListeningDayDriverCount: (
        t.DAY_DRIVER_KEY, ("n",), lambda s: [_scores(OUTCOMES, RECORDS, ENRICHED)]
    ),
    # The topic-set counts' day twins (migration 0051): their mentions from the findings (the
    # mention cells have no day).
    ds.ListeningDaySetCount: (ds.DAY_SET_KEY, ("n",), lambda s: [_count(RECORDS, ENRICHED)]),
    ds.ListeningDaySetMentionCount: (
        ds.DAY_SET_MENTION_KEY, ("n", "score_sum"), lambda s: [_mentions()]
    ),
    ds.ListeningDaySetScoreCount: (
        ds.DAY_SET_SCORE_KEY, ("n",), lambda s: [_scores(SCORES, RECORDS, ENRICHED)]
    ),
    # The touchpoint and segment counts' day twins (migration 0052): their mentions from the
    # findings, as the day topic-set mentions.
    ds.ListeningDayTouchpointCount: (ds.DAY_TOUCH_KEY, ("n",), lambda s: [_touched(_count())]),
    ds.ListeningDayTouchpointMentionCount: (
        ds.DAY_TOUCH_MENTION_KEY, ("n", "score_sum"), lambda s: [_touched(_mentions())]
    ),
    ds.ListeningDayTouchpointScoreCount: (
        ds.DAY_TOUCH_SCORE_KEY, ("n",), lambda s: [_touched(_scores(SCORES))]
    ),
    ds.ListeningDaySegmentCount: (
        ds.DAY_SEGMENT_KEY, ("n",), lambda s: [_segmented(_count(), s)]
    ),
    ds.ListeningDaySegmentMentionCount: (
        ds.DAY_SEGMENT_MENTION_KEY, ("n", "score_sum"), lambda s: [_segmented(_mentions(), s)]
    ),
    ds.ListeningDaySegmentScoreCount: (
        ds.DAY_SEGMENT_SCORE_KEY, ("n",), lambda s: [_segmented(_scores(SCORES), s)]
    ),
    # A segment's members carrying a touchpoint, by both (migration 0053).
    **{model: (key, measures, _both(spec)) for model, key, measures, spec in (
        (st.ListeningSegmentTouchpointCount, st.SEGMENT_TOUCH_KEY, ("n",), _count),
        (st.ListeningSegmentTouchpointMentionCount, st.SEGMENT_TOUCH_MENTION_KEY,
         ("n", "score_sum"), _mentions),
        (st.ListeningSegmentTouchpointScoreCount, st.SEGMENT_TOUCH_SCORE_KEY, ("n",),
         lambda: _scores(SCORES)),
        (st.ListeningDaySegmentTouchpointCount, st.DAY_SEGMENT_TOUCH_KEY, ("n",), _count),
        (st.ListeningDaySegmentTouchpointMentionCount, st.DAY_SEGMENT_TOUCH_MENTION_KEY,
         ("n", "score_sum"), _mentions),
        (st.ListeningDaySegmentTouchpointScoreCount, st.DAY_SEGMENT_TOUCH_SCORE_KEY, ("n",),
         lambda: _scores(SCORES)),
    )},
}  # fmt: skip
OF_MENTIONS = (t.ListeningMentionCount, t.ListeningSetMentionCount,
               t.ListeningTouchpointMentionCount)  # fmt: skip
SEGMENT_TABLES = (t.ListeningSegmentCount, t.ListeningSegmentMentionCount,
                  t.ListeningSegmentScoreCount, ds.ListeningDaySegmentCount,
                  ds.ListeningDaySegmentMentionCount, ds.ListeningDaySegmentScoreCount,
                  *(m for m in BUILDERS if m.__module__ == st.__name__))  # fmt: skip


def _select(key: tuple[str, ...], spec: Spec, ordered: bool = True) -> Select[Any]:
    own, measures, source, where = spec
    columns = [own[name] if name in own else R[name] for name in key]
    workspace = own.get("workspace_id", R.workspace_id)
    labelled = [c.label(name) for c, name in zip(columns, key, strict=True)]
    measured = [m.label(f"measure_{i}") for i, m in enumerate(measures)]
    query = select(workspace, *labelled, *measured).select_from(source).where(true(), *where)
    query = query.group_by(workspace, *columns)
    # In the order of the table's unique key: its index grows at its right edge instead of
    # taking a million insertions at random places (a sort of the groups, not the records).
    return query.order_by(workspace, *columns) if ordered else query


def build(
    db: Database,
    workspace_id: int | None,
    models: tuple[Any, ...],
    *,
    segment_id: int | None = None,
) -> None:
    """Insert the counts of ``models`` for every record of the workspace (every workspace
    when None), or for the members of ``segment_id`` (then only segment tables). The
    tables must hold none of those counts yet (the caller deleted them): plain INSERTs."""
    if segment_id is not None and any(m not in SEGMENT_TABLES for m in models):
        raise ValueError("a segment's members build only the segment tables")
    others = tuple(m for m in models if m not in BUILDERS)
    if others:  # a table with no builder here yet: the upkeep's per-table statements
        from cxgap.db.listening_counts import _merge  # (it imports this module)

        _merge(db, 1, workspace_id, None, others)
    wanted = [m for m in BUILDERS if m in models]
    if not wanted:
        return
    connection = db.connection() if isinstance(db, Session) else db
    dialect = connection.dialect.name
    connection.execute(text(f"DROP TABLE IF EXISTS {NAME}"))
    RECORDS.create(connection)
    records = _records(dialect, workspace_id, segment_id)
    connection.execute(insert(RECORDS).from_select(list(R.keys()), records))
    if dialect == "postgresql":
        connection.execute(text(f"ANALYZE {NAME}"))  # no autovacuum on a temporary table
    mentions = any(m in models for m in OF_MENTIONS)
    if mentions:
        connection.execute(text(f"DROP TABLE IF EXISTS {MENTIONS.name}"))
        MENTIONS.create(connection)
        connection.execute(insert(MENTIONS).from_select(list(M.keys()), _mention_cells()))
        if dialect == "postgresql":  # unanalysed, its 1.6 M rows at 2 M were planned as 137,000:
            connection.execute(text(f"ANALYZE {MENTIONS.name}"))  # the hash spilled to disk
    scope = Scope(dialect, workspace_id, segment_id)
    for model in wanted:
        key, measures, builder = BUILDERS[model]
        selects = [_select(key, spec) for spec in builder(scope)]
        chosen: Any = selects[0] if len(selects) == 1 else union_all(*selects)
        columns = ["workspace_id", *key, *measures]
        connection.execute(insert(model.__table__).from_select(columns, chosen))
    connection.execute(text(f"DROP TABLE {NAME}"))
    if mentions:
        connection.execute(text(f"DROP TABLE {MENTIONS.name}"))
