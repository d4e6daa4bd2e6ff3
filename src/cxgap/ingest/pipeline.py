"""A file in, valid feedback records out, and the report of everything else."""

from __future__ import annotations

from collections.abc import Iterator

from cxgap.errors import FieldProblem, ValidationError
from cxgap.ingest.encoding import file_problem
from cxgap.ingest.mapping import map_row
from cxgap.ingest.records import FeedbackRecord
from cxgap.ingest.report import MAX_IDS_TRACKED, DuplicateFilter, ImportReport, Mode
from cxgap.ingest.resolve import ResolvedMapping, resolve_mapping
from cxgap.ingest.spec import MappingSpec
from cxgap.ingest.tables import Progress, Source, Table, open_table, source_name


def read_feedback(
    source: Source,
    spec: MappingSpec,
    report: ImportReport,
    *,
    name: str | None = None,
    pseudonym_key: str | bytes | None = None,
    progress: Progress | None = None,
) -> Iterator[FeedbackRecord]:
    """Stream the valid, de-duplicated records of a file; counts, duplicates and problems
    go to ``report`` as they are met.

    Write the records inside one transaction and commit only if ``report.ok`` once the
    iterator is exhausted. In ``all_or_nothing`` mode no record is yielded after the first
    problem (nothing will be stored), but every row is still checked and reported.
    """
    try:
        with open_table(source, spec.read, name=name, progress=progress) as table:
            mapping = resolve_mapping(
                spec,
                table.header,
                tags=table.tags,
                header_complete=table.header_complete,
                timezone_hint=table.timezone,
                source=table.name,
                pseudonym_key=pseudonym_key,
            )
            yield from _records(table, mapping, report)
    except ValidationError as exc:
        report.refuse_file(exc.problems)
        return
    if report.rows_read == 0:
        report.refuse_file([file_problem("has no data rows", source=report.source, code="no_rows")])


def _records(
    table: Table, mapping: ResolvedMapping, report: ImportReport
) -> Iterator[FeedbackRecord]:
    duplicates = DuplicateFilter()
    for number, cells in table:
        report.rows_read += 1
        outcome = map_row(mapping, number, cells)
        if isinstance(outcome, list):
            report.refuse_row(outcome)
            continue
        seen = duplicates.check(outcome, number)
        if seen is not None and seen[0] == "duplicate":
            report.add_duplicate(number, seen[1])
            continue
        if seen is not None:
            report.refuse_row([_conflict(mapping, outcome, number, seen[1])])
            continue
        report.records_valid += 1
        if report.ok:
            yield outcome
    if duplicates.full:
        report.notes.append(
            f"duplicates were looked for among the first {MAX_IDS_TRACKED:,} records only"
        )


def _conflict(
    mapping: ResolvedMapping, record: FeedbackRecord, number: int, first: int
) -> FieldProblem:
    resolved = mapping.fields.get("source_id")
    column = resolved.columns[0] if resolved and resolved.columns else "source_id"
    return FieldProblem(
        column,
        f"repeats the id of row {first} with different content",
        record.source_id,
        row=number,
        source=mapping.source,
        code="duplicate_id",
        params={"first_row": first},
    )


def collect_feedback(
    source: Source,
    spec: MappingSpec,
    *,
    mode: Mode = "all_or_nothing",
    name: str | None = None,
    pseudonym_key: str | bytes | None = None,
    progress: Progress | None = None,
) -> tuple[list[FeedbackRecord], ImportReport]:
    """All records of a small file in a list, with the report; the list is empty when the
    report says nothing may be stored."""
    report = ImportReport(source=source_name(source, name), mode=mode)
    records = list(
        read_feedback(
            source, spec, report, name=name, pseudonym_key=pseudonym_key, progress=progress
        )
    )
    return (records if report.ok else []), report
