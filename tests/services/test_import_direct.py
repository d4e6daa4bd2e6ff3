"""An import copied straight into ``feedback`` (``services.feedback_direct``, PostgreSQL)
stores what the staged path stores: the same rows, report, Listening counts and segment
members; the same refusals; nothing when it fails; the staged path when the workspace holds
one of the file's keys, before or after the pre-check.

Each case imports the same file into two workspaces of one database, once with the direct
path allowed and once without, and compares them. On SQLite both go the staged way (there is
no ``COPY``): the comparison then checks the reference itself.
"""

from __future__ import annotations

import csv
import dataclasses
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Connection, event, select

from cxgap.db import listening_counts
from cxgap.db.segment_tables import Segment, SegmentMember
from cxgap.db.tables import Feedback, FeedbackImport
from cxgap.ingest import MappingSpec, get_preset, pipeline
from cxgap.services import feedback_direct
from cxgap.services.core import Cxgap
from cxgap.services.feedback_imports import ImportOutcome, run_feedback_import
from cxgap.services.workspaces import get_workspace
from tests.factories import make_workspace

SURVEYS = Path(__file__).resolve().parents[1] / "data" / "surveys"
COMPARED = (
    "source_type", "source_id", "channel", "collected_at", "text", "nps", "csat", "ces",
    "stars", "customer_ref", "touchpoint", "language_hint", "attributes", "question",
    "response_key", "text_hash",
)  # fmt: skip
TEXTS = [
    'Livraison "rapide",\tmerci', "line one\nline two", "back\\slash \\N", "",
    "Très bien 👍 — café, 日本語", "call me on 06 12 34 56 78 or ana@example.com",
]  # fmt: skip


def _file(folder: Path, rows: int = 40, *, name: str = "feedback.csv", bad: int = 0) -> Path:
    path = folder / name
    with path.open("w", newline="", encoding="utf-8") as stream:
        writer = csv.writer(stream)
        writer.writerow(["source_id", "source_type", "channel", "collected_at", "text", "nps",
                         "customer_ref", "segment"])  # fmt: skip
        for i in range(rows):
            nps = "11" if bad and i == bad else ["", "0", "7", "10"][i % 4]
            writer.writerow([
                f"r-{i}", ["survey", "review"][i % 2], ["web", "store", ""][i % 3],
                f"2025-{1 + i % 12:02d}-{1 + i % 28:02d}T10:00:00+01:00",
                TEXTS[i % len(TEXTS)], nps, f"C-{i % 7}", ["pro", "home", ""][i % 3],
            ])  # fmt: skip
    return path


def _spec() -> MappingSpec:
    return dataclasses.replace(get_preset("generic"), keep=("segment",))


def _stages(cx: Cxgap) -> list[str]:
    """The stages created while importing (none on the direct path)."""
    seen: list[str] = []

    def record(conn: Connection, cursor: object, statement: str, *args: object) -> None:
        if "CREATE TEMPORARY TABLE feedback_stage" in statement:
            seen.append(statement)

    event.listen(cx.engine, "before_cursor_execute", record)
    return seen


def _run(cx: Cxgap, key: str, path: Path, spec: MappingSpec | None = None) -> ImportOutcome:
    return run_feedback_import(
        cx, workspace_key=key, source=path, name=path.name, spec=spec or _spec(),
        pseudonymise=True,
    )  # fmt: skip


def _state(cx: Cxgap, key: str) -> dict[str, Any]:
    """Everything an import leaves in a workspace, without its ids and times."""
    columns = [Feedback.__table__.c[name] for name in COMPARED]
    with cx.reading() as session:
        ws = get_workspace(session, key).id
        rows = session.execute(
            select(*columns).where(Feedback.workspace_id == ws).order_by(*columns[:2])
        ).all()
        counts = _counts_in(session, key)
        members = session.execute(
            select(Segment.key, Feedback.source_id)
            .join(SegmentMember, SegmentMember.segment_id == Segment.id)
            .join(Feedback, Feedback.id == SegmentMember.feedback_id)
            .where(Segment.workspace_id == ws)
        ).all()
        reports = [
            (row.status, row.rows_read, row.records_stored, _without_time(row.report))
            for row in session.scalars(
                select(FeedbackImport)
                .where(FeedbackImport.workspace_id == ws)
                .order_by(FeedbackImport.id)
            )
        ]
    return {
        "rows": [tuple(row) for row in rows],
        "counts": counts,
        "members": sorted(map(tuple, members)),
        "reports": reports,
    }


def _without_time(report: dict[str, Any] | None) -> dict[str, Any]:
    return {k: v for k, v in (report or {}).items() if k not in ("file_sha256", "source")}


def _rebuilt_counts(cx: Cxgap, key: str) -> dict[str, Any]:
    """The Listening counts recomputed from the rows (rolled back afterwards)."""
    with cx.sessions() as session, session.begin():
        listening_counts.rebuild(session, get_workspace(session, key).id)
        session.flush()
        state = _counts_in(session, key)
        session.rollback()
    return state


def _counts_in(session: Any, key: str) -> dict[str, Any]:
    """Every count row of the workspace, its segment named by its key (two workspaces' ids
    of the same segment differ)."""
    ws = get_workspace(session, key).id
    segments = dict(session.execute(select(Segment.id, Segment.key)).all())
    counts = {}
    for model in listening_counts.TABLES:
        table = model.__table__
        kept = [c for c in table.c if c.name not in ("workspace_id", "id")]
        found = session.execute(select(*kept).where(table.c.workspace_id == ws)).all()
        named = [
            tuple(
                segments[v] if c.name == "segment_id" else v for c, v in zip(kept, row, strict=True)
            )
            for row in found
        ]
        counts[table.name] = sorted(tuple(map(str, row)) for row in named)
    return counts


def _both(
    cx: Cxgap, monkeypatch: pytest.MonkeyPatch, path: Path, spec: MappingSpec | None = None
) -> tuple[ImportOutcome, ImportOutcome, list[str]]:
    """The file imported into ``direct`` with the direct path allowed, then into
    ``staged`` without; the stages the first import created."""
    stages = _stages(cx)
    first = _run(cx, "direct", path, spec)
    made = list(stages)
    monkeypatch.setattr(feedback_direct, "enabled", False)
    second = _run(cx, "staged", path, spec)
    monkeypatch.setattr(feedback_direct, "enabled", True)
    return first, second, made


def _copies(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts the direct path's copies into ``feedback`` (the copy itself runs)."""
    calls: list[int] = []
    real = feedback_direct._copy

    def counted(*args: Any) -> tuple[int, bool]:
        calls.append(1)
        return real(*args)

    monkeypatch.setattr(feedback_direct, "_copy", counted)
    return calls


@pytest.fixture
def two(cx: Cxgap) -> Cxgap:
    with cx.transaction() as session:
        make_workspace(session, key="direct", name="Direct")
        make_workspace(session, key="staged", name="Staged")
    return cx


def _postgres(cx: Cxgap) -> bool:
    return cx.engine.dialect.name == "postgresql"


def test_a_first_import_stores_what_the_staged_path_stores(
    two: Cxgap, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    first, second, stages = _both(two, monkeypatch, _file(tmp_path, 60))
    assert (stages == []) is _postgres(two)  # PostgreSQL went the direct way
    assert first.refusal is None and first.report.as_dict() == second.report.as_dict()
    direct, staged = _state(two, "direct"), _state(two, "staged")
    assert direct == staged
    assert len(direct["rows"]) == 60 and direct["members"]  # not an empty comparison
    assert direct["counts"]["listening_counts"]
    assert _rebuilt_counts(two, "direct") == direct["counts"]
    # Contact details masked, pseudonymised customers, escapes intact.
    texts = {row[1]: row[4] for row in direct["rows"]}
    assert "06 12 34 56 78" not in texts["r-5"] and "ana@example.com" not in texts["r-5"]
    assert texts["r-2"] == "back\\slash \\N" and texts["r-1"] == "line one\nline two"


def test_a_second_file_of_new_ids_goes_direct_and_adds(
    two: Cxgap, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    for key in ("direct", "staged"):
        monkeypatch.setattr(feedback_direct, "enabled", False)
        _run(two, key, _file(tmp_path, 30, name="old.csv"))
    monkeypatch.setattr(feedback_direct, "enabled", True)
    newer = tmp_path / "new.csv"
    newer.write_text(
        _file(tmp_path, 50, name="tmp.csv").read_text("utf-8").replace("r-", "n-"), "utf-8"
    )
    _, _, stages = _both(two, monkeypatch, newer)
    assert (stages == []) is _postgres(two)
    direct = _state(two, "direct")
    assert direct == _state(two, "staged") and len(direct["rows"]) == 80
    assert _rebuilt_counts(two, "direct") == direct["counts"]


def test_a_key_the_workspace_holds_after_the_pre_check_falls_back(
    two: Cxgap, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """r-35 is held, beyond the 10 records of the pre-check: the copy fails on the unique
    key, rolls back, and the file is staged: r-35 updated, the rest added."""
    monkeypatch.setattr(feedback_direct, "LEAD", 10)
    held = tmp_path / "held.csv"
    lines = _file(tmp_path, 40, name="all.csv").read_text("utf-8").splitlines(keepends=True)
    held.write_text(lines[0] + "".join(line for line in lines if line.startswith("r-35,")))
    for key in ("direct", "staged"):
        _run(two, key, held)
    copies = _copies(monkeypatch)
    first, second, stages = _both(two, monkeypatch, tmp_path / "all.csv")
    assert len(stages) == 1  # the staged path, after the direct one gave up (or at once)
    assert len(copies) == _postgres(two)  # PostgreSQL tried the direct way first
    assert first.report.as_dict() == second.report.as_dict()
    direct = _state(two, "direct")
    assert direct == _state(two, "staged")
    assert direct["reports"][-1][3]["records_updated"] == 1
    assert direct["reports"][-1][3]["records_created"] == 39
    assert _rebuilt_counts(two, "direct") == direct["counts"]


def test_a_key_in_the_pre_check_goes_staged_at_once(
    two: Cxgap, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    path = _file(tmp_path, 20)
    for key in ("direct", "staged"):
        _run(two, key, path)
    copies = _copies(monkeypatch)
    _, _, stages = _both(two, monkeypatch, path)  # the same file again: every key held
    assert len(stages) == 1 and copies == []
    direct = _state(two, "direct")
    assert direct == _state(two, "staged") and direct["reports"][-1][3]["records_updated"] == 20


def test_a_survey_response_replaced_on_the_direct_path(
    two: Cxgap, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An older whole-response record (R_01) is deleted by the per-question records of the
    same response, as the staged path deletes it."""
    for key in ("direct", "staged"):
        with two.transaction() as session:
            ws = get_workspace(session, key)
            session.add(
                Feedback(
                    workspace_id=ws.id, source_type="survey", source_id="R_01", nps=9,
                    collected_at=datetime(2024, 5, 2, tzinfo=UTC), text="Old.", text_hash="x",
                )
            )  # fmt: skip
        with two.transaction() as session:
            listening_counts.rebuild(session, get_workspace(session, key).id)
    _, _, stages = _both(two, monkeypatch, SURVEYS / "qualtrics.csv", get_preset("qualtrics"))
    assert (stages == []) is _postgres(two)
    direct = _state(two, "direct")
    assert direct == _state(two, "staged")
    assert "R_01" not in {row[1] for row in direct["rows"]}
    assert direct["reports"][-1][3]["records_removed"] == 1
    assert _rebuilt_counts(two, "direct") == direct["counts"]


def test_a_refused_row_stores_nothing_and_names_it(
    two: Cxgap, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    first, second, _ = _both(two, monkeypatch, _file(tmp_path, 50, name="bad.csv", bad=45))
    assert first.refusal is not None and second.refusal is not None
    assert first.report.as_dict() == second.report.as_dict()
    (problem,) = first.report.problems
    assert (problem.source, problem.row, problem.field, problem.value) == (
        "bad.csv", 47, "nps", "11",
    )  # fmt: skip
    direct = _state(two, "direct")
    assert direct == _state(two, "staged") and direct["rows"] == []
    assert direct["reports"][0][:3] == ("refused", 50, 0)


def test_a_failure_after_the_copy_leaves_nothing(two: Cxgap, tmp_path: Path) -> None:
    def fail(session: object, workspace: object) -> None:
        raise RuntimeError("after the records")

    with pytest.raises(RuntimeError, match="after the records"):
        run_feedback_import(
            two, workspace_key="direct", source=_file(tmp_path), name="f.csv", spec=_spec(),
            after=fail,
        )  # fmt: skip
    state = _state(two, "direct")
    assert state["rows"] == [] and state["members"] == []
    assert all(rows == [] for rows in state["counts"].values())
    assert [r[0] for r in state["reports"]] == ["failed"]


def test_a_rewind_forgets_what_was_copied(
    two: Cxgap, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The day order settles on row 9, after a sample of 4: the file is read again, and
    what the first read copied is forgotten."""
    monkeypatch.setattr(pipeline, "SAMPLE_ROWS", 4)
    path = tmp_path / "late.csv"
    dates = [f"{d:02d}/03/2024" for d in range(13, 21)] + ["21/03/2024 10:30", "22/03/2024"]
    rows = [f"r{i},survey,{d},text {i},9\n" for i, d in enumerate(dates)]
    path.write_text("source_id,source_type,collected_at,text,nps\n" + "".join(rows), "utf-8")
    first, second, stages = _both(two, monkeypatch, path, get_preset("generic"))
    assert (stages == []) is _postgres(two)
    assert first.report.as_dict() == second.report.as_dict() and first.report.rows_read == 10
    direct = _state(two, "direct")
    assert direct == _state(two, "staged") and len(direct["rows"]) == 10
