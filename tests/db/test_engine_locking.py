"""SQLite under concurrent writers (issue 10): every connection waits for the write lock
(busy timeout) instead of failing with "database is locked", including a transaction that
read before it writes."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from cxgap.db.engine import SQLITE_BUSY_TIMEOUT_S, make_engine
from cxgap.errors import ConfigError


@pytest.fixture
def url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'lock.sqlite3'}"


def _table(engine: Engine) -> None:
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE t (x INTEGER)"))


def _busy_timeouts(engine: Engine, threads: int = 3) -> set[int]:
    seen: set[int] = set()

    def probe() -> None:
        with engine.connect() as conn:
            seen.add(int(conn.exec_driver_sql("PRAGMA busy_timeout").scalar_one()))

    workers = [threading.Thread(target=probe) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return seen


def test_every_connection_has_the_busy_timeout(url: str) -> None:
    engine = make_engine(url)
    assert _busy_timeouts(engine) == {int(SQLITE_BUSY_TIMEOUT_S * 1000)}
    engine.dispose()


def test_the_busy_timeout_is_set_in_the_url(url: str) -> None:
    engine = make_engine(f"{url}?timeout=2.5")
    assert _busy_timeouts(engine) == {2500}
    engine.dispose()


@pytest.mark.parametrize("value", ["soon", "-1", "99999"])
def test_a_wrong_busy_timeout_is_refused_by_name(url: str, value: str) -> None:
    with pytest.raises(ConfigError, match=rf"timeout must be .* not '{value}'"):
        make_engine(f"{url}?timeout={value}")


def test_a_read_then_write_survives_another_commit(url: str) -> None:
    """The reads before the first write hold no snapshot, so a commit made in between by
    another connection does not make the write fail at once ("database is locked")."""
    engine = make_engine(f"{url}?timeout=1")
    _table(engine)
    with Session(engine) as reader, Session(engine) as other:
        reader.execute(text("SELECT count(*) FROM t")).scalar_one()
        other.execute(text("INSERT INTO t VALUES (1)"))
        other.commit()
        reader.execute(text("INSERT INTO t VALUES (2)"))
        reader.commit()
        assert reader.execute(text("SELECT count(*) FROM t")).scalar_one() == 2
    engine.dispose()


def test_a_writer_waits_for_the_lock_instead_of_failing(url: str) -> None:
    engine = make_engine(f"{url}?timeout=5")
    _table(engine)
    with Session(engine) as holder, Session(engine) as waiter:
        holder.execute(text("INSERT INTO t VALUES (1)"))  # holds the write lock

        def release() -> None:
            time.sleep(0.5)
            holder.commit()

        releaser = threading.Thread(target=release)
        started = time.monotonic()
        releaser.start()
        waiter.execute(text("SELECT count(*) FROM t"))
        waiter.execute(text("INSERT INTO t VALUES (2)"))
        waiter.commit()
        waited = time.monotonic() - started
        releaser.join()
    assert waited >= 0.4
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM t")).scalar_one() == 2
    engine.dispose()
