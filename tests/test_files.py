"""Personal data on disk is readable by its owner only: the data dir 0700, the SQLite
database and its -wal/-shm files 0600, the secret key, uploads and exports 0600, whatever
the umask (0022 here, the usual one, which gave 0644 files before)."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from cxgap.cli.main import app as cli
from cxgap.config import Settings
from cxgap.db.engine import make_engine
from cxgap.services.core import Cxgap
from cxgap.services.exports import export_answers
from cxgap.services.feedback_uploads import staging_root
from cxgap.services.workspaces import get_workspace
from tests.factories import make_user, make_workspace
from tests.warm_routes import app_for
from tests.web.conftest import log_in
from tests.web.test_feedback_import_web import upload


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture(autouse=True)
def usual_umask() -> Iterator[None]:
    old = os.umask(0o022)
    yield
    os.umask(old)


def test_a_new_sqlite_database_and_its_wal_files_are_private(tmp_path: Path) -> None:
    there = tmp_path / "there"
    there.mkdir()
    there.chmod(0o755)
    database = there / "data" / "db" / "cxgap.sqlite3"
    engine = make_engine(f"sqlite:///{database}")
    try:
        with engine.connect() as connection:
            connection.exec_driver_sql("CREATE TABLE t (x TEXT)")
            connection.exec_driver_sql("INSERT INTO t VALUES ('verbatim')")
            connection.commit()
            wal, shm = Path(f"{database}-wal"), Path(f"{database}-shm")
            assert wal.exists() and shm.exists()  # WAL mode, connection still open
            assert (mode(database), mode(wal), mode(shm)) == (0o600, 0o600, 0o600)
    finally:
        engine.dispose()
    assert mode(database.parent) == 0o700 and mode(database.parent.parent) == 0o700
    assert mode(there) == 0o755  # a folder that was there keeps its mode


def test_an_existing_readable_database_is_made_private(tmp_path: Path) -> None:
    database = tmp_path / "old.sqlite3"
    database.touch()
    database.chmod(0o644)
    make_engine(f"sqlite:///{database}").dispose()
    assert mode(database) == 0o600


def test_the_data_dir_and_secret_key_are_private(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    settings = Settings(data_dir=data_dir, database_url="sqlite://")
    key = settings.resolved_secret_key()
    assert key and mode(data_dir) == 0o700 and mode(data_dir / "secret_key") == 0o600


def test_answer_exports_are_private(sqlite_cx: Cxgap, tmp_path: Path) -> None:
    with sqlite_cx.transaction() as session:
        make_workspace(session)
    with sqlite_cx.reading() as session:
        summary = export_answers(
            session, workspace=get_workspace(session, "acme"), output_dir=tmp_path / "out"
        )
    assert mode(summary.customer_path) == mode(summary.internal_path) == 0o600


def test_a_feedback_export_written_by_the_cli_is_private(sqlite_cx: Cxgap, tmp_path: Path) -> None:
    with sqlite_cx.transaction() as session:
        make_workspace(session)
    output = tmp_path / "feedback.csv"
    args = ["export", "feedback", "--workspace", "acme", "--format", "csv", "--output", str(output)]
    result = CliRunner().invoke(cli, [*args, "--database-url", sqlite_cx.settings.database_url])
    assert result.exit_code == 0, result.output
    assert mode(output) == 0o600


def test_an_uploaded_file_waits_in_a_private_folder(sqlite_cx: Cxgap) -> None:
    with sqlite_cx.transaction() as session:
        make_user(session, workspace=make_workspace(session), role="analyst")
    with TestClient(app_for(sqlite_cx)) as client:
        log_in(client, "ana@example.com")
        sent = upload(client, "notes.csv", b"text,nps\nTres bien,9\n")
        assert sent.status_code in (200, 303), sent.text
    root = staging_root(sqlite_cx.settings)
    (staged,) = list(root.iterdir())
    files = list(staged.iterdir())
    assert files and all(mode(f) == 0o600 for f in files)
    assert mode(staged) == mode(root) == mode(root.parent) == 0o700
