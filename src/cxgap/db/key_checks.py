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

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager

from sqlalchemy import Connection, text

# Whether copies may check their shared keys once; bench/import_speed.py sets False to time
# the per-row checks in the same run.
enabled = True
_SETTING = "session_replication_role"

# The tables, among those named, with a trigger that is not a foreign key's (one that
# ``replica`` would skip and the parents' locks replace, or one that fires only on the parent
# side's DELETE and UPDATE, which a copy does not run).
_TRIGGERS = text(
    "SELECT DISTINCT n.name FROM unnest(CAST(:tables AS text[])) AS n(name)"
    " JOIN pg_trigger t ON t.tgrelid = CAST(n.name AS regclass)"
    " LEFT JOIN pg_constraint c ON c.oid = t.tgconstraint"
    " WHERE NOT (t.tgisinternal AND c.contype IS NOT DISTINCT FROM 'f')"
)
# The tables' foreign keys: the table, how many columns, the column, the parent table and its
# column (the last two as SQL writes them: quoted where needed, the table qualified where
# needed).
_FOREIGN_KEYS = text(
    "SELECT n.name, cardinality(c.conkey),"
    " (SELECT attname FROM pg_attribute WHERE attrelid = c.conrelid AND attnum = c.conkey[1]),"
    " CAST(c.confrelid AS regclass)::text,"
    " (SELECT quote_ident(attname) FROM pg_attribute"
    "  WHERE attrelid = c.confrelid AND attnum = c.confkey[1])"
    " FROM unnest(CAST(:tables AS text[])) AS n(name)"
    " JOIN pg_constraint c ON c.conrelid = CAST(n.name AS regclass) AND c.contype = 'f'"
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
    return checked_once_each(conn, (table,), shared)[1]


def checked_once_each(
    conn: Connection, tables: Sequence[str], shared: Mapping[str, object]
) -> tuple[tuple[str, ...], str | None]:
    """:func:`checked_once` for inserts into several tables: those of ``tables`` whose rows
    may go unchecked (their only triggers foreign keys', each key on one column ``shared``
    gives), in their order, and the setting to give back to :func:`restore` once the inserts
    into those (and no other statement) have run; ``((), None)`` when none may (nothing
    changed). The others' rows must be inserted after :func:`restore`, checked one by one."""
    if not enabled or not tables or not _may_set(conn):
        return (), None
    names = list(tables)
    excluded = set(conn.execute(_TRIGGERS, {"tables": names}).scalars())
    parents: set[tuple[str, str, object]] = set()
    for table, columns, column, parent, parent_column in conn.execute(
        _FOREIGN_KEYS, {"tables": names}
    ):
        if columns != 1 or column not in shared:
            excluded.add(table)
        elif shared[column] is not None:  # a NULL key needs no parent
            parents.add((parent, parent_column, shared[column]))
    chosen = tuple(table for table in tables if table not in excluded)
    if not chosen:
        return (), None
    for parent, parent_column, value in sorted(parents, key=str):
        if not _lock_parent(conn, parent, parent_column, value):
            return (), None  # the per-row checks refuse the rows, as they always did
    before = str(conn.execute(text(f"SELECT current_setting('{_SETTING}')")).scalar_one())
    _set(conn, "replica")
    return chosen, before


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
