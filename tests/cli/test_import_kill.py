"""kill -9 of an import midway (issue 10): nothing of it is visible, its history row says it
was interrupted, and importing the file again stores it whole."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from cxgap.cli.main import app
from cxgap.db.tables import Feedback, FeedbackImport
from cxgap.services.core import Cxgap
from tests.factories import make_workspace
from tests.feedback_files import write_generic_csv

pytestmark = pytest.mark.on_postgresql  # a killed import's transaction

ROWS = 5_000
SRC = Path(__file__).resolve().parents[2] / "src"

# The import as the CLI runs it, in a process of its own, slowed by its progress hook (every
# 1,000 rows) so that it can be killed while its first batches are done.
SCRIPT = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from cxgap.config import Settings
    from cxgap.services.core import Cxgap
    from cxgap.services.feedback_imports import run_feedback_import

    url, path = sys.argv[1], Path(sys.argv[2])
    cx = Cxgap(Settings(data_dir=path.parent, database_url=url, secret_key="kill-test"))

    def slow(rows, done, total):
        if rows >= 3000:
            print("midway", flush=True)
        time.sleep(0.3)

    run_feedback_import(cx, workspace_key="acme", source=path, name=path.name, progress=slow)
    print("finished", flush=True)
    """
)


def _counts(cx: Cxgap) -> tuple[int, list[str]]:
    with cx.reading() as session:
        stored = int(session.scalar(select(func.count(Feedback.id))) or 0)
        statuses = list(session.scalars(select(FeedbackImport.status).order_by(FeedbackImport.id)))
    return stored, statuses


@pytest.mark.slow
def test_an_import_killed_midway_is_reported_and_can_be_run_again(
    cx: Cxgap, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with cx.transaction() as session:
        make_workspace(session)
    source = write_generic_csv(tmp_path / "big.csv", ROWS)
    script = tmp_path / "import_slowly.py"
    script.write_text(SCRIPT, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": f"{SRC}{os.pathsep}{os.environ.get('PYTHONPATH', '')}"}
    with subprocess.Popen(
        [sys.executable, str(script), cx.settings.database_url, str(source)],
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    ) as process:
        try:
            assert process.stdout is not None
            assert process.stdout.readline().strip() == "midway"
            process.send_signal(signal.SIGKILL)
        finally:
            process.wait(timeout=30)  # reaped: its pid is gone
    assert process.returncode == -signal.SIGKILL

    stored, statuses = _counts(cx)
    assert stored == 0, "records of an unfinished import are visible"
    assert statuses == ["running"]

    monkeypatch.setenv("CXGAP_LOCALE", "en")
    result = CliRunner().invoke(
        app,
        [
            "import",
            "feedback",
            str(source),
            "-w",
            "acme",
            "--database-url",
            cx.settings.database_url,
        ],
    )
    assert result.exit_code == 0, result.stderr
    assert "Import #1 of this workspace was interrupted" in result.stderr
    assert _counts(cx) == (ROWS, ["interrupted", "done"])
