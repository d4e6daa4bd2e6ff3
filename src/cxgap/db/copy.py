"""Bulk loading through PostgreSQL's ``COPY … FROM STDIN`` (psycopg 3).

Why: an ``executemany`` of ``INSERT`` statements costs a Python round of parameter binding
and a server round of parsing per row; ``COPY`` streams rows in PostgreSQL's own text format,
formatted by psycopg's C code, and the server loads them in one statement. Staging an import
this way is several times faster (``bench/pg_scale.py``). Only for PostgreSQL: callers keep
their ``INSERT`` path for SQLite.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from contextlib import nullcontext
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Connection,
    DateTime,
    Float,
    Integer,
    SmallInteger,
    String,
    Table,
)

from cxgap.db import key_checks
from cxgap.errors import ConfigError


def copies(conn: Connection) -> bool:
    """Whether ``conn`` can load rows with :func:`copy_rows` (a psycopg 3 connection)."""
    return conn.dialect.name == "postgresql" and conn.dialect.driver == "psycopg"


def copy_rows(
    conn: Connection,
    table: str,
    columns: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    binary: Sequence[str] | None = None,
    shared: Mapping[str, object] | None = None,
) -> int:
    """Stream ``rows`` (tuples in the order of ``columns``) into ``table`` in the
    connection's current transaction; how many. Values are the driver's own: a JSON column
    takes its text, a timestamp an aware ``datetime``. psycopg sends the data in chunks
    while the rows are produced, so memory stays flat however many there are.

    ``binary``: the columns' binary types (:func:`binary_types`): the rows go in
    PostgreSQL's binary format, which the server reads with less work than the text one
    (no escapes to undo, no numbers or dates to parse).

    ``shared``: columns whose value every row holds (an import's workspace and import ids):
    where the table's foreign keys are all on them, their parents are locked once and the
    rows copied without the per-row checks (:mod:`cxgap.db.key_checks`)."""
    if not copies(conn):
        raise ConfigError(
            f"COPY needs PostgreSQL through psycopg, not {conn.dialect.name!r} "
            f"with {conn.dialect.driver!r}"
        )
    preparer = conn.dialect.identifier_preparer
    names = ", ".join(preparer.quote(name) for name in columns)
    statement = f"COPY {preparer.quote(table)} ({names}) FROM STDIN"
    if binary is not None:
        statement += " (FORMAT BINARY)"
    count = 0
    driver: Any = conn.connection.driver_connection  # a psycopg.Connection: see copies()
    checks = nullcontext() if shared is None else key_checks.once(conn, table, shared)
    with checks, driver.cursor() as cursor, cursor.copy(statement) as copy:
        if binary is not None:
            copy.set_types(list(binary))
        for row in rows:
            copy.write_row(row)
            count += 1
    return count


def binary_types(table: Table, columns: Sequence[str]) -> tuple[str, ...]:
    """The types psycopg writes ``columns`` of ``table`` as in a binary ``COPY``: integers
    at their width, floats as ``float8``, timestamps with their zone (an aware ``datetime``),
    and everything else (strings, texts, JSON) as text, whose binary form is its UTF-8
    bytes, which the server's own column type reads (a ``json`` column checks them as
    JSON). A type outside these raises here rather than be sent in a form the server would
    misread."""
    names: list[str] = []
    for name in columns:
        kind = table.c[name].type
        impl = getattr(kind, "impl", kind)  # a TypeDecorator's own type
        if isinstance(impl, SmallInteger):
            names.append("int2")
        elif isinstance(impl, BigInteger):
            names.append("int8")
        elif isinstance(impl, Integer):
            names.append("int4")
        elif isinstance(impl, Float) and not impl.asdecimal:
            names.append("float8")
        elif isinstance(impl, DateTime) and impl.timezone:
            names.append("timestamptz")
        elif isinstance(impl, (String, JSON)):  # Text is a String
            names.append("text")
        else:
            raise ConfigError(f"no binary COPY type for {table.name}.{name} ({kind!r})")
    return tuple(names)


def unique_violation(exc: BaseException) -> bool:
    """Whether ``exc`` is PostgreSQL refusing a row whose unique key is already taken, as
    :func:`copy_rows` raises it (the driver's own error: its cursor is psycopg's)."""
    from psycopg.errors import UniqueViolation

    return isinstance(exc, UniqueViolation)
