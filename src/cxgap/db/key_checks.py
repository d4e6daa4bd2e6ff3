"""A bulk copy's foreign keys checked once, not once a row (PostgreSQL).

Why: PostgreSQL checks a foreign key by a trigger on every inserted row (a lookup of the
parent row, locked ``FOR KEY SHARE``). An import copies 200,000 rows that all name the same
workspace and the same import, and those two checks were about a third of the server's
work on the copy (``INSERT … SELECT`` of 200,000 rows: 11.8–12.5 s of backend CPU with
them, 7.9 s without, load 12–15). Where every row carries the same parent keys, locking
each parent once, as the checks would, gives the same guarantee: the parents exist, and
cannot be deleted or have their key changed before the transaction ends.

How: :func:`checked_once` verifies that the table's only triggers are foreign-key ones,
that every foreign key of the table is on one column whose value every row shares, and
that each parent row exists (locked ``FOR KEY SHARE``); then it sets
``session_replication_role`` to ``replica`` for the transaction, which skips the per-row
triggers, and :func:`restore` puts the setting back right after the copy, so no other
statement (a delete, whose cascades are triggers) runs without them. A rollback undoes it
too. When any condition fails, nothing is changed and the rows are checked one by one as
before.

Who may: ``session_replication_role`` is a superuser's setting; from PostgreSQL 15 a
superuser can grant it to the application's role (``GRANT SET ON PARAMETER
session_replication_role TO cxgap``). Without that privilege imports keep the per-row
checks (``docs/scale.md``).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager

from sqlalchemy import Connection, text

# Whether copies may check their shared keys once; bench/import_speed.py sets False to time
# the per-row checks in the same run.
enabled = True
_SETTING = "session_replication_role"

# Every trigger on the table, with whether it is a foreign key's (one that ``replica``
# would skip and the parents' locks replace, or one that fires only on the parent side's
# DELETE and UPDATE, which a copy does not run).
_TRIGGERS = text(
    "SELECT count(*) FROM pg_trigger t LEFT JOIN pg_constraint c ON c.oid = t.tgconstraint"
    " WHERE t.tgrelid = CAST(:table AS regclass)"
    " AND NOT (t.tgisinternal AND c.contype IS NOT DISTINCT FROM 'f')"
)
# The table's foreign keys: how many columns, the column, the parent table and its column
# (the last two as SQL writes them: quoted where needed, the table qualified where needed).
_FOREIGN_KEYS = text(
    "SELECT cardinality(c.conkey),"
    " (SELECT attname FROM pg_attribute WHERE attrelid = c.conrelid AND attnum = c.conkey[1]),"
    " CAST(c.confrelid AS regclass)::text,"
    " (SELECT quote_ident(attname) FROM pg_attribute"
    "  WHERE attrelid = c.confrelid AND attnum = c.confkey[1])"
    " FROM pg_constraint c WHERE c.conrelid = CAST(:table AS regclass) AND c.contype = 'f'"
)


@contextmanager
def once(conn: Connection, table: str, shared: Mapping[str, object]) -> Iterator[None]:
    """The block's inserts into ``table``, whose every row holds ``shared``'s values, with
    the foreign keys checked once where :func:`checked_once` may (the checks back on after
    it; after an error the caller's rollback undoes the setting)."""
    before = checked_once(conn, table, shared)
    yield
    if before is not None:
        restore(conn, before)


def checked_once(conn: Connection, table: str, shared: Mapping[str, object]) -> str | None:
    """Prepare a copy into ``table`` whose every row holds ``shared``'s value in each of its
    columns: when allowed and safe, lock each parent once and turn the per-row checks off
    for the transaction; the setting to give back to :func:`restore` after the copy. None
    when the rows must be checked one by one (nothing was changed)."""
    if not enabled or not _may_set(conn) or conn.execute(_TRIGGERS, {"table": table}).scalar_one():
        return None
    parents: list[tuple[str, str, object]] = []
    for columns, column, parent, parent_column in conn.execute(_FOREIGN_KEYS, {"table": table}):
        if columns != 1 or column not in shared:
            return None
        if shared[column] is not None:  # a NULL key needs no parent
            parents.append((parent, parent_column, shared[column]))
    for parent, parent_column, value in parents:
        if not _lock_parent(conn, parent, parent_column, value):
            return None  # the per-row checks refuse the rows, as they always did
    before = str(conn.execute(text(f"SELECT current_setting('{_SETTING}')")).scalar_one())
    _set(conn, "replica")
    return before


def restore(conn: Connection, before: str) -> None:
    """The per-row checks back on, as they were before :func:`checked_once`."""
    _set(conn, before)


def _may_set(conn: Connection) -> bool:
    """Whether the connection's role may change ``session_replication_role``."""
    if conn.dialect.name != "postgresql":
        return False
    version = conn.dialect.server_version_info or (0,)
    query = (
        f"SELECT has_parameter_privilege('{_SETTING}', 'SET')"
        if version >= (15,)
        else "SELECT current_setting('is_superuser') = 'on'"
    )
    return bool(conn.execute(text(query)).scalar_one())


def _lock_parent(conn: Connection, table: str, column: str, value: object) -> bool:
    """Lock the parent row as a foreign key's check does; whether it exists. ``table`` and
    ``column`` come from the catalogue, already written as SQL names."""
    query = text(f"SELECT 1 FROM ONLY {table} x WHERE {column} = :value FOR KEY SHARE OF x")
    return conn.execute(query, {"value": value}).first() is not None


def _set(conn: Connection, value: str) -> None:
    conn.execute(text(f"SELECT set_config('{_SETTING}', :value, true)"), {"value": value})
