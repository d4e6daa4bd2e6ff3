"""SQLite writers queue on the write gate (``<database>.writelock``), across processes too:
what several ``cxgap serve`` workers and a CLI import writing the same file rely on."""

from __future__ import annotations

import fcntl
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import OperationalError

from cxgap.db.engine import make_engine


@pytest.fixture
def database(tmp_path: Path) -> Path:
    return tmp_path / "gate.sqlite3"


def _engine(database: Path, timeout: float = 10) -> Engine:
    engine = make_engine(f"sqlite:///{database}?timeout={timeout}")
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE IF NOT EXISTS t (x INTEGER)"))
    return engine


@contextmanager
def another_process_writing(database: Path) -> Iterator[None]:
    """The gate as another process holds it (an open file description of its own)."""
    fd = os.open(f"{database}.writelock", os.O_RDWR | os.O_CREAT, 0o600)
    fcntl.flock(fd, fcntl.LOCK_EX)
    try:
        yield
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


def _count(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(text("SELECT count(*) FROM t")).scalar_one())


def test_a_writer_waits_for_another_process_then_writes(database: Path) -> None:
    engine = _engine(database)
    done = threading.Event()

    def write() -> None:
        with engine.begin() as conn:
            conn.execute(text("INSERT INTO t VALUES (1)"))
        done.set()

    with another_process_writing(database):
        writer = threading.Thread(target=write)
        writer.start()
        assert not done.wait(0.5), "the write went ahead while another process held the gate"
        assert _count(engine) == 0  # reads do not wait
    writer.join(10)
    assert done.is_set()
    assert _count(engine) == 1
    engine.dispose()


def test_a_writer_gives_up_after_the_busy_timeout_as_sqlite_would(database: Path) -> None:
    """The web app answers this error with 503, nothing saved (web/store_errors.py)."""
    engine = _engine(database, timeout=0.3)
    with (
        another_process_writing(database),
        pytest.raises(OperationalError, match="database is locked"),
        engine.begin() as conn,
    ):
        conn.execute(text("INSERT INTO t VALUES (1)"))
    assert _count(engine) == 0
    engine.dispose()


def test_the_gate_is_given_back_after_a_commit_and_a_rollback(database: Path) -> None:
    engine = _engine(database, timeout=1)
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO t VALUES (1)"))
    with engine.connect() as conn:
        conn.execute(text("INSERT INTO t VALUES (2)"))
        conn.rollback()
    fd = os.open(f"{database}.writelock", os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # raises if a connection kept it
    finally:
        os.close(fd)
    assert _count(engine) == 1
    engine.dispose()


def test_writes_to_a_temporary_table_do_not_wait(database: Path) -> None:
    """An import stages its rows in a temporary table while answers keep coming
    (services/feedback_stage.py): that takes no lock on the file, so no turn at the gate."""
    engine = _engine(database, timeout=0.3)
    with another_process_writing(database), engine.begin() as conn:
        conn.execute(text("CREATE TEMPORARY TABLE stage (x INTEGER)"))
        conn.execute(text("INSERT INTO stage VALUES (1)"))
        assert conn.execute(text("SELECT count(*) FROM stage")).scalar_one() == 1
    engine.dispose()
