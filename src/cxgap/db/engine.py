"""Engine and session factories. Nothing is created at import time."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.orm import Session, sessionmaker

from cxgap.config import setting_value
from cxgap.db.sqlite_gate import GatedConnection, WriteGate
from cxgap.errors import ConfigError
from cxgap.files import private_sqlite_file

# How long a SQLite write waits for another writer (an import's write phase, a survey post)
# before it fails with "database is locked"; ``?timeout=SECONDS`` in the URL changes it.
SQLITE_BUSY_TIMEOUT_S = 30.0


def make_engine(url: str) -> Engine:
    """Create an engine for ``url``; SQLite gets foreign keys, WAL and a busy timeout on
    every connection.

    Transactions keep the SQLite driver's own control: it sends ``BEGIN`` just before the
    first write, so the reads before it hold no snapshot, and that first write waits up to
    the busy timeout for the lock. (An explicit deferred ``BEGIN`` before the reads would
    instead fail at once with "database is locked" whenever another connection committed
    in between: SQLite cannot upgrade a stale read snapshot, and does not wait.)
    ``tests/db/test_engine_locking.py`` holds both properties."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise ConfigError(f"CXGAP_DATABASE_URL is not a database URL: {url!r}") from None
    if parsed.drivername.startswith("sqlite"):
        if parsed.database and parsed.database != ":memory:":
            private_sqlite_file(parsed.database)  # 0600, in a 0700 folder if new
        timeout = _busy_timeout(parsed.query.get("timeout"), url)
        connect_args = {"check_same_thread": False, "timeout": timeout, "factory": GatedConnection}
        engine = create_engine(url, connect_args=connect_args)
        gate = _gate_for(parsed.database, timeout)
        pragmas = partial(_sqlite_pragmas, busy_ms=int(timeout * 1000), gate=gate)
        event.listen(engine, "connect", pragmas)
        return engine
    if parsed.drivername in {"postgresql", "postgres"}:
        url = parsed.set(drivername="postgresql+psycopg").render_as_string(hide_password=False)
    return create_engine(url, pool_pre_ping=True, connect_args=postgres_options())


def postgres_options(jit: str | None = None) -> dict[str, str]:
    """Session settings for every PostgreSQL connection.

    JIT compilation is off unless ``CXGAP_PG_JIT=1``: cxgap's queries are short aggregates
    whose plans PostgreSQL estimates as costly at 10 M rows, and compiling them cost 0.9–4 s
    of a 3–30 s query while saving less (docs/scale.md, "Listening under filters")."""
    value = setting_value("CXGAP_PG_JIT") if jit is None else jit
    if (value or "0").strip() == "1":
        return {}
    return {"options": "-c jit=off"}


def _busy_timeout(value: str | tuple[str, ...] | None, url: str) -> float:
    if value is None:
        return SQLITE_BUSY_TIMEOUT_S
    try:
        seconds = float(value if isinstance(value, str) else value[-1])
    except ValueError:
        seconds = -1.0
    if not 0 <= seconds <= 3600:
        raise ConfigError(
            f"CXGAP_DATABASE_URL: timeout must be a number of seconds from 0 to 3600, "
            f"not {value!r} (in {make_url(url).render_as_string(hide_password=True)!r})"
        )
    return seconds


def _gate_for(database: str | None, timeout: float) -> WriteGate | None:
    """Writers queue on a gate (``db/sqlite_gate.py``) when the database is a file."""
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    return WriteGate(database, timeout)


def _sqlite_pragmas(
    dbapi_connection: Any, _record: Any, *, busy_ms: int, gate: WriteGate | None
) -> None:
    cursor = dbapi_connection.cursor()
    # Also set by the driver's ``timeout``; said again so that every connection shows it.
    cursor.execute(f"PRAGMA busy_timeout={busy_ms:d}")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()
    if isinstance(dbapi_connection, GatedConnection):
        dbapi_connection.gate = gate


def make_sessionmaker(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


@contextmanager
def transaction(factory: sessionmaker[Session]) -> Iterator[Session]:
    """A session whose work commits together or not at all."""
    with factory() as session, session.begin():
        yield session
