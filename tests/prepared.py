"""Data that many tests start from (the demo workspace and its users), written once per
session on SQLite and copied into each test's database.

Generating the demo workspace takes 1–1.6 s on a busy 2-core machine, and dozens of tests
start from it. On SQLite the builder runs once, in a copy of the migrated template, and each
test gets a copy of that file; on PostgreSQL (one database for the session, emptied between
tests) it runs in the test's own database. tests/test_prepared.py checks that a copy holds
what running the builder in place writes.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

from sqlalchemy.orm import Session

from cxgap.config import Settings
from cxgap.services.core import Cxgap

Builder = Callable[[Session], None]


class Prepared:
    """The session's prepared SQLite files, one per key."""

    def __init__(self, template: Path, folder: Path, settings: Callable[[str, Path], Settings]):
        self.template, self.folder, self.settings = template, folder, settings
        self.files: dict[str, Path] = {}

    def file(self, key: str, build: Builder) -> Path:
        """The migrated template with ``build`` run in it, made on first use."""
        if key not in self.files:
            path = self.folder / f"{len(self.files)}.sqlite3"
            shutil.copy(self.template, path)
            app = Cxgap(self.settings(f"sqlite:///{path}", self.folder))
            try:
                with app.transaction() as session:
                    build(session)
            finally:
                app.dispose()  # the last connection closed: the WAL is folded into the file
            self.files[key] = path
        return self.files[key]

    def into(self, cx: Cxgap, key: str, build: Builder) -> None:
        """Give the empty database of ``cx`` what ``build`` writes."""
        if cx.engine.dialect.name != "sqlite":
            with cx.transaction() as session:
                build(session)
            return
        database = cx.engine.url.database
        assert database, "an in-memory database cannot be prepared"
        cx.dispose()  # no connection may read the file while it is replaced
        for leftover in (Path(f"{database}-wal"), Path(f"{database}-shm")):
            leftover.unlink(missing_ok=True)
        shutil.copy(self.file(key, build), database)
