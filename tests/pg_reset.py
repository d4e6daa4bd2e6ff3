"""Empty the session's PostgreSQL database between tests, paying only for what a test wrote.

``TRUNCATE`` of all 45 tables costs 0.4–0.8 s on a busy 2-core machine (a new file for each
table and index), and 450 tests run on PostgreSQL. Most tests write to a handful of tables:
one query finds the tables that hold rows and the sequences that were used, and only those are
emptied and restarted. The end state is the one ``TRUNCATE … RESTART IDENTITY`` of every
table gives (tests/test_pg_reset.py compares the two).
"""

from __future__ import annotations

from sqlalchemy import Connection, Engine, create_engine, text

from cxgap.db.tables import Base


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def tables_with_rows(conn: Connection) -> list[str]:
    """The application's tables that hold at least one row, in one round trip."""
    probes = " UNION ALL ".join(
        f"SELECT '{t.name}' WHERE EXISTS (SELECT 1 FROM {_quoted(t.name)})"
        for t in Base.metadata.sorted_tables
    )
    return list(conn.execute(text(probes)).scalars())


def used_sequences(conn: Connection) -> list[str]:
    """Sequences handed out at least once since their last restart (a rolled-back insert
    uses one too, and leaves its table empty)."""
    rows = conn.execute(
        text(
            "SELECT schemaname, sequencename FROM pg_sequences "
            "WHERE last_value IS NOT NULL AND schemaname = current_schema()"
        )
    )
    return [f"{_quoted(schema)}.{_quoted(name)}" for schema, name in rows]


# A table whose files (heap, indexes, TOAST) take more than this is truncated instead of
# deleted from. With autovacuum off (``keep_insertion_order``), the rows a DELETE removed stay
# in the files for the rest of the session: after 40 restores of the 640-customer demo,
# `events` held 75 MB of dead rows, each reset's probe took 0.1 → 0.4 s and each COPY back
# 3.7 → 10–13 s (a unique index looks at every dead row with the same key, and the ids start
# again at 1 after each reset). Most tests write a few rows and keep the cheap DELETE.
GROWN_BYTES = 8 << 20


def grown_tables(conn: Connection) -> list[str]:
    """The application's tables whose files take more than ``GROWN_BYTES``."""
    names = [t.name for t in Base.metadata.sorted_tables]
    rows = conn.execute(
        text(
            "SELECT relname FROM pg_class WHERE relkind = 'r' "
            "AND relnamespace = current_schema()::regnamespace "
            "AND relname = ANY(:names) AND pg_total_relation_size(oid) > :limit"
        ),
        {"names": names, "limit": GROWN_BYTES},
    )
    return list(rows.scalars())


def empty_database(engine: Engine) -> None:
    """Leave every application table empty and every sequence at its start: the tables that
    grew large get fresh files (``TRUNCATE``, with the tables that refer to them), the others
    are emptied with ``DELETE``, far cheaper for the few rows most tests write."""
    with engine.begin() as conn:
        filled = set(tables_with_rows(conn))
        grown = grown_tables(conn)
        if grown:
            conn.execute(text(f"TRUNCATE {', '.join(_quoted(n) for n in grown)} CASCADE"))
        for table in reversed(Base.metadata.sorted_tables):  # children before their parents
            if table.name in filled and table.name not in grown:
                conn.execute(text(f"DELETE FROM {_quoted(table.name)}"))
        for sequence in used_sequences(conn):
            conn.execute(text(f"ALTER SEQUENCE {sequence} RESTART"))


def keep_insertion_order(url: str) -> None:
    """No autovacuum in the test database: deleted rows leave space that vacuum would hand to
    the next test's inserts, so that a table read without ORDER BY would not return rows in
    the order they were written, as it does after TRUNCATE (a fresh, empty table)."""
    engine = create_engine(url)
    plain = "SELECT relname FROM pg_class WHERE relkind = 'r' AND relnamespace = " + (
        "current_schema()::regnamespace"
    )  # partitions included; a partitioned parent takes no storage parameter
    with engine.begin() as conn:
        for name in list(conn.execute(text(plain)).scalars()):
            conn.execute(
                text(
                    f"ALTER TABLE {_quoted(name)} SET "
                    "(autovacuum_enabled = false, toast.autovacuum_enabled = false)"
                )
            )
    engine.dispose()


def truncate_everything(engine: Engine) -> None:
    """The slow reference: every table truncated, every owned sequence restarted."""
    tables = ", ".join(_quoted(t.name) for t in Base.metadata.sorted_tables)
    with engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
