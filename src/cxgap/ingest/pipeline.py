"""A file in, valid feedback records out, and the report of everything else."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import chain, islice

from cxgap.errors import FieldProblem, ValidationError
from cxgap.ingest.encoding import REFUSED_SUMMARY, file_problem
from cxgap.ingest.parallel import Mapped, mapped_rows
from cxgap.ingest.profile import Profiler, profile_rows
from cxgap.ingest.records import FeedbackRecord
from cxgap.ingest.report import MAX_IDS_TRACKED, DuplicateFilter, ImportReport, Mode
from cxgap.ingest.resolve import ResolvedMapping, resolve_mapping
from cxgap.ingest.spec import MappingSpec
from cxgap.ingest.survey import complete_spec
from cxgap.ingest.tables import Progress, Row, Source, Table, open_table, source_name


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


class Rewind:
    """In a record stream: forget every record before this one (the file is read again)."""

    def __repr__(self) -> str:
        return "REWIND"


REWIND = Rewind()
# Rows whose values settle the detected fields before any row is mapped; a file this short
# or shorter is read once, whoever reads it.
SAMPLE_ROWS = 2_000


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

    A file whose fields are detected (a date column's format…) and that holds more than
    ``SAMPLE_ROWS`` rows is read twice: once to settle them, once to map the rows. A caller
    that can forget what it received reads it once with :func:`stream_feedback`.
    """
    options = StreamOptions(name, pseudonym_key, progress, date_order, jobs)
    for item in stream_feedback(source, spec, report, options, rewinds=False):
        if not isinstance(item, Rewind):  # never one here: rewinds=False
            yield item


@dataclass(frozen=True)
class StreamOptions:
    """How :func:`stream_feedback` reads: :func:`read_feedback`'s keyword arguments."""

    name: str | None = None
    pseudonym_key: str | bytes | None = None
    progress: Progress | None = None
    date_order: str | None = None
    jobs: int = 1


def stream_options(
    *,
    name: str | None = None,
    pseudonym_key: str | bytes | None = None,
    progress: Progress | None = None,
    date_order: str | None = None,
    jobs: int = 1,
) -> StreamOptions:
    """The options of :func:`stream_feedback`, as :func:`read_feedback` takes them."""
    return StreamOptions(name, pseudonym_key, progress, date_order, jobs)


def stream_feedback(
    source: Source,
    spec: MappingSpec,
    report: ImportReport,
    options: StreamOptions,
    *,
    rewinds: bool = True,
) -> Iterator[FeedbackRecord | Rewind]:
    """:func:`read_feedback` reading the file once, with ``rewinds``: the detected fields
    are settled on its first ``SAMPLE_ROWS`` rows, the rows mapped with them while the
    profile of the rest is still taken, and the spec the whole profile gives compared at
    the end with the one used. The same (nearly always): done, in one read. Another (a
    value that settles a date's order late in the file): the stream yields ``REWIND``,
    after which the caller forgets every record it received, the report starts again and
    the file is read again with the whole file's spec, as :func:`read_feedback` does."""
    try:
        yield from _stream(source, spec, report, options, rewinds)
    except ValidationError as exc:
        report.refuse_file(exc.problems)
        return
    if report.rows_read == 0:
        problem = file_problem(
            "has no data rows", source=report.source, code="no_rows", reason="no_rows"
        )
        report.refuse_file([problem])


def _stream(
    source: Source, spec: MappingSpec, report: ImportReport, options: StreamOptions, rewinds: bool
) -> Iterator[FeedbackRecord | Rewind]:
    start = None if isinstance(source, (str, os.PathLike)) else source.tell()
    if not any(fmap.detect for fmap in spec.fields.values()):
        yield from _mapped_file(source, spec, report, options)
        return
    # Read twice (no rewinds): the first read's progress counts only if it is the only one.
    held = _HeldProgress(options.progress) if options.progress and not rewinds else None
    with open_table(
        source, spec.read, name=options.name, progress=held or options.progress
    ) as table:
        # Where only the date column is detected, only its date evidence is read.
        dates_only = not any(f.detect and n != "collected_at" for n, f in spec.fields.items())
        profiler = Profiler(_profiled_columns(spec, table.header), dates_only=dates_only)
        rows = _profiled(table, profiler)
        sample = list(islice(rows, SAMPLE_ROWS))
        whole = len(sample) < SAMPLE_ROWS  # the sample is the whole file
        if held is not None:
            held.settle(report=whole)
        first, problems = _completed(spec, table, profiler, options)
        if not problems and (whole or rewinds):
            mapping = _resolved(first, table, options)
            mapped = mapped_rows(mapping, chain(sample, rows), jobs=options.jobs)
            if whole:
                yield from _records(mapped, mapping, report)
                return
            try:
                yield from _records(mapped, mapping, report)
            except ValidationError:  # e.g. a broken quote far in: refused with no rows read
                yield REWIND
                report.restart()
                raise
            final, problems = _completed(spec, table, profiler, options)
            if final == first and not problems:
                return
            yield REWIND
            report.restart()
        else:
            for _ in rows:  # the rest of the profile: the first of two reads
                pass
            final, problems = _completed(spec, table, profiler, options)
    if problems:
        raise ValidationError(problems, summary=REFUSED_SUMMARY)
    if start is not None and not isinstance(source, (str, os.PathLike)):
        source.seek(start)
    yield from _mapped_file(source, final, report, options)


class _HeldProgress:
    """Progress held back until the read is known to be the only one (the whole file was
    the sample: replayed, then passed on) or the first of two (dropped: the second read
    reports from zero, so a progress bar never goes back)."""

    def __init__(self, progress: Progress) -> None:
        self.progress: Progress | None = progress
        self.calls: list[tuple[int, int, int]] | None = []

    def settle(self, *, report: bool) -> None:
        calls, self.calls = self.calls or [], None
        if not report:
            self.progress = None
        elif self.progress is not None:
            for call in calls:
                self.progress(*call)

    def __call__(self, rows: int, done: int, total: int) -> None:
        if self.calls is not None:
            self.calls.append((rows, done, total))
        elif self.progress is not None:
            self.progress(rows, done, total)


def _profiled(table: Table, profiler: Profiler) -> Iterator[Row]:
    """The table's rows, each readable one added to the profile as it goes by."""
    add = profiler.add
    for row in table:
        if row[1].defect is None:
            add(row[1])
        yield row


def _completed(
    spec: MappingSpec, table: Table, profiler: Profiler, options: StreamOptions
) -> tuple[MappingSpec, list[FieldProblem]]:
    return complete_spec(
        spec,
        table.header,
        profiler.profile,
        tags=table.tags,
        labels=table.labels,
        date_order=options.date_order,
        source=table.name,
    )


def _resolved(spec: MappingSpec, table: Table, options: StreamOptions) -> ResolvedMapping:
    return resolve_mapping(
        spec,
        table.header,
        tags=table.tags,
        header_complete=table.header_complete,
        timezone_hint=table.timezone,
        source=table.name,
        pseudonym_key=options.pseudonym_key,
        labels=table.labels,
        surrogate_free=table.surrogate_free,
    )


def _mapped_file(
    source: Source, spec: MappingSpec, report: ImportReport, options: StreamOptions
) -> Iterator[FeedbackRecord]:
    """The records of a file whose spec is settled, in one read."""
    with open_table(source, spec.read, name=options.name, progress=options.progress) as table:
        mapping = _resolved(spec, table, options)
        yield from _records(mapped_rows(mapping, table, jobs=options.jobs), mapping, report)


def _records(
    responses: Iterable[Mapped], mapping: ResolvedMapping, report: ImportReport
) -> Iterator[FeedbackRecord]:
    duplicates = DuplicateFilter()
    check = duplicates.check
    for number, response in responses:
        report.rows_read += 1
        records = response.records
        if len(records) == 1 and not response.problems:
            # _new_records for the row of one record (nearly every row), without a
            # generator a row
            record = records[0]
            seen = check(record, number)
            if seen is None:
                report.records_valid += 1
                if report.ok:
                    yield record
            elif seen[0] == "duplicate":
                report.add_duplicate(number, seen[1])
            else:
                report.refuse_row([_conflict(mapping, record, number, seen[1])])
            continue
        if response.problems:
            report.refuse_row(list(response.problems))
        elif response.blank:
            report.skipped_blank += 1
        yield from _new_records(records, number, mapping, report, duplicates)
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
