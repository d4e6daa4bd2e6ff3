"""The quick reset between PostgreSQL tests leaves the database exactly as truncating every
table with ``RESTART IDENTITY`` does: no row anywhere, every sequence at its start."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text

from cxgap.db.tables import Base, Workspace
from cxgap.services.core import Cxgap
from cxgap.services.demo import create_demo_workspace
from tests import pg_reset
from tests.conftest import _settings
from tests.factories import make_user, make_workspace

pytestmark = pytest.mark.postgres


@pytest.fixture
def pg(postgres_url: str, tmp_path: Path) -> Iterator[tuple[Cxgap, Engine]]:
    pg_reset.truncate_everything(engine := create_engine(postgres_url))
    app = Cxgap(_settings(postgres_url, tmp_path))
    yield app, engine
    app.dispose()
    engine.dispose()


def _write(app: Cxgap) -> None:
    """Rows in many tables, and a sequence used by an insert that was rolled back."""
    with app.transaction() as session:
        create_demo_workspace(session, n_customers=20)
        make_user(session, "ana@example.com", workspace=make_workspace(session), role="admin")
    with pytest.raises(RuntimeError), app.transaction() as session:
        session.add(Workspace(key="gone", name="Gone"))
        session.flush()
        raise RuntimeError("rolled back")


def _state(engine: Engine) -> tuple[dict[str, int], dict[str, tuple[int, bool]]]:
    """Rows per table, and each sequence's (last value, called)."""
    with engine.connect() as conn:
        rows = {
            t.name: int(conn.execute(text(f'SELECT count(*) FROM "{t.name}"')).scalar_one())
            for t in Base.metadata.sorted_tables
        }
        names = conn.execute(
            text("SELECT sequencename FROM pg_sequences WHERE schemaname = current_schema()")
        ).scalars()
        sequences = {
            name: tuple(conn.execute(text(f'SELECT last_value, is_called FROM "{name}"')).one())
            for name in names
        }
    return rows, sequences  # type: ignore[return-value]


def _after(pg: tuple[Cxgap, Engine], reset: Callable[[Engine], None]) -> object:
    app, engine = pg
    _write(app)
    rows, sequences = _state(engine)
    assert sum(rows.values()) > 100 and any(called for _, called in sequences.values())
    reset(engine)
    return _state(engine)


@pytest.mark.parametrize("grown_bytes", [pg_reset.GROWN_BYTES, 0], ids=["deleted", "truncated"])
def test_the_quick_reset_ends_where_truncating_everything_does(
    pg: tuple[Cxgap, Engine], grown_bytes: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Tables emptied with DELETE, and (every table counted as grown) with TRUNCATE."""
    monkeypatch.setattr(pg_reset, "GROWN_BYTES", grown_bytes)
    quick = _after(pg, pg_reset.empty_database)
    reference = _after(pg, pg_reset.truncate_everything)
    assert quick == reference
    rows, sequences = reference  # type: ignore[misc]
    assert set(rows.values()) == {0} and not any(called for _, called in sequences.values())


def test_after_the_quick_reset_ids_start_again_at_one(pg: tuple[Cxgap, Engine]) -> None:
    app, engine = pg
    _write(app)
    pg_reset.empty_database(engine)
    with app.transaction() as session:
        assert make_workspace(session).id == 1


def test_a_table_that_grew_gets_fresh_files(pg: tuple[Cxgap, Engine]) -> None:
    """Rows a DELETE removed stay in the files (autovacuum is off): past GROWN_BYTES the
    reset truncates the table, so that the files stop growing from test to test."""
    app, engine = pg
    with app.transaction() as session:
        for i in range(3000):
            session.add(Workspace(key=f"w{i}", name="A workspace name " * 8))
    size = "SELECT pg_total_relation_size('workspaces')"
    with engine.connect() as conn:
        grown = conn.execute(text(size)).scalar_one()
    assert grown > 512 * 1024
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(pg_reset, "GROWN_BYTES", 512 * 1024)
        pg_reset.empty_database(engine)
    with engine.connect() as conn:
        assert conn.execute(text(size)).scalar_one() < grown / 10
        assert conn.execute(text("SELECT count(*) FROM workspaces")).scalar_one() == 0


def test_the_session_database_commits_without_waiting_for_the_disk(postgres_url: str) -> None:
    """Every connection to the session's database (the suite's cxgap processes included)
    gets ``synchronous_commit = off`` from the database's own default (tests/conftest.py)."""
    engine = create_engine(postgres_url)
    try:
        with engine.connect() as conn:
            assert conn.execute(text("SHOW synchronous_commit")).scalar_one() == "off"
    finally:
        engine.dispose()
