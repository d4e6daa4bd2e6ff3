"""A prepared database (tests/prepared.py) holds what running its builder in the test's own
database writes: every table, every row, every column that two runs in place agree on (clock
times, salted password hashes and random tokens differ from one run to the next anyway)."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from cxgap.db.tables import Base
from cxgap.services.core import Cxgap
from cxgap.services.demo import create_demo_workspace
from cxgap.services.workspaces import get_workspace
from tests import pg_reset
from tests.conftest import _settings
from tests.enrichment_factory import enrich_demo
from tests.factories import make_user
from tests.prepared import Prepared

Cells = dict[tuple[str, str], list[Any]]


def _build(session: Session) -> None:
    create_demo_workspace(session, n_customers=40)
    workspace = get_workspace(session, "demo")
    enrich_demo(session, workspace)
    make_user(session, "viewer@example.com", workspace=workspace, role="viewer")


def _fresh(template: Path, folder: Path) -> Cxgap:
    folder.mkdir()
    shutil.copy(template, folder / "db.sqlite3")
    return Cxgap(_settings(f"sqlite:///{folder / 'db.sqlite3'}", folder))


def _cells(cx: Cxgap) -> Cells:
    """Each column of each table, its values in primary-key order."""
    found: Cells = {}
    with cx.reading() as session:
        for table in Base.metadata.sorted_tables:
            rows = session.execute(select(table).order_by(*table.primary_key.columns)).all()
            for index, column in enumerate(table.columns):
                found[(table.name, column.name)] = [row[index] for row in rows]
    cx.dispose()
    return found


def _in_place(template: Path, folder: Path) -> Cells:
    cx = _fresh(template, folder)
    with cx.transaction() as session:
        _build(session)
    return _cells(cx)


def test_a_prepared_copy_holds_what_the_builder_writes_in_place(
    sqlite_template: Path, prepared: Prepared, tmp_path: Path
) -> None:
    first = _in_place(sqlite_template, tmp_path / "first")
    second = _in_place(sqlite_template, tmp_path / "second")
    stable = [key for key in first if first[key] == second[key]]
    assert sum(len(first[key]) for key in stable) > 5000  # the demo, not a few rows
    cx = _fresh(sqlite_template, tmp_path / "copied")
    with cx.transaction() as session:  # the test's connection was open: it is closed first
        assert session.scalar(select(Base.metadata.tables["workspaces"].c.id)) is None
    prepared.into(cx, "test_prepared", _build)
    copied = _cells(cx)
    assert copied.keys() == first.keys()
    assert {key: copied[key] for key in stable} == {key: first[key] for key in stable}
    changing = {key for key in first if key not in stable}
    assert all(len(copied[key]) == len(first[key]) for key in changing)


def _next_ids(cx: Cxgap) -> dict[str, int]:
    """The id each sequence hands out next (read without using it up)."""
    with cx.engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT sequencename, COALESCE(last_value, 0) FROM pg_sequences "
                "WHERE schemaname = current_schema()"
            )
        )
        return {name: int(value) for name, value in rows}


def test_a_postgres_snapshot_restores_every_row_and_sequence(
    postgres_url: str, prepared: Prepared, tmp_path: Path
) -> None:
    cx = Cxgap(_settings(postgres_url, tmp_path))
    try:
        pg_reset.empty_database(cx.engine)
        prepared.into(cx, "test_prepared_pg", _build)  # built in place, then read out
        built, built_ids = _cells(cx), _next_ids(cx)
        assert sum(len(values) for values in built.values()) > 5000
        pg_reset.empty_database(cx.engine)
        assert _cells(cx)[("workspaces", "id")] == []
        prepared.into(cx, "test_prepared_pg", _build)  # copied back
        assert _cells(cx) == built
        assert _next_ids(cx) == built_ids
        with cx.transaction() as session:  # the next workspace takes the next id, no clash
            make_user(session, "new@example.com")
    finally:
        pg_reset.empty_database(cx.engine)
        cx.dispose()


def test_a_postgres_snapshot_one_worker_built_is_restored_by_another(
    postgres_url: str, sqlite_template: Path, tmp_path: Path
) -> None:
    """Under xdist the workers share the run's folder: the second worker to ask for a key
    restores the first one's snapshot in its own database instead of running the builder."""
    built: list[str] = []

    def build(session: Session) -> None:
        built.append("once")
        make_user(session, "shared@example.com")

    shared = tmp_path / "shared"
    shared.mkdir()
    workers = [Prepared(sqlite_template, tmp_path, _settings, shared) for _ in range(2)]
    cx = Cxgap(_settings(postgres_url, tmp_path))
    try:
        cells = []
        for worker in workers:
            pg_reset.empty_database(cx.engine)
            worker.into(cx, "test_prepared_pg_shared", build)
            cells.append((_cells(cx), _next_ids(cx)))
        assert built == ["once"]
        assert cells[0] == cells[1]
        assert cells[0][0][("users", "email")] == ["shared@example.com"]
    finally:
        pg_reset.empty_database(cx.engine)
        cx.dispose()
