"""An import's Listening counts added in one grouped pass (``listening_counts.add`` of a
scope an index finds: an import's records, ``Feedback.import_id == i``).

Why: the per-table upkeep (``listening_counts._merge``) computes every key in each of its
statements and reads the import's rows again for each table and each score column (26
reads of 200,000 rows for an import of new, unenriched records); its count rows are then
checked one by one against the workspace (a foreign key's trigger per row: ~190,000 rows
for the realistic bench file since the day touchpoint and segment counts, migrations
0052-0053). Here, as ``listening_count_build`` does for a rebuild, each record's keys go
once into the work table ``cx_count_records``; every count table is a ``GROUP BY`` of it
(the score columns unpivoted by one join), merged by ``INSERT … ON CONFLICT DO UPDATE SET
n = n + excluded.n``; and the workspace is locked once for all the tables keyed by it alone
(``key_checks.checked_once_each``), where the role may.

What is skipped: the families the records cannot touch (the tables of enriched records when
none of their texts is enriched, the touchpoint tables when none carries a touchpoint, the
segment tables when none is a member), the score columns none of them has a value in (from
the unpivot), and, when nothing is enriched, the enrichment's join.

The counts are the per-table upkeep's, hence a rebuild's (the same key expressions,
``listening_count_keys``; the same builders as the rebuild, ``listening_count_build``):
tests compare them with ``listening_counts.rebuild`` on SQLite and PostgreSQL
(``tests/services/test_import_counts.py``, ``tests/db/test_listening_counts.py``).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Select,
    String,
    Text,
    case,
    func,
    insert,
    literal,
    literal_column,
    null,
    select,
    text,
    true,
    union_all,
)
from sqlalchemy import cast as sql_cast
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from cxgap.db import key_checks
from cxgap.db import listening_count_keys as keys
from cxgap.db.listening_count_build import (
    BUILDERS,
    MENTIONS,
    NAME,
    OF_MENTIONS,
    RECORDS,
    SCORES,
    Scope,
    _mention_cells,
    _select,
)
from cxgap.db.listening_count_build import R as RECORD
from cxgap.db.listening_count_parts import (
    DAY_TOUCH_TABLES,
    OF_ENRICHED,
    SEGMENT_TABLES,
    SEGMENT_TOUCH_TABLES,
)
from cxgap.db.listening_count_tables import (
    ListeningTouchpointCount,
    ListeningTouchpointMentionCount,
    ListeningTouchpointScoreCount,
)
from cxgap.db.tables import Feedback, SegmentMember, TextEnrichment

Database = Session | Connection
# Whether imports take this pass; bench/import_speed.py sets False to time the per-table
# upkeep in the same run.
enabled = True
# The tables only records carrying a touchpoint count in.
TOUCHED = (
    ListeningTouchpointCount,
    ListeningTouchpointMentionCount,
    ListeningTouchpointScoreCount,
    *DAY_TOUCH_TABLES,
    *SEGMENT_TOUCH_TABLES,
)


def add(
    db: Database, workspace_id: int, scope: ColumnElement[bool], models: tuple[Any, ...]
) -> tuple[Any, ...]:
    """Add what the records of ``scope`` (in the workspace) count for in ``models``; the
    tables of ``models`` left to the per-table upkeep (no builder here: the drivers by
    dimension), none when the records cannot count in them."""
    connection = db.connection() if isinstance(db, Session) else db
    dialect = connection.dialect.name
    one = select(literal(1)).select_from(keys.with_enrichment(inner=True))
    found = connection.execute(one.where(Feedback.workspace_id == workspace_id, scope).limit(1))
    enriched = found.first() is not None
    connection.execute(text(f"DROP TABLE IF EXISTS {NAME}"))
    RECORDS.create(connection)
    records = _records(dialect, workspace_id, scope, enriched)
    connection.execute(insert(RECORDS).from_select(list(RECORD.keys()), records))
    many, touched, *scored = connection.execute(
        select(
            func.count(), func.count(RECORD.touchpoint), *(func.count(RECORD[s]) for s in SCORES)
        ).select_from(RECORDS)
    ).one()
    scores = tuple(score for score, n in zip(SCORES, scored, strict=True) if n)
    skipped = _untouched(connection, models, enriched, bool(touched))
    wanted = [m for m in BUILDERS if m in models and m not in skipped] if many else []
    mentions = any(m in wanted for m in OF_MENTIONS)
    # No autovacuum on a temporary table: analysed where a statement joins it (the findings,
    # the segments' members); the others scan it and hash their groups whatever its figures
    # (0.06-0.11 of 1.2-2.5 server CPU s saved on 200,000 unenriched rows).
    joined = enriched or any(m in SEGMENT_TABLES for m in wanted)
    if joined and dialect == "postgresql":
        connection.execute(text(f"ANALYZE {NAME}"))
    if mentions:
        connection.execute(text(f"DROP TABLE IF EXISTS {MENTIONS.name}"))
        MENTIONS.create(connection)
        connection.execute(insert(MENTIONS).from_select(list(MENTIONS.c.keys()), _mention_cells()))
    statements = {m.__tablename__: _statement(dialect, workspace_id, m, scores) for m in wanted}
    unchecked, before = key_checks.checked_once_each(
        connection, list(statements), {"workspace_id": workspace_id}
    )
    for name in unchecked:  # the workspace locked once: no check per count row
        connection.execute(statements.pop(name))
    if before is not None:
        key_checks.restore(connection, before)
    for statement in statements.values():
        connection.execute(statement)
    connection.execute(text(f"DROP TABLE {NAME}"))
    if mentions:
        connection.execute(text(f"DROP TABLE {MENTIONS.name}"))
    return tuple(m for m in models if m not in BUILDERS and m not in skipped) if many else ()


def _records(
    dialect: str, workspace_id: int, scope: ColumnElement[bool], enriched: bool
) -> Select[Any]:
    """The scope's records' keys (``listening_count_build._records``'s columns): their
    enrichment's where one of their texts is enriched, else the values an outer join's
    NULLs give, without the join."""
    shared = keys.shared(dialect)
    source: Any = Feedback.__table__
    enrichment: Any = null()
    topics: Any = literal("")
    found: Any = literal("")
    if enriched:
        source = keys.with_enrichment()
        enrichment = TextEnrichment.id
        topics = func.coalesce(sql_cast(TextEnrichment.topic_keys, Text), "")
        # Only an enriched record's findings are probed for its topic set.
        found = case((TextEnrichment.id.is_(None), literal("")), else_=shared["found"])
    else:
        shared |= {"enriched": literal(0), "language": literal(""), "sentiment": literal("")}
    columns = [
        Feedback.workspace_id,
        Feedback.id,
        enrichment,
        *(shared[name] for name in ("day", "month", "week", "source_type", "channel")),
        *(shared[name] for name in ("enriched", "language", "sentiment", "has_nps")),
        found,
        topics,
        Feedback.touchpoint,
        *(getattr(Feedback, score) for score in SCORES),
    ]
    where = (Feedback.workspace_id == workspace_id, scope)
    return select(*columns).select_from(source).where(*where)


def _untouched(
    connection: Connection, models: tuple[Any, ...], enriched: bool, touched: bool
) -> set[Any]:
    """The tables of ``models`` none of the work table's records counts in."""
    skipped: set[Any] = set()
    if not enriched:
        skipped |= set(OF_ENRICHED)
    if not touched:
        skipped |= set(TOUCHED)
    if any(m in SEGMENT_TABLES and m not in skipped for m in models):
        on = SegmentMember.feedback_id == RECORD.feedback_id
        member = select(literal(1)).select_from(RECORDS.join(SegmentMember.__table__, on))
        if not connection.execute(member.limit(1)).first():
            skipped |= set(SEGMENT_TABLES)
    return skipped


def _statement(dialect: str, workspace_id: int, model: Any, scores: tuple[str, ...]) -> Any:
    """The upsert of ``model``: the work table's counts added to the table's. ``scores``:
    the score columns holding a value in the work table (the others' rows of the unpivot
    are not made: the planner drops a branch of its names whose name is not among them)."""
    key, measures, builder = BUILDERS[model]
    scope = Scope(dialect, workspace_id, None, scoped=True)
    specs = []
    for own, spec_measures, source, where in builder(scope):
        if "metric" in own:  # written inline, as the names are (the GROUP BY's equality)
            named = [literal_column(f"'{score}'", String) for score in scores]
            where = [*where, own["metric"].in_(named)]
        specs.append((own, spec_measures, source, where))
    selects = [_select(key, spec, ordered=False) for spec in specs]
    chosen = selects[0]
    if len(selects) > 1:
        every = union_all(*selects).subquery()
        # SQLite needs a WHERE before the upsert's ON CONFLICT (its parser's ambiguity).
        chosen = select(*every.c).where(true())
    make = postgresql.insert if dialect == "postgresql" else sqlite.insert
    table = model.__table__
    columns = ["workspace_id", *key]
    statement = make(table).from_select([*columns, *measures], chosen)
    return statement.on_conflict_do_update(
        index_elements=columns,
        set_={m: table.c[m] + statement.excluded[m] for m in measures},
    )
