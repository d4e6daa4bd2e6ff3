"""One SQLite writer at a time, handed over at once instead of after a sleep.

SQLite lets one transaction write at a time. A writer that finds the lock taken runs the
busy handler, which sleeps 1, 2, 5, 10 … up to 100 ms between tries: under a steady stream of
writes (a survey link under load, several web processes) the writers that have waited
longest poll least often and lose to newcomers, so the median stays low while the 95th and
99th percentiles reach seconds. The gate queues writers before SQLite sees them: a thread
lock within the process, then an exclusive ``flock`` on ``<database>.writelock`` across
processes (every cxgap process on the file: web workers, the CLI, workers). The next writer
starts as soon as the previous one commits or rolls back; SQLite's own lock is then free.

It waits at most the busy timeout, then fails as SQLite would ("database is locked"), which
the web app answers with 503, nothing saved.
"""

from __future__ import annotations

import fcntl
import os
import re
import sqlite3
import threading
import time
from pathlib import Path
from typing import Any

_READS = ("SELECT", "PRAGMA", "EXPLAIN")
# The table a statement writes, and whether it creates a temporary one.
_TARGET = re.compile(
    r"\s*(?:(CREATE\s+TEMP(?:ORARY)?\s+TABLE(?:\s+IF\s+NOT\s+EXISTS)?)|INSERT\s+(?:OR\s+\w+\s+)?INTO"
    r"|DELETE\s+FROM|UPDATE|DROP\s+TABLE(?:\s+IF\s+EXISTS)?)\s+[\"`\[]?(\w+)",
    re.IGNORECASE,
)
_LONGEST_NAP_S = 0.002


class WriteGate:
    """The write turn of one database file, shared by the connections of one engine."""

    def __init__(self, database: str, timeout: float) -> None:
        self.path = Path(f"{database}.writelock")
        self.timeout = timeout
        self._turn = threading.Lock()
        self._fd: int | None = None
        self._fd_lock = threading.Lock()

    def _file(self) -> int:
        with self._fd_lock:
            if self._fd is None:
                self._fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
            return self._fd

    def acquire(self) -> None:
        deadline = time.monotonic() + self.timeout
        if not self._turn.acquire(timeout=self.timeout):
            raise sqlite3.OperationalError("database is locked (waited for the write gate)")
        try:
            self._lock_file(deadline)
        except BaseException:
            self._turn.release()
            raise

    def _lock_file(self, deadline: float) -> None:
        """Another process's writer holds the file: try again soon (one thread per process
        waits here, the others wait on the thread lock)."""
        fd, nap = self._file(), 0.0001
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise sqlite3.OperationalError(
                        "database is locked (another process held the write gate)"
                    ) from None
                time.sleep(nap)
                nap = min(nap * 2, _LONGEST_NAP_S)

    def release(self) -> None:
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
        self._turn.release()


class GatedConnection(sqlite3.Connection):
    """A sqlite3 connection that takes the gate before its transaction's first write and
    gives it back when the transaction ends (``make_engine`` sets ``gate``)."""

    gate: WriteGate | None = None
    holds_gate = False
    temporary: frozenset[str] = frozenset()

    def cursor(self, factory: Any = None) -> sqlite3.Cursor:  # type: ignore[override]
        return super().cursor(factory or GatedCursor)

    def take_gate(self, statement: str) -> None:
        if self.gate is None or self.holds_gate or self.in_transaction:
            return
        if statement.lstrip()[:7].upper().startswith(_READS) or self._temporary(statement):
            return
        self.gate.acquire()
        self.holds_gate = True

    def _temporary(self, statement: str) -> bool:
        """Writes to this connection's temporary tables (an import's staging table) take no
        lock on the database file: they must not hold the other writers back either."""
        found = _TARGET.match(statement)
        if found is None:
            return False
        creates, table = found.group(1), found.group(2).lower()
        if creates:
            self.temporary = self.temporary | {table}
        return table in self.temporary

    def give_back_gate(self) -> None:
        if self.holds_gate and not self.in_transaction and self.gate is not None:
            self.holds_gate = False
            self.gate.release()

    def commit(self) -> None:
        try:
            super().commit()
        finally:
            self.give_back_gate()

    def rollback(self) -> None:
        try:
            super().rollback()
        finally:
            self.give_back_gate()

    def close(self) -> None:
        try:
            super().close()
        finally:
            if self.holds_gate and self.gate is not None:
                self.holds_gate = False
                self.gate.release()


class GatedCursor(sqlite3.Cursor):
    connection: GatedConnection

    def execute(self, sql: str, parameters: Any = (), /) -> GatedCursor:
        self.connection.take_gate(sql)
        try:
            super().execute(sql, parameters)
        finally:
            self.connection.give_back_gate()  # a statement outside any transaction
        return self

    def executemany(self, sql: str, seq_of_parameters: Any, /) -> GatedCursor:
        self.connection.take_gate(sql)
        try:
            super().executemany(sql, seq_of_parameters)
        finally:
            self.connection.give_back_gate()
        return self
