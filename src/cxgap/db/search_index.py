"""The Listening search's trigram index on PostgreSQL (migration 0045, docs/scale.md
"Listening under filters at 10 M").

The search keeps its one definition (``feedback_filters.text_matches``: a case- and
accent-blind regular expression on PostgreSQL, a GLOB on SQLite), so it keeps the same
results. On PostgreSQL a GIN index of ``feedback.text``'s trigrams (``pg_trgm``) lets the
planner find the texts a selective search matches without reading every text of the
workspace: a regular expression is served by such an index as it is. The index needs the
``pg_trgm`` extension, trusted since PostgreSQL 13 (a database owner may create it); where
the server does not ship it, or the role may not create it, the migration goes on without
the index and the search reads the rows as before. It is no part of the table models
(SQLite has no such index): the schema test leaves out the names in :data:`DATABASE_ONLY`.
"""

from __future__ import annotations

import logging

from sqlalchemy import Connection, text

INDEX = "ix_feedback_text_trgm"
DATABASE_ONLY = frozenset({INDEX})
log = logging.getLogger(__name__)


def create(connection: Connection) -> bool:
    """The trigram index, on PostgreSQL where ``pg_trgm`` can be had; True when it exists."""
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
    connection.execute(
        text(f"CREATE INDEX IF NOT EXISTS {INDEX} ON feedback USING gin (text gin_trgm_ops)")
    )
    return True


def drop(connection: Connection) -> None:
    if connection.dialect.name == "postgresql":
        connection.execute(text(f"DROP INDEX IF EXISTS {INDEX}"))
