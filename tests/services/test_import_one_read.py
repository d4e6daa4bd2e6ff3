"""An import reads its file once and stays all-or-nothing (SQLite and PostgreSQL's COPY).

The sample that settles the detected fields is shrunk to a few rows so that a small file
takes the paths of a large one: the stage forgets what it received before a ``REWIND``,
and a bad row far into the file refuses the whole import, naming file, row, column and
value.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from cxgap.db.tables import Feedback, FeedbackImport
from cxgap.ingest import pipeline
from cxgap.services.core import Cxgap
from cxgap.services.feedback_imports import count_feedback, run_feedback_import
from cxgap.services.workspaces import get_workspace
from tests.factories import make_workspace


@pytest.fixture(autouse=True)
def small_sample(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pipeline, "SAMPLE_ROWS", 4)


def _csv(path: Path, dates: list[str], nps: list[str]) -> Path:
    rows = [
        f"r{i},survey,{d},text {i},{s}\n" for i, (d, s) in enumerate(zip(dates, nps, strict=True))
    ]
    path.write_text("source_id,source_type,collected_at,text,nps\n" + "".join(rows), "utf-8")
    return path


def _import(cx: Cxgap, path: Path):  # type: ignore[no-untyped-def]
    with cx.transaction() as session:
        make_workspace(session)
    return run_feedback_import(
        cx, workspace_key="acme", source=path, name=path.name, preset="generic"
    )


def test_the_stage_forgets_the_rows_mapped_before_a_rewind(cx: Cxgap, tmp_path: Path) -> None:
    dates = [f"{d:02d}/03/2024" for d in range(13, 21)] + ["21/03/2024 10:30", "22/03/2024"]
    outcome = _import(cx, _csv(tmp_path / "late.csv", dates, ["9"] * 10))
    assert outcome.refusal is None and outcome.report.rows_read == 10
    with cx.reading() as session:
        stored = dict(session.execute(select(Feedback.source_id, Feedback.collected_at)).all())
        assert count_feedback(session, get_workspace(session, "acme")) == 10
    assert stored["r8"].astimezone(UTC) == datetime(2024, 3, 21, 10, 30, tzinfo=UTC)
    assert stored["r0"].astimezone(UTC) == datetime(2024, 3, 13, tzinfo=UTC)


def test_a_bad_row_late_in_the_file_stores_nothing(cx: Cxgap, tmp_path: Path) -> None:
    dates = [f"2024-03-{1 + i % 28:02d}" for i in range(40)]
    outcome = _import(cx, _csv(tmp_path / "bad.csv", dates, ["9"] * 39 + ["11"]))
    assert outcome.refusal is not None
    (problem,) = outcome.report.problems
    assert (problem.source, problem.row, problem.field, problem.value) == (
        "bad.csv",
        41,
        "nps",
        "11",
    )
    with cx.reading() as session:
        assert count_feedback(session, get_workspace(session, "acme")) == 0
        history = session.scalars(select(FeedbackImport)).one()
    assert history.status == "refused" and history.records_stored == 0
