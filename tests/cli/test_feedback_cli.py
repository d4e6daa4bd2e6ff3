"""``cxgap import feedback``, the contract command, on SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from cxgap.cli import feedback as feedback_cli
from cxgap.cli.main import app
from cxgap.db.tables import Feedback
from cxgap.ingest import pseudonymise
from cxgap.services.core import Cxgap
from cxgap.services.feedback_imports import count_feedback, list_imports
from cxgap.services.workspaces import get_workspace
from tests.factories import make_workspace

pytestmark = pytest.mark.on_postgresql  # the backend changes the path: imports: COPY on PostgreSQL

DATA = Path(__file__).resolve().parents[1] / "data" / "feedback"
runner = CliRunner()


def cxgap(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def url(cx: Cxgap, monkeypatch: pytest.MonkeyPatch) -> str:
    # --pseudonymise would otherwise generate a secret key in the working directory.
    monkeypatch.setenv("CXGAP_SECRET_KEY", "cli-test-secret")
    with cx.transaction() as session:
        make_workspace(session)
    return cx.settings.database_url


def refs(cx: Cxgap) -> set[str | None]:
    with cx.reading() as session:
        return set(session.scalars(select(Feedback.customer_ref)))


def stored(cx: Cxgap) -> int:
    with cx.reading() as session:
        return count_feedback(session, get_workspace(session, "acme"))


def test_import_feedback_with_a_preset(cx: Cxgap, url: str) -> None:
    file = str(DATA / "trustpilot.csv")
    args = ("import", "feedback", file, "--workspace", "acme", "--preset", "trustpilot")
    code, out, err = cxgap(*args, "--database-url", url)
    assert code == 0, err
    assert (
        "Stored 6 records from 6 rows of trustpilot.csv "
        "(0 duplicates, 0 problems, skipped: 0 blank responses)" in out
    )
    assert "rows read" in err  # progress on stderr
    code, out, err = cxgap(*args, "--pseudonymise", "--database-url", url)
    assert code == 0, err
    assert stored(cx) == 6
    assert pseudonymise("ORD-100231", "cli-test-secret") in refs(cx)


def test_import_feedback_with_a_mapping_file(cx: Cxgap, url: str) -> None:
    code, out, err = cxgap(
        "import", "feedback", str(DATA / "spreadsheet_fr.csv"), "--workspace", "acme",
        "--mapping", str(DATA / "spreadsheet_fr.mapping.json"), "--database-url", url,
    )  # fmt: skip
    assert code == 0, err
    assert "Stored 3 records from 3 rows of spreadsheet_fr.csv" in out
    assert stored(cx) == 3


def test_a_broken_file_exits_2_and_stores_nothing(cx: Cxgap, url: str) -> None:
    code, out, err = cxgap(
        "import", "feedback", str(DATA / "trustpilot_broken.csv"), "--workspace", "acme",
        "--preset", "trustpilot", "--database-url", url,
    )  # fmt: skip
    assert code == 2
    assert "refused" in err and "Review Stars" in err and "Stored" not in out
    assert stored(cx) == 0
    with cx.reading() as session:
        (history,) = list_imports(session, get_workspace(session, "acme"))
        assert (history.status, history.records_stored) == ("refused", 0)


def test_skip_invalid_stores_the_good_rows(cx: Cxgap, url: str) -> None:
    code, out, err = cxgap(
        "import", "feedback", str(DATA / "trustpilot_broken.csv"), "--workspace", "acme",
        "--preset", "trustpilot", "--skip-invalid", "--database-url", url,
    )  # fmt: skip
    assert code == 0, err
    assert "Stored 2 records from 3 rows of trustpilot_broken.csv (0 duplicates, 1 problems" in out
    assert stored(cx) == 2


def test_an_unknown_preset_exits_2(url: str) -> None:
    code, _, err = cxgap(
        "import", "feedback", str(DATA / "trustpilot.csv"), "--workspace", "acme",
        "--preset", "nope", "--database-url", url,
    )  # fmt: skip
    assert code == 2 and "preset" in err


def test_progress_shows_rows_per_second_at_most_once_a_second(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    clock = iter([100.0, 100.5, 101.2, 101.4, 104.0, 104.1])
    monkeypatch.setattr(feedback_cli.time, "monotonic", lambda: next(clock))
    line = feedback_cli.ProgressLine()  # started at 100.0
    line(1_000, 10, 100)  # 0.5 s later: too soon
    line(2_000, 20, 100)  # 1.2 s: shown
    line(3_000, 30, 100)  # 0.2 s after the last one: too soon
    line(10_000, 100, 100)  # the end: always shown
    line(10_000, 100, 100)  # the reader's final call repeats it: not shown twice
    err = capsys.readouterr().err.splitlines()
    assert err == [
        "… 2,000 rows read (20%), 1,667 rows/s",
        "… 10,000 rows read (100%), 2,500 rows/s",
    ]


def test_import_feedback_queues_the_search_index_job(cx: Cxgap, url: str) -> None:
    """On PostgreSQL the import leaves its rows to the ``index_search`` job, queued in its
    transaction for the next worker (one while it waits); SQLite has no such job."""
    from cxgap.db import search_index
    from cxgap.db.tables import Job

    file = str(DATA / "trustpilot.csv")
    args = ("import", "feedback", file, "--workspace", "acme", "--preset", "trustpilot")
    for _ in range(2):
        code, _, err = cxgap(*args, "--database-url", url)
        assert code == 0, err
    postgresql = cx.engine.dialect.name == "postgresql"
    with cx.reading() as session:
        jobs = session.execute(select(Job.kind, Job.status)).all()
        assert [tuple(j) for j in jobs] == ([("index_search", "queued")] if postgresql else [])
        ws = get_workspace(session, "acme").id
        assert search_index.lagging(session, ws) == (6 if postgresql else 0)
