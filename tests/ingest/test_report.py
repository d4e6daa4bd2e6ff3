"""The import report: the two modes, duplicates, and problems capped in memory."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, cast

import pytest

from cxgap.errors import FieldProblem, ValidationError
from cxgap.ingest import PRESETS, DuplicateFilter, FeedbackRecord, ImportReport, read_feedback
from cxgap.ingest.report import MAX_PROBLEMS_KEPT
from tests.ingest.util import collect, write_csv

GENERIC = PRESETS["generic"]
HEADER = "source_id,source_type,collected_at,text,nps\n"


def csv_with(tmp_path: Path, *lines: str) -> Path:
    return write_csv(tmp_path / "f.csv", HEADER + "".join(f"{line}\n" for line in lines))


def test_all_or_nothing_stores_nothing_but_reports_every_problem(tmp_path: Path) -> None:
    path = csv_with(
        tmp_path,
        "a,survey,2024-03-04,ok,9",
        "b,survey,2024-03-04,,12",
        "c,survey,2024-03-04,ok,9",
        "d,survey,nope,ok,9",
    )
    report = ImportReport(source="f.csv")
    yielded = list(read_feedback(path, GENERIC, report))
    assert not report.ok
    assert [r.source_id for r in yielded] == ["a"]  # nothing after the first problem
    assert [(p.row, p.field) for p in report.problems] == [(3, "nps"), (5, "collected_at")]
    assert (report.rows_read, report.records_valid, report.rows_refused) == (4, 2, 2)
    with pytest.raises(ValidationError) as caught:
        report.raise_if_refused()
    assert caught.value.summary == "Import of f.csv refused, nothing was stored"
    assert len(caught.value.problems) == 2


def test_skip_invalid_keeps_the_good_rows(tmp_path: Path) -> None:
    path = csv_with(
        tmp_path, "a,survey,2024-03-04,ok,9", "b,survey,2024-03-04,,12", "c,survey,2024-03-04,ok,9"
    )
    records, report = collect(path, GENERIC, "skip_invalid")
    assert report.ok
    assert [r.source_id for r in records] == ["a", "c"]
    report.raise_if_refused()  # nothing to raise
    assert report.summary() == (
        "f.csv: 2 records, 1 rows refused, 0 duplicates skipped, 0 blank responses skipped"
    )


def test_a_file_problem_refuses_the_import_in_both_modes(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "f.csv", "id,text\n1,hello\n")
    for mode in ("all_or_nothing", "skip_invalid"):
        records, report = collect(path, GENERIC, mode)
        assert (records, report.ok, report.file_refused) == ([], False, True)


def test_duplicates_are_skipped_and_conflicting_ids_refused(tmp_path: Path) -> None:
    path = csv_with(
        tmp_path,
        "a,survey,2024-03-04,ok,9",
        "a,survey,2024-03-04,ok,9",
        "b,survey,2024-03-04,ok,9",
        "a,survey,2024-03-04,changed,9",
    )
    records, report = collect(path, GENERIC, "skip_invalid")
    assert [r.source_id for r in records] == ["a", "b"]
    assert (report.duplicates, report.duplicate_rows) == (1, [(3, 2)])
    [problem] = report.problems
    assert (problem.row, problem.field, problem.value, problem.code) == (
        5,
        "source_id",
        "a",
        "duplicate_id",
    )
    assert "row 2" in problem.message


def test_the_same_id_under_two_source_types_is_no_duplicate() -> None:
    filter_ = DuplicateFilter()
    when = datetime(2024, 3, 4, tzinfo=UTC)
    assert filter_.check(FeedbackRecord("ticket", "42", when, "x"), 2) is None
    assert filter_.check(FeedbackRecord("review", "42", when, "x"), 3) is None
    assert filter_.check(FeedbackRecord("review", "42", when, "x"), 4) == ("duplicate", 3)


def test_the_duplicate_filter_stops_tracking_at_its_limit() -> None:
    filter_ = DuplicateFilter(limit=2)
    when = datetime(2024, 3, 4, tzinfo=UTC)
    for number, ident in enumerate("abc", start=2):
        filter_.check(FeedbackRecord("chat", ident, when, "x"), number)
    assert filter_.full
    assert filter_.check(FeedbackRecord("chat", "c", when, "x"), 9) is None  # not remembered
    assert filter_.check(FeedbackRecord("chat", "a", when, "x"), 9) == ("duplicate", 2)


def test_problems_are_capped_in_memory_but_all_counted(tmp_path: Path) -> None:
    lines = [f"r{i},survey,2024-03-04,,{20 + i}" for i in range(MAX_PROBLEMS_KEPT + 500)]
    records, report = collect(csv_with(tmp_path, *lines), GENERIC, "skip_invalid")
    assert records == []
    assert len(report.problems) == MAX_PROBLEMS_KEPT
    assert (report.problems_total, report.problems_not_kept) == (MAX_PROBLEMS_KEPT + 500, 500)
    assert report.as_dict()["problems_not_kept"] == 500


def test_the_report_is_json_ready(tmp_path: Path) -> None:
    path = csv_with(tmp_path, "a,survey,2024-03-04,ok,9", "b,review,2024-03-04,ok,11")
    _, report = collect(path, GENERIC)
    data = json.loads(json.dumps(report.as_dict()))
    assert data["ok"] is False and data["mode"] == "all_or_nothing"
    assert data["problems"][0] | {"message": "…"} == {
        "field": "nps",
        "message": "…",
        "value": "11",
        "row": 3,
        "source": "f.csv",
        "code": "range",
        "params": {"low": 0, "high": 10},
    }


def test_an_unknown_mode_is_refused() -> None:
    with pytest.raises(ValueError, match="mode must be one of"):
        ImportReport(source="f.csv", mode=cast(Any, "best_effort"))


def test_problems_added_by_hand_are_counted() -> None:
    report = ImportReport(source="f.csv", mode="skip_invalid")
    report.refuse_row([FieldProblem("nps", "bad", row=2), FieldProblem("csat", "bad", row=2)])
    assert (report.rows_refused, report.problems_total, report.ok) == (1, 2, True)
