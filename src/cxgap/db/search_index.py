"""The Listening search's index, kept out of the import's path (migration 0050,
docs/scale.md "The search index out of the import's path").

The search keeps its one definition (:class:`text_matches`: a case- and accent-blind
regular expression on PostgreSQL, a GLOB on SQLite), so it keeps the same results. Where it
reads changed with 0050, on PostgreSQL only:

- ``feedback_search`` holds ``(feedback_id, workspace_id, text)``, with a GIN index of the
  text's trigrams (``pg_trgm``, :data:`SEARCH_INDEX`) where the server ships it. Until 0050
  that index was on ``feedback.text`` itself (:data:`INDEX`, migration 0045): every row an
  import copied was split into trigrams on the import's path, over half of the server's
  work (docs/scale.md, "Sixth round").
- An import writes no search rows: its transaction adds one ``feedback_search_pending`` row
  (:func:`defer`), and the ``index_search`` job (``jobs/search.py``) copies the import's
  texts in by batches of ids (:func:`index_step`), then removes the marker.
- :func:`matches`, the search condition, is the index's matches **plus the rows of the
  pending imports scanned in ``feedback``** (those past the job's resume point): a search
  run just after an import finds its rows, before the job and after it; nothing is missed
  while the index catches up (:func:`lagging` says by how many rows it lags).
- The other writers (survey comments, masking, recovery answers, the demo, the in-session
  import) keep their rows current at once: ``listening_counts.changing`` and
  ``listening_counts.rebuild`` call :func:`refresh` (a row's search text is its feedback's
  text, or the row belongs to a pending import). Deletions follow by ``ON DELETE CASCADE``.

On SQLite the table stays empty and the search is the GLOB over ``feedback.text``, as before.
"""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy import (
    Boolean,
    ColumnElement,
    Connection,
    Table,
    and_,
    delete,
    func,
    literal,
    select,
    text,
    union_all,
    update,
)
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session
from sqlalchemy.sql.functions import FunctionElement

from cxgap.db.tables import Feedback, FeedbackSearch, FeedbackSearchPending

# The trigram index on ``feedback.text`` (0045 to 0049); 0050 drops it, its downgrade
# makes it again.
INDEX = "ix_feedback_text_trgm"
# The trigram index on ``feedback_search.text`` (0050 on).
SEARCH_INDEX = "ix_feedback_search_text_trgm"
DATABASE_ONLY = frozenset({INDEX, SEARCH_INDEX})
# Ids per step of the job: one transaction each, its resume point stored with it.
BATCH_IDS = 50_000
log = logging.getLogger(__name__)
Database = Session | Connection


class text_matches(FunctionElement[bool]):
    """``column`` contains the search, whatever the case and accents: a regular expression
    on PostgreSQL, a GLOB on SQLite. (``feedback_filters`` re-exports it.)"""

    inherit_cache = True
    type = Boolean()
    name = "text_matches"


@compiles(text_matches)
def _regex_match(element: text_matches, compiler: Any, **kw: Any) -> str:
    column, regex, _ = list(element.clauses)
    return f"({compiler.process(column, **kw)} ~ {compiler.process(regex, **kw)})"


@compiles(text_matches, "sqlite")
def _glob_match(element: text_matches, compiler: Any, **kw: Any) -> str:
    column, _, glob = list(element.clauses)
    return f"({compiler.process(column, **kw)} GLOB {compiler.process(glob, **kw)})"


class _by_dialect(FunctionElement[bool]):
    """Its first clause on SQLite, its second elsewhere (PostgreSQL)."""

    inherit_cache = True
    type = Boolean()
    name = "search_by_dialect"


@compiles(_by_dialect)
def _second(element: _by_dialect, compiler: Any, **kw: Any) -> str:
    _, second = list(element.clauses)
    return str(compiler.process(second, **kw))


@compiles(_by_dialect, "sqlite")
def _first(element: _by_dialect, compiler: Any, **kw: Any) -> str:
    first, _ = list(element.clauses)
    return str(compiler.process(first, **kw))


def _tables() -> tuple[Table, Table, Table]:
    return (
        Feedback.__table__,  # type: ignore[return-value]
        FeedbackSearch.__table__,
        FeedbackSearchPending.__table__,
    )


def matches(workspace_id: int, pattern: str, glob: str) -> ColumnElement[bool]:
    """The feedback of ``workspace_id`` whose text the search matches (``pattern`` and
    ``glob`` from ``feedback_filters.search_pattern`` and ``glob_pattern``).

    PostgreSQL: ``feedback.id IN (`` the search table's matches ``UNION ALL`` the matching
    rows of the workspace's pending imports past their resume point ``)``: the first part
    is served by :data:`SEARCH_INDEX`, the second by ``ix_feedback_import_id``. SQLite: the
    GLOB over ``feedback.text``, as before 0050."""
    feedback, search, pending = _tables()
    regex, star = literal(pattern), literal(glob)
    indexed = select(search.c.feedback_id).where(
        search.c.workspace_id == workspace_id, text_matches(search.c.text, regex, star)
    )
    tail = feedback.alias("unindexed")
    through = func.coalesce(pending.c.indexed_through, 0)
    unindexed = (
        select(tail.c.id)
        .select_from(
            pending.join(tail, and_(tail.c.import_id == pending.c.import_id, tail.c.id > through))
        )
        .where(
            pending.c.workspace_id == workspace_id,
            tail.c.workspace_id == workspace_id,
            text_matches(tail.c.text, regex, star),
        )
    )
    return _by_dialect(
        text_matches(Feedback.text, regex, star),
        Feedback.id.in_(union_all(indexed, unindexed)),
    )


def _postgresql(db: Database) -> bool:
    bind = db.get_bind() if isinstance(db, Session) else db
    return bind.dialect.name == "postgresql"


def defer(db: Database, workspace_id: int, import_id: int, *, updated: bool) -> bool:
    """In an import's transaction, once its rows are written: the import's rows are left to
    the ``index_search`` job (one marker row, no work per row); ``updated``: some rows were
    updated in place, whose search rows (their former text) are removed now. True when the
    job has work (PostgreSQL)."""
    if not _postgresql(db):
        return False
    feedback, search, pending = _tables()
    if updated:
        ours = select(feedback.c.id).where(feedback.c.import_id == import_id)
        db.execute(delete(search).where(search.c.feedback_id.in_(ours)))
    db.execute(
        pg_insert(pending)
        .values(import_id=import_id, workspace_id=workspace_id)
        .on_conflict_do_update(
            index_elements=[pending.c.import_id], set_={"indexed_through": None, "last_id": None}
        )
    )
    return True


def refresh(db: Database, workspace_id: int, scope: ColumnElement[bool]) -> None:
    """The search rows of the workspace's feedback in ``scope`` made current, in the
    writer's transaction (PostgreSQL; a no-op on SQLite)."""
    if not _postgresql(db):
        return
    feedback, search, _ = _tables()
    rows = select(feedback.c.id, feedback.c.workspace_id, feedback.c.text).where(
        feedback.c.workspace_id == workspace_id, scope
    )
    put = pg_insert(search).from_select(["feedback_id", "workspace_id", "text"], rows)
    db.execute(
        put.on_conflict_do_update(
            index_elements=[search.c.feedback_id], set_={"text": put.excluded.text}
        )
    )


def index_step(db: Database, workspace_id: int, batch: int = BATCH_IDS) -> int | None:
    """One step of the ``index_search`` job, in the caller's transaction: the texts of the
    workspace's oldest pending import in its next ``batch`` ids copied into the search
    table, its resume point moved past them (the marker removed after its last). The rows
    copied; None when nothing is pending. The rows are read ``FOR SHARE``: a writer changing
    one meanwhile waits for this step or is waited for (then its row is read as it wrote
    it), so no stale text is stored."""
    if not _postgresql(db):
        db.execute(delete(FeedbackSearchPending).where(
            FeedbackSearchPending.workspace_id == workspace_id))  # fmt: skip
        return None
    feedback, _, pending = _tables()
    marker = db.execute(
        select(pending.c.import_id, pending.c.indexed_through, pending.c.last_id)
        .where(pending.c.workspace_id == workspace_id)
        .order_by(pending.c.import_id)
        .limit(1)
        .with_for_update()
    ).first()
    if marker is None:
        return None
    import_id, through, last = marker
    mine = pending.c.import_id == import_id
    if last is None:
        ours = and_(feedback.c.workspace_id == workspace_id, feedback.c.import_id == import_id)
        first, last = db.execute(select(func.min(feedback.c.id), func.max(feedback.c.id)).where(
            ours)).one()  # fmt: skip
        if last is None:  # no rows (all replaced since)
            db.execute(delete(pending).where(mine))
            return 0
        through = first - 1
        db.execute(update(pending).where(mine).values(indexed_through=through, last_id=last))
    upper = min(through + batch, last)
    copied = db.execute(
        text(
            "WITH put AS (INSERT INTO feedback_search (feedback_id, workspace_id, text)"
            " SELECT id, workspace_id, text FROM feedback WHERE workspace_id = :ws"
            # import_id + 0: read by the id range (a new import has no statistics: the
            # planner would read all its rows through ix_feedback_import_id every step)
            " AND id > :low AND id <= :high AND import_id + 0 = :import FOR SHARE"
            " ON CONFLICT (feedback_id) DO UPDATE SET text = EXCLUDED.text"
            " RETURNING 1) SELECT count(*) FROM put"
        ),
        {"ws": workspace_id, "low": through, "high": upper, "import": import_id},
    ).scalar_one()
    if upper >= last:
        db.execute(delete(pending).where(mine))
    else:
        db.execute(update(pending).where(mine).values(indexed_through=upper))
    return int(copied)


def lagging(db: Database, workspace_id: int) -> int:
    """Rows of the workspace the search index does not hold yet (the search scans them in
    ``feedback``): 0 once the ``index_search`` job has caught up, and always on SQLite."""
    if not _postgresql(db):
        return 0
    feedback, _, pending = _tables()
    through = func.coalesce(pending.c.indexed_through, 0)
    query = (
        select(func.count())
        .select_from(pending)
        .join(feedback, and_(feedback.c.import_id == pending.c.import_id, feedback.c.id > through))
        .where(pending.c.workspace_id == workspace_id, feedback.c.workspace_id == workspace_id)
    )
    return int(db.execute(query).scalar_one())


def has_pending(db: Database, workspace_id: int) -> bool:
    """Whether an import of the workspace waits for the ``index_search`` job (never on
    SQLite): the front ends queue the job when so."""
    pending = FeedbackSearchPending.__table__
    query = select(pending.c.import_id).where(pending.c.workspace_id == workspace_id).limit(1)
    return db.execute(query).first() is not None


def fill(connection: Connection) -> None:
    """The whole search table from ``feedback`` (PostgreSQL: a migration, a bench base
    loaded in bulk): its trigram index dropped, every row copied in one statement, the
    markers removed, the index built once over it (far cheaper than upkeep row by row)."""
    if connection.dialect.name != "postgresql":
        return
    connection.execute(text(f"DROP INDEX IF EXISTS {SEARCH_INDEX}"))
    connection.execute(text("DELETE FROM feedback_search"))
    connection.execute(text("DELETE FROM feedback_search_pending"))
    connection.execute(
        text(
            "INSERT INTO feedback_search (feedback_id, workspace_id, text)"
            " SELECT id, workspace_id, text FROM feedback"
        )
    )
    create_search_index(connection)
    analyze(connection)


def analyze(db: Database) -> None:
    """Fresh planner statistics of the search table (PostgreSQL; a 30,000-row sample
    whatever its size): the broad-search estimate asks the planner how many texts a
    search matches (``search_sample.planned_matches``), and a table filled in bulk has no
    statistics until autovacuum's next pass (never, where it is off)."""
    if _postgresql(db):
        db.execute(text("ANALYZE feedback_search"))


def has_statistics(db: Database) -> bool:
    """Whether the planner holds statistics of the search table's texts (PostgreSQL;
    elsewhere there is no planner to ask: True)."""
    if not _postgresql(db):
        return True
    found = db.execute(
        text(
            "SELECT 1 FROM pg_stats WHERE schemaname = current_schema()"
            " AND tablename = 'feedback_search' AND attname = 'text'"
        )
    ).first()
    return found is not None


def _trigrams(connection: Connection) -> bool:
    """``pg_trgm`` there or made (trusted since PostgreSQL 13: a database owner may create
    it); False, with a warning, where the server lacks it or the role may not create it."""
    if connection.dialect.name != "postgresql":
        return False
    shipped = connection.scalar(
        text("SELECT count(*) FROM pg_available_extensions WHERE name = 'pg_trgm'")
    )
    if not shipped:
        log.warning("pg_trgm is not available: the Listening search runs without its index")
        return False
    savepoint = connection.begin_nested()
    try:
        connection.execute(text("CREATE EXTENSION IF NOT EXISTS pg_trgm"))
    except Exception:  # no privilege: go on without the index
        savepoint.rollback()
        log.warning("pg_trgm could not be created: the Listening search runs without its index")
        return False
    savepoint.commit()
    return True


def create_search_index(connection: Connection) -> bool:
    """The trigram index of ``feedback_search.text`` where ``pg_trgm`` can be had; True when
    it exists. Without it the search reads the search table whole (narrower than
    ``feedback``) and gives the same rows."""
    if not _trigrams(connection):
        return False
    connection.execute(
        text(
            f"CREATE INDEX IF NOT EXISTS {SEARCH_INDEX} ON feedback_search"
            " USING gin (text gin_trgm_ops)"
        )
    )
    return True


def create(connection: Connection) -> bool:
    """The trigram index on ``feedback.text`` as migration 0045 made it (0050's downgrade
    makes it again); True when it exists. Since 0050 the search reads ``feedback_search``:
    see :func:`create_search_index`."""
    if not _trigrams(connection):
        return False
    connection.execute(
        text(f"CREATE INDEX IF NOT EXISTS {INDEX} ON feedback USING gin (text gin_trgm_ops)")
    )
    return True


def drop(connection: Connection) -> None:
    """Drop the trigram index on ``feedback.text`` (0045's)."""
    if connection.dialect.name == "postgresql":
        connection.execute(text(f"DROP INDEX IF EXISTS {INDEX}"))
