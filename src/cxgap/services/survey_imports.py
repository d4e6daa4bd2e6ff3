"""Import customer answers from a CSV file exported by another survey tool.

Atomic by default: one bad row and nothing is stored, with every problem reported (row,
column, value). With ``skip_invalid`` the good rows are stored and the bad ones reported.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace

from sqlalchemy.orm import Session

from cxgap.db.tables import Workspace
from cxgap.errors import FieldProblem, PayloadTooLargeError, ValidationError
from cxgap.ingest.delimited import ragged_reason, read_delimited_text
from cxgap.ingest.encoding import decode_text
from cxgap.ingest.headers import clean_name
from cxgap.ingest.privacy import pseudonymise
from cxgap.schema import CustomerAnswer, importance_field, parse_customer_answer, performance_field
from cxgap.services.answers import store_customer_answers
from cxgap.services.workspaces import pillars_of, segments_of

OPTIONAL_COLUMNS = (
    "response_id",
    "submitted_at",
    "language",
    "csat",
    "ces",
    "birth_year",
    "segment",
    "comment",
    "consent",
    "customer_ref",
    "agent",
    "duration_seconds",
)
# Columns our own export writes that the import understands and ignores.
IGNORED_COLUMNS = ("source", "survey", "generation")


@dataclass
class ImportReport:
    source: str
    rows_read: int = 0
    stored: int = 0
    problems: list[FieldProblem] = field(default_factory=list)

    @property
    def rows_refused(self) -> int:
        return len({p.row for p in self.problems})

    def as_dict(self) -> dict[str, object]:
        return {
            "source": self.source,
            "rows_read": self.rows_read,
            "stored": self.stored,
            "rows_refused": self.rows_refused,
            "problems": [p.as_dict() for p in self.problems],
        }


def _records(
    rows: Iterator[list[str]], header: Sequence[str], source: str, report: ImportReport
) -> Iterator[tuple[int, dict[str, str]]]:
    """(row number, cells by column) of the rows that fit the header; the others are
    reported. Blank lines are skipped, as spreadsheets leave them."""
    width = len(header)
    for row_number, cells in enumerate(rows, start=2):  # row 1 is the header
        if not any(cells):
            continue
        report.rows_read += 1
        extra = len(cells) > width and any(c.strip() for c in cells[width:])
        if extra or len(cells) < width:
            report.problems.append(
                FieldProblem(
                    "(row)",
                    ragged_reason(len(cells), width),
                    row=row_number,
                    source=source,
                    code="ragged_row",
                    params={
                        "reason": "ragged_more" if len(cells) > width else "ragged_fewer",
                        "cells": len(cells),
                        "columns": width,
                    },
                )
            )
            continue
        yield row_number, dict(zip(header, cells, strict=False))


def _check_header(
    header: Sequence[str] | None, pillar_keys: Sequence[str], source: str
) -> list[FieldProblem]:
    if not header:
        return [
            FieldProblem(
                "(header)", "the file is empty or has no header row", source=source, code="empty"
            )
        ]
    required = ["nps"] + [f(k) for k in pillar_keys for f in (importance_field, performance_field)]
    known = _known_columns(pillar_keys)
    problems = [
        FieldProblem(name, "required column is missing", source=source, code="missing_column")
        for name in required
        if name not in header
    ]
    problems += [
        FieldProblem(name or "(blank)", "unknown column", source=source, code="unknown_column")
        for name in header
        if name not in known
    ]
    seen: set[str] = set()
    for name in header:
        if name in seen:
            problems.append(
                FieldProblem(name, "column appears twice", source=source, code="duplicate_column")
            )
        seen.add(name)
    return problems


def _row_id(row: Mapping[str, object]) -> str:
    digest = hashlib.sha256(repr(sorted(row.items())).encode()).hexdigest()[:32]
    return f"row-{digest}"


def _known_columns(pillar_keys: Sequence[str]) -> set[str]:
    pillar_columns = {f(k) for k in pillar_keys for f in (importance_field, performance_field)}
    return {"nps"} | pillar_columns | set(OPTIONAL_COLUMNS) | set(IGNORED_COLUMNS)


def _finish(
    answer: CustomerAnswer,
    row: Mapping[str, object],
    row_number: int,
    seen_ids: dict[str, int],
    report: ImportReport,
    pseudonym_secret: str | None,
) -> CustomerAnswer | None:
    """Give the answer its stable id and pseudonym; refuse ids repeated in one file."""
    external_id = answer.external_id or _row_id(row)
    if external_id in seen_ids:
        report.problems.append(
            FieldProblem(
                "response_id",
                f"duplicates row {seen_ids[external_id]} of the same file",
                external_id,
                row=row_number,
                source=report.source,
                code="duplicate_row",
                params={"row": seen_ids[external_id]},
            )
        )
        return None
    seen_ids[external_id] = row_number
    ref = answer.customer_ref
    if ref and pseudonym_secret:
        ref = pseudonymise(ref, pseudonym_secret)
    return replace(answer, external_id=external_id, customer_ref=ref)


def _store(
    session: Session,
    workspace: Workspace,
    answers: list[CustomerAnswer],
    report: ImportReport,
    skip_invalid: bool,
) -> ImportReport:
    if report.rows_read == 0:
        problem = FieldProblem(
            "(file)",
            "has no answer rows",
            source=report.source,
            code="no_rows",
            params={"reason": "no_answer_rows"},
        )
        raise ValidationError([problem], summary="Import refused, nothing was stored")
    if report.problems and not skip_invalid:
        raise ValidationError(report.problems, summary="Import refused, nothing was stored")
    store_customer_answers(session, workspace=workspace, answers=answers, source="import")
    report.stored = len(answers)
    return report


def parse_csv_answers(
    text: str,
    *,
    source: str,
    pillar_keys: Sequence[str],
    segment_keys: set[str],
    pseudonym_secret: str | None = None,
) -> tuple[list[CustomerAnswer], ImportReport]:
    """Answers from a decoded CSV file: RFC 4180 quoting, delimiter detected (``,``, ``;``,
    tab or ``|``), the file cxgap's own export writes read back as it was."""
    report = ImportReport(source=source)
    rows = read_delimited_text(text, name=source)
    header = [clean_name(name) for name in next(rows, [])]
    header_problems = _check_header(header, pillar_keys, source)
    if header_problems:
        raise ValidationError(header_problems, summary="Import refused, nothing was stored")
    answers: list[CustomerAnswer] = []
    seen_ids: dict[str, int] = {}
    for row_number, row in _records(rows, header, source, report):
        try:
            answer = parse_customer_answer(
                row,
                pillar_keys=pillar_keys,
                segment_keys=segment_keys,
                row=row_number,
                source=source,
                from_file=True,
            )
        except ValidationError as exc:
            report.problems.extend(exc.problems)
            continue
        finished = _finish(answer, row, row_number, seen_ids, report, pseudonym_secret)
        if finished is not None:
            answers.append(finished)
    return answers, report


def import_customer_csv(
    session: Session,
    *,
    workspace: Workspace,
    data: bytes,
    source: str,
    max_bytes: int,
    skip_invalid: bool = False,
    encoding: str | None = None,
    pseudonym_secret: str | None = None,
) -> ImportReport:
    """``encoding=None`` detects UTF-8 (with or without BOM), cp1252 or latin-1."""
    if len(data) > max_bytes:
        raise PayloadTooLargeError(
            f"{source} is {len(data) / 1e6:.1f} MB; the limit is {max_bytes / 1e6:.0f} MB"
        )
    text = decode_text(data, source=source, encoding=encoding)
    answers, report = parse_csv_answers(
        text,
        source=source,
        pillar_keys=[p.key for p in pillars_of(session, workspace)],
        segment_keys={s.key for s in segments_of(session, workspace)},
        pseudonym_secret=pseudonym_secret,
    )
    return _store(session, workspace, answers, report, skip_invalid)


def import_customer_rows(
    session: Session,
    *,
    workspace: Workspace,
    rows: Sequence[Mapping[str, object]],
    source: str,
    skip_invalid: bool = False,
    pseudonym_secret: str | None = None,
) -> ImportReport:
    """Import answers given as mappings (the REST API); same rules as the CSV import."""
    report = ImportReport(source=source)
    pillar_keys = [p.key for p in pillars_of(session, workspace)]
    segment_keys = {s.key for s in segments_of(session, workspace)}
    answers: list[CustomerAnswer] = []
    seen: dict[str, int] = {}
    for index, row in enumerate(rows, start=1):
        report.rows_read += 1
        unknown = sorted(set(row) - _known_columns(pillar_keys))
        if unknown:
            report.problems.extend(
                FieldProblem(name, "unknown field", row=index, source=source, code="unknown_column")
                for name in unknown
            )
            continue
        try:
            answer = parse_customer_answer(
                row, pillar_keys=pillar_keys, segment_keys=segment_keys, row=index, source=source
            )
        except ValidationError as exc:
            report.problems.extend(exc.problems)
            continue
        finished = _finish(answer, dict(row), index, seen, report, pseudonym_secret)
        if finished is not None:
            answers.append(finished)
    return _store(session, workspace, answers, report, skip_invalid)
