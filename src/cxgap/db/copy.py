"""Bulk loading through PostgreSQL's ``COPY … FROM STDIN`` (psycopg 3).

Why: an ``executemany`` of ``INSERT`` statements costs a Python round of parameter binding
and a server round of parsing per row; ``COPY`` streams rows in PostgreSQL's own text format,
formatted by psycopg's C code, and the server loads them in one statement. Staging an import
this way is several times faster (``bench/pg_scale.py``). Only for PostgreSQL: callers keep
their ``INSERT`` path for SQLite.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Connection

from cxgap.errors import ConfigError


def copies(conn: Connection) -> bool:
    """Whether ``conn`` can load rows with :func:`copy_rows` (a psycopg 3 connection)."""
    return conn.dialect.name == "postgresql" and conn.dialect.driver == "psycopg"


def copy_rows(
    conn: Connection, table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]
) -> int:
    """Stream ``rows`` (tuples in the order of ``columns``) into ``table`` in the
    connection's current transaction; how many. Values are the driver's own: a JSON column
    takes its text, a timestamp an aware ``datetime``. psycopg sends the data in chunks
    while the rows are produced, so memory stays flat however many there are."""
    if not copies(conn):
        raise ConfigError(
            f"COPY needs PostgreSQL through psycopg, not {conn.dialect.name!r} "
            f"with {conn.dialect.driver!r}"
        )
    preparer = conn.dialect.identifier_preparer
    names = ", ".join(preparer.quote(name) for name in columns)
    statement = f"COPY {preparer.quote(table)} ({names}) FROM STDIN"
    count = 0
    driver: Any = conn.connection.driver_connection  # a psycopg.Connection: see copies()
    with driver.cursor() as cursor, cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row(row)
            count += 1
    return count


def unique_violation(exc: BaseException) -> bool:
    """Whether ``exc`` is PostgreSQL refusing a row whose unique key is already taken, as
    :func:`copy_rows` raises it (the driver's own error: its cursor is psycopg's)."""
    from psycopg.errors import UniqueViolation

    return isinstance(exc, UniqueViolation)
