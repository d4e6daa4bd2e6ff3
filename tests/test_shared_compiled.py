"""The test processes' engines share one dialect and compiled-statement cache per driver
(tests/shared_compiled.py), and each still reads and writes its own database."""

from __future__ import annotations

import shutil
from pathlib import Path

from sqlalchemy import func, select

from cxgap.db.tables import Workspace
from cxgap.services.core import Cxgap
from tests.conftest import _settings
from tests.factories import make_workspace


def _app(template: Path, folder: Path) -> Cxgap:
    folder.mkdir()
    shutil.copy(template, folder / "cxgap.sqlite3")
    return Cxgap(_settings(f"sqlite:///{folder / 'cxgap.sqlite3'}", folder))


def _workspaces(app: Cxgap) -> list[str]:
    with app.transaction() as session:
        return list(session.scalars(select(Workspace.key).order_by(Workspace.key)))


def test_two_apps_on_two_files_compile_once_and_keep_their_own_rows(
    sqlite_template: Path, tmp_path: Path
) -> None:
    first = _app(sqlite_template, tmp_path / "first")
    try:
        with first.transaction() as session:  # connected: its dialect is initialised
            make_workspace(session, key="first", name="First")
        second = _app(sqlite_template, tmp_path / "second")
        try:
            assert second.engine.dialect is first.engine.dialect
            assert second.engine._compiled_cache is first.engine._compiled_cache
            cache = first.engine._compiled_cache
            assert cache is not None
            count = select(func.count()).select_from(Workspace).where(Workspace.key == "z")
            with first.engine.connect() as conn:
                conn.execute(count)
            size = len(cache)
            with second.engine.connect() as conn:
                conn.execute(count)  # compiled by the first app: found in the cache
            assert len(cache) == size

            with second.transaction() as session:
                make_workspace(session, key="second", name="Second")
            assert _workspaces(first) == ["first"]
            assert _workspaces(second) == ["second"]
            assert first.engine.url != second.engine.url
        finally:
            second.dispose()
    finally:
        first.dispose()
