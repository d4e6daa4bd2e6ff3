"""A file in, valid feedback records out, and the report of everything else."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Sequence

from cxgap.errors import FieldProblem, ValidationError
from cxgap.ingest.encoding import REFUSED_SUMMARY, file_problem
from cxgap.ingest.parallel import Mapped, mapped_rows
from cxgap.ingest.profile import profile_rows
from cxgap.ingest.records import FeedbackRecord
from cxgap.ingest.report import MAX_IDS_TRACKED, DuplicateFilter, ImportReport, Mode
from cxgap.ingest.resolve import ResolvedMapping, resolve_mapping
from cxgap.ingest.spec import MappingSpec
from cxgap.ingest.survey import complete_spec
from cxgap.ingest.tables import Progress, Source, open_table, source_name


def detected_spec(
    source: Source, spec: MappingSpec, *, name: str | None = None, date_order: str | None = None
) -> MappingSpec:
    """The spec with its ``detect`` fields chosen from the whole file's values; a date
    column that reads both ways without ``date_order`` refuses the file (ValidationError)."""
    completed, problems = survey_spec(source, spec, name=name, date_order=date_order)
    if problems:
        raise ValidationError(problems, summary=REFUSED_SUMMARY)
    return completed


def survey_spec(
    source: Source, spec: MappingSpec, *, name: str | None = None, date_order: str | None = None
) -> tuple[MappingSpec, list[FieldProblem]]:
    """:func:`~cxgap.ingest.survey.complete_spec` over one first pass on the file (a stream
    is put back where it was), with the problems it found rather than raised."""
    if not any(fmap.detect for fmap in spec.fields.values()):
        return spec, []
    start = None if isinstance(source, (str, os.PathLike)) else source.tell()
    try:
        with open_table(source, spec.read, name=name) as table:
            columns = _profiled_columns(spec, table.header)
            profile = profile_rows(columns, (c for _, c in table if c.defect is None))
            return complete_spec(
                spec,
                table.header,
                profile,
                tags=table.tags,
                labels=table.labels,
                date_order=date_order,
                source=table.name,
            )
    finally:
        if start is not None and not isinstance(source, (str, os.PathLike)):
            source.seek(start)


def _profiled_columns(spec: MappingSpec, header: Sequence[str]) -> Sequence[str]:
    """The columns whose values ``complete_spec`` reads: every one when a text or score
    column is to be found, else only the date columns (a generic file's only ``detect``
    field). Profiling the columns nobody reads was a quarter of a large import's time."""
    if any(fmap.detect and name != "collected_at" for name, fmap in spec.fields.items()):
        return header
    dated = spec.fields.get("collected_at")
    wanted = set(dated.columns) if dated is not None else set()
    return [c for c in header if c in wanted]


def read_feedback(
    source: Source,
    spec: MappingSpec,
    report: ImportReport,
    *,
    name: str | None = None,
    pseudonym_key: str | bytes | None = None,
    progress: Progress | None = None,
    date_order: str | None = None,
    jobs: int = 1,
) -> Iterator[FeedbackRecord]:
    """Stream the valid, de-duplicated records of a file; counts, duplicates, blank
    responses and problems go to ``report`` as they are met. ``jobs`` processes map the
    rows of a large file (0: one per CPU; :mod:`cxgap.ingest.parallel`), with the same
    records and report as one.

    Write the records inside one transaction and commit only if ``report.ok`` once the
    iterator is exhausted. In ``all_or_nothing`` mode no record is yielded after the first
    problem (nothing will be stored), but every row is still checked and reported.
    """
    try:
        spec = detected_spec(source, spec, name=name, date_order=date_order)
        with open_table(source, spec.read, name=name, progress=progress) as table:
            mapping = resolve_mapping(
                spec,
                table.header,
                tags=table.tags,
                header_complete=table.header_complete,
                timezone_hint=table.timezone,
                source=table.name,
                pseudonym_key=pseudonym_key,
                labels=table.labels,
            )
            yield from _records(mapped_rows(mapping, table, jobs=jobs), mapping, report)
    except ValidationError as exc:
        report.refuse_file(exc.problems)
        return
    if report.rows_read == 0:
        problem = file_problem(
            "has no data rows", source=report.source, code="no_rows", reason="no_rows"
        )
        report.refuse_file([problem])


def _records(
    responses: Iterable[Mapped], mapping: ResolvedMapping, report: ImportReport
) -> Iterator[FeedbackRecord]:
    duplicates = DuplicateFilter()
    for number, response in responses:
        report.rows_read += 1
        if response.problems:
            report.refuse_row(list(response.problems))
        elif response.blank:
            report.skipped_blank += 1
        yield from _new_records(response.records, number, mapping, report, duplicates)
    if duplicates.full:
        report.notes.append(
            f"duplicates were looked for among the first {MAX_IDS_TRACKED:,} records only"
        )


def _new_records(
    records: tuple[FeedbackRecord, ...],
    number: int,
    mapping: ResolvedMapping,
    report: ImportReport,
    duplicates: DuplicateFilter,
) -> Iterator[FeedbackRecord]:
    """The row's records not seen earlier in the file; a row repeating an earlier one is
    counted once as a duplicate, however many verbatims it holds."""
    first_seen: int | None = None
    for record in records:
        seen = duplicates.check(record, number)
        if seen is not None and seen[0] == "duplicate":
            first_seen = seen[1]
        elif seen is not None:
            report.refuse_row([_conflict(mapping, record, number, seen[1])])
        else:
            report.records_valid += 1
            if report.ok:
                yield record
    if first_seen is not None:
        report.add_duplicate(number, first_seen)


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
    date_order: str | None = None,
    jobs: int = 1,
) -> tuple[list[FeedbackRecord], ImportReport]:
    """All records of a small file in a list, with the report; the list is empty when the
    report says nothing may be stored."""
    report = ImportReport(source=source_name(source, name), mode=mode)
    records = list(
        read_feedback(
            source,
            spec,
            report,
            name=name,
            pseudonym_key=pseudonym_key,
            progress=progress,
            date_order=date_order,
            jobs=jobs,
        )
    )
    return (records if report.ok else []), report
