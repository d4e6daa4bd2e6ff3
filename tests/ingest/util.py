"""Helpers shared by the ingest tests."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from cxgap.errors import FieldProblem
from cxgap.ingest import FeedbackRecord, ImportReport, MappingSpec, collect_feedback
from cxgap.ingest.report import Mode

DATA = Path(__file__).resolve().parents[1] / "data" / "feedback"


def collect(
    path: Path, spec: MappingSpec, mode: Mode = "all_or_nothing", **kwargs: Any
) -> tuple[list[FeedbackRecord], ImportReport]:
    return collect_feedback(path, spec, mode=mode, **kwargs)


def by_id(records: list[FeedbackRecord]) -> dict[str, FeedbackRecord]:
    return {r.source_id: r for r in records}


def by_response(records: list[FeedbackRecord]) -> dict[str, FeedbackRecord]:
    """The first record of each survey response (the one carrying its scores)."""
    first: dict[str, FeedbackRecord] = {}
    for record in records:
        first.setdefault(record.response_key or record.source_id, record)
    return first


def only_problem(report: ImportReport) -> FieldProblem:
    assert len(report.problems) == 1, [p.describe() for p in report.problems]
    return report.problems[0]


def write_csv(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path
