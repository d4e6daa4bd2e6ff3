"""Data that many tests start from (the demo workspace and its users), written once per
session and copied into each test's database.

Generating the demo workspace takes 1–2 s on a busy 2-core machine, and dozens of tests start
from it, on both backends. On SQLite the builder runs once, in a copy of the migrated template,
and each test gets a copy of that file. On PostgreSQL (one database for the session, emptied
between tests) the builder runs in the first test's database, whose rows are then read out with
``COPY … TO STDOUT`` (with the sequences' positions); later tests get them back with
``COPY … FROM STDIN`` and ``setval``: 0.1–0.2 s instead of the build. tests/test_prepared.py
checks that a copy holds what running the builder in place writes, on both backends.
"""

from __future__ import annotations

import hashlib
import pickle
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar, cast

from filelock import FileLock
from sqlalchemy import Connection, text
from sqlalchemy.orm import Session

from cxgap.config import Settings
from cxgap.db.tables import Base
from cxgap.services.core import Cxgap

Builder = Callable[[Session], None]
T = TypeVar("T")


class Prepared:
    """The session's prepared SQLite files, one per key.

    Under pytest-xdist, ``shared`` is a folder every worker of the run sees: a key's SQLite
    file is built there by the first worker that asks for it (the others wait for it on a
    lock) and copied by all, instead of built once in each worker. A PostgreSQL snapshot is
    shared the same way: built in the first asking worker's database, restored in the others'.
    """

    def __init__(
        self,
        template: Path,
        folder: Path,
        settings: Callable[[str, Path], Settings],
        shared: Path | None = None,
    ):
        self.template, self.folder, self.settings = template, folder, settings
        self.shared = shared
        self.files: dict[str, Path] = {}
        self.values: dict[str, Any] = {}
        self.snapshots: dict[str, PostgresSnapshot] = {}
        self.pg_values: dict[str, Any] = {}

    def file(self, key: str, build: Builder) -> Path:
        """The migrated template with ``build`` run in it, made on first use."""
        return self._file(key, lambda app: _in_one_transaction(app, build))[0]

    def _file(self, key: str, build: Callable[[Cxgap], T]) -> tuple[Path, T]:
        if key not in self.files:
            if self.shared is None:
                path = self.folder / f"{len(self.files)}.sqlite3"
                value: Any = self._build(path, build)
            else:
                path, value = self._shared_file(key, build)
            self.files[key] = path
            self.values[key] = value
        return self.files[key], cast(T, self.values[key])

    def _build(self, path: Path, build: Callable[[Cxgap], T]) -> T:
        shutil.copy(self.template, path)
        app = Cxgap(self.settings(f"sqlite:///{path}", self.folder))
        try:
            return build(app)
        finally:
            app.dispose()  # the last connection closed: the WAL is folded into the file

    def _shared_file(self, key: str, build: Callable[[Cxgap], T]) -> tuple[Path, T]:
        """The key's file in the run's shared folder, built by whichever worker asks first;
        its value (plain values: ids, tokens) pickled beside it, written last."""
        assert self.shared is not None
        name = hashlib.sha256(key.encode()).hexdigest()[:24]
        path, done = self.shared / f"{name}.sqlite3", self.shared / f"{name}.value"
        with FileLock(self.shared / f"{name}.lock"):
            if done.exists():
                return path, cast(T, pickle.loads(done.read_bytes()))
            value = self._build(path, build)
            done.write_bytes(pickle.dumps(value))
            return path, value

    def into(self, cx: Cxgap, key: str, build: Builder) -> None:
        """Give the empty database of ``cx`` what ``build`` writes."""
        self.prepare(cx, key, lambda app: _in_one_transaction(app, build))

    def prepare(self, cx: Cxgap, key: str, build: Callable[[Cxgap], T]) -> T:
        """Give the empty database of ``cx`` what ``build`` writes through the app it is handed
        (in as many transactions as it likes), and return what ``build`` returned the first
        time (ids, tokens: plain values, no ORM object)."""
        if cx.engine.dialect.name == "postgresql":
            return self._into_postgres(cx, key, build)
        database = cx.engine.url.database
        assert database, "an in-memory database cannot be prepared"
        path, value = self._file(key, build)
        cx.dispose()  # no connection may read the file while it is replaced
        for leftover in (Path(f"{database}-wal"), Path(f"{database}-shm")):
            leftover.unlink(missing_ok=True)
        shutil.copy(path, database)
        return value

    def _into_postgres(self, cx: Cxgap, key: str, build: Callable[[Cxgap], T]) -> T:
        if key not in self.snapshots:
            if self.shared is None:
                return self._build_postgres(cx, key, build)
            # The first worker to ask builds in its database and leaves the snapshot in the
            # run's shared folder; the others wait for it and restore it (a demo build on
            # PostgreSQL: 4-9 s on a busy machine, once per run instead of once per worker).
            name = "pg-" + hashlib.sha256(key.encode()).hexdigest()[:24]
            done = self.shared / f"{name}.snapshot"
            with FileLock(self.shared / f"{name}.lock"):
                if not done.exists():
                    value = self._build_postgres(cx, key, build)
                    done.write_bytes(pickle.dumps((self.snapshots[key], value)))
                    return value
                self.snapshots[key], self.pg_values[key] = pickle.loads(done.read_bytes())
        with cx.engine.begin() as conn:
            self.snapshots[key].restore(conn)
        return cast(T, self.pg_values[key])

    def _build_postgres(self, cx: Cxgap, key: str, build: Callable[[Cxgap], T]) -> T:
        value = build(cx)
        with cx.engine.connect() as conn:
            self.snapshots[key] = PostgresSnapshot.read(conn)
        self.pg_values[key] = value
        return value


def _in_one_transaction(app: Cxgap, build: Builder) -> None:
    with app.transaction() as session:
        build(session)


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


class PostgresSnapshot:
    """The rows of every table that holds some (text COPY format) and the sequences' positions."""

    def __init__(self, tables: list[tuple[str, str, bytes]], sequences: list[tuple[str, int]]):
        self.tables, self.sequences = tables, sequences

    @classmethod
    def read(cls, conn: Connection) -> PostgresSnapshot:
        raw = conn.connection.driver_connection
        assert raw is not None
        tables: list[tuple[str, str, bytes]] = []
        for table in Base.metadata.sorted_tables:  # parents before their children
            columns = ", ".join(_quoted(c) for c in _stored_columns(conn, table.name))
            query = f"COPY (SELECT {columns} FROM {_quoted(table.name)}) TO STDOUT"
            with raw.cursor() as cursor, cursor.copy(query) as copy:
                data = b"".join(bytes(chunk) for chunk in copy)
            if data:
                tables.append((table.name, columns, data))
        rows = conn.execute(
            text(
                "SELECT sequencename, last_value FROM pg_sequences "
                "WHERE last_value IS NOT NULL AND schemaname = current_schema()"
            )
        )
        return cls(tables, [(name, int(value)) for name, value in rows])

    def restore(self, conn: Connection) -> None:
        raw = conn.connection.driver_connection
        assert raw is not None
        # The rows are copied as they were, counts kept by triggers included: no trigger
        # fires (nor foreign-key check; the rows were consistent when read). Superuser only,
        # as the test server's postgres role is.
        conn.execute(text("SET LOCAL session_replication_role = replica"))
        for name, columns, data in self.tables:
            query = f"COPY {_quoted(name)} ({columns}) FROM STDIN"
            with raw.cursor() as cursor, cursor.copy(query) as copy:
                copy.write(data)
        for sequence, value in self.sequences:
            conn.execute(
                text("SELECT setval(:name, :value)"), {"name": _quoted(sequence), "value": value}
            )


def _stored_columns(conn: Connection, table: str) -> list[str]:
    """The table's columns a COPY may write (generated ones are computed by the server)."""
    return list(
        conn.execute(
            text(
                "SELECT column_name FROM information_schema.columns "
                "WHERE table_schema = current_schema() AND table_name = :table "
                "AND is_generated = 'NEVER' ORDER BY ordinal_position"
            ),
            {"table": table},
        ).scalars()
    )
