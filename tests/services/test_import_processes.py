"""An import whose rows are mapped by several processes stores, reports and refuses exactly
what a one-process import does, on SQLite and PostgreSQL (COPY staging)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from cxgap.db.tables import Feedback
from cxgap.ingest import parallel
from cxgap.ingest.mapping import map_response
from cxgap.services.core import Cxgap
from cxgap.services.feedback_imports import ImportOutcome, run_feedback_import
from tests.factories import make_workspace
from tests.ingest.test_parallel import _spec
from tests.varied_feedback import write_varied_csv

COMPARED = (
    "source_type", "source_id", "channel", "collected_at", "text", "nps", "csat", "ces",
    "stars", "customer_ref", "touchpoint", "language_hint", "attributes", "question",
    "response_key", "text_hash",
)  # fmt: skip


def _imported(cx: Cxgap, key: str, path: Path, jobs: int, mode: str) -> ImportOutcome:
    return run_feedback_import(
        cx,
        workspace_key=key,
        source=path,
        name=path.name,
        spec=_spec(),
        mode=mode,  # type: ignore[arg-type]
        pseudonymise=True,
        jobs=jobs,
    )


def _stored(cx: Cxgap, key: str) -> list[tuple[Any, ...]]:
    columns = [Feedback.__table__.c[name] for name in COMPARED]
    with cx.reading() as session:
        workspace = _workspace_id(session, key)
        query = select(*columns).where(Feedback.workspace_id == workspace)
        return [tuple(row) for row in session.execute(query.order_by(columns[1], columns[0]))]


def _workspace_id(session: Any, key: str) -> int:
    from cxgap.services.workspaces import get_workspace

    return get_workspace(session, key).id


def _report(outcome: ImportOutcome) -> dict[str, object]:
    return outcome.report.as_dict()


def test_processes_store_what_one_process_stores(
    cx: Cxgap, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_varied_csv(tmp_path / "varied.csv", 500)
    with cx.transaction() as session:
        make_workspace(session, key="one")
        make_workspace(session, key="many")
    one = _imported(cx, "one", path, 1, "skip_invalid")
    monkeypatch.setattr(parallel, "CHUNK_ROWS", 29)
    many = _imported(cx, "many", path, 3, "skip_invalid")
    assert one.refusal is None and many.refusal is None
    assert _report(many) == _report(one)
    stored = _stored(cx, "one")
    assert _stored(cx, "many") == stored
    texts = " ".join(str(row[4]) for row in stored)
    assert "[email]" in texts and "[phone]" in texts and "@exemple.fr" not in texts
    assert any("\n" in str(row[4]) for row in stored)  # quoted line breaks kept
    again = _imported(cx, "many", path, 3, "skip_invalid")  # re-import: updates, no new rows
    assert again.refusal is None and _stored(cx, "many") == stored


def test_processes_refuse_what_one_process_refuses(
    cx: Cxgap, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_varied_csv(tmp_path / "varied.csv", 300)
    with cx.transaction() as session:
        make_workspace(session, key="one")
        make_workspace(session, key="many")
    one = _imported(cx, "one", path, 1, "all_or_nothing")
    monkeypatch.setattr(parallel, "CHUNK_ROWS", 23)
    many = _imported(cx, "many", path, 2, "all_or_nothing")
    assert one.refusal is not None and many.refusal is not None
    assert _report(many) == _report(one)
    assert [p.describe() for p in many.refusal.problems] == [
        p.describe() for p in one.refusal.problems
    ]
    assert _stored(cx, "many") == [] == _stored(cx, "one")


def test_a_worker_failing_fails_the_import_and_stores_nothing(
    sqlite_cx: Cxgap, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_varied_csv(tmp_path / "varied.csv", 200)
    with sqlite_cx.transaction() as session:
        make_workspace(session, key="many")
    parent = os.getpid()

    def flaky(mapping: Any) -> Any:
        def map_row(number: int, cells: Any) -> Any:
            if number >= 120 and os.getpid() != parent:  # a worker, late in the file
                raise OSError("disk gone")
            return map_response(mapping, number, cells)

        return map_row

    monkeypatch.setattr(parallel, "CHUNK_ROWS", 20)
    monkeypatch.setattr(parallel, "row_mapper", flaky)
    with pytest.raises(OSError, match="disk gone"):
        _imported(sqlite_cx, "many", path, 2, "skip_invalid")
    assert _stored(sqlite_cx, "many") == []
