"""A long import holds no write lock while it reads its file, and its records appear
together when it ends (issue 10, "a long import blocks every web write on SQLite")."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import func, select

from cxgap.db.tables import Feedback, FeedbackImport
from cxgap.services.core import Cxgap
from cxgap.services.feedback_imports import list_imports, run_feedback_import
from cxgap.services.import_runs import file_digest
from cxgap.services.workspaces import get_workspace
from tests.factories import make_workspace
from tests.feedback_files import write_generic_csv


@pytest.fixture
def acme(sqlite_cx: Cxgap) -> Cxgap:
    with sqlite_cx.transaction() as session:
        make_workspace(session)
    return sqlite_cx


def _database_file(cx: Cxgap) -> str:
    return cx.settings.database_url.removeprefix("sqlite:///")


def test_reading_the_file_leaves_the_database_writable(acme: Cxgap, tmp_path: Path) -> None:
    """Past its first batches, another connection can still write at once (timeout 0) and
    sees none of the import's records, nor its history row as finished."""
    source = write_generic_csv(tmp_path / "big.csv", 4_000)
    seen: list[tuple[int, int, str]] = []

    def probe(rows: int, _done: int, _total: int) -> None:
        if rows < 3_000 or seen:
            return  # by now the first two batches of 1,000 would be written
        other = sqlite3.connect(_database_file(acme), timeout=0)
        try:
            other.execute("UPDATE workspaces SET name = name || '' WHERE key = 'acme'")
            other.commit()  # "database is locked" if the import held the write lock
            stored = other.execute("SELECT count(*) FROM feedback").fetchone()[0]
            status = other.execute("SELECT status FROM feedback_imports").fetchone()[0]
        finally:
            other.close()
        seen.append((rows, stored, status))

    outcome = run_feedback_import(
        acme, workspace_key="acme", source=source, name=source.name, progress=probe
    )
    assert outcome.refusal is None and outcome.report.records_valid == 4_000
    assert seen == [(3_000, 0, "running")]
    with acme.reading() as session:
        (row,) = list_imports(session, get_workspace(session, "acme"))
    assert (row.status, row.records_stored) == ("done", 4_000)
    assert row.report["file_sha256"] == file_digest(source)


def test_a_refused_file_ends_its_running_row(acme: Cxgap, tmp_path: Path) -> None:
    source = tmp_path / "bad.csv"
    write_generic_csv(source, 10)
    with source.open("a", encoding="utf-8") as out:
        out.write("G-11,review,web,not a date,Late,3,C-1,en\n")
    outcome = run_feedback_import(acme, workspace_key="acme", source=source, name=source.name)
    assert outcome.refusal is not None
    with acme.reading() as session:
        rows = list(session.scalars(select(FeedbackImport)))
    assert [(r.id, r.status) for r in rows] == [(outcome.import_id, "refused")]
    assert rows[0].report["file_sha256"] == file_digest(source)
    assert rows[0].report["problems"], "the refusal's report is kept"


def test_an_unexpected_error_marks_the_import_failed(acme: Cxgap, tmp_path: Path) -> None:
    source = write_generic_csv(tmp_path / "f.csv", 2_500)

    def stop(rows: int, _done: int, _total: int) -> None:
        if rows >= 2_000:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run_feedback_import(acme, workspace_key="acme", source=source, name="f.csv", progress=stop)
    with acme.reading() as session:
        (row,) = list(session.scalars(select(FeedbackImport)))
        stored = session.scalar(select(func.count(Feedback.id)))
    assert (row.status, row.report["error"], stored) == ("failed", "KeyboardInterrupt", 0)
