"""Importing one event file into a workspace: read, check, store, all or nothing.

The file streams through its reader and the converter straight into the store
(``db.event_writes.store_values``: ``COPY`` on PostgreSQL, one prepared ``INSERT`` run in
batches on SQLite), in the caller's transaction, so memory stays bounded by a batch.
The first refused row stops the storing; the rest of the file is still read to report
every problem (up to ``MAX_PROBLEMS``, the rest counted), then the import row and its
events are deleted and a ValidationError raised: a refused import leaves nothing stored.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import BinaryIO

from sqlalchemy import distinct, func, select
from sqlalchemy.orm import Session

from cxgap.db.event_reads import activity_mapping
from cxgap.db.event_tables import EventRow
from cxgap.db.event_writes import (
    delete_import,
    finish_import,
    set_activity_mapping,
    start_import,
    store_values,
)
from cxgap.errors import DateOrderError, FieldProblem, ValidationError
from cxgap.events.convert import EventConverter, EventValues
from cxgap.events.readers import EventTable, open_events
from cxgap.events.spec import ALL_PRESETS, Columns, EventSpec, detect_preset, resolve_columns
from cxgap.events.timestamps import TimestampReader, decide_formats, needs_whole_column
from cxgap.ingest.dateorder import DateEvidence
from cxgap.ingest.dates import zone
from cxgap.ingest.encoding import file_problem, refuse
from cxgap.ingest.tables import ReadOptions

MAX_PROBLEMS = 100
REFUSED = "Import of {name} refused, nothing was stored ({count:,} problems)"
Source = str | os.PathLike[str] | BinaryIO


@dataclass
class EventImportResult:
    """What an import stored and how it read the file."""

    import_id: int
    name: str
    preset: str
    format: str
    events: int
    cases: int
    columns: dict[str, str]
    attributes: list[str]
    date_formats: list[str]
    dropped: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, object]:
        return dataclasses.asdict(self)


@dataclass
class _Problems:
    kept: list[FieldProblem] = field(default_factory=list)
    total: int = 0

    def add(self, problems: list[FieldProblem]) -> None:
        self.total += len(problems)
        room = MAX_PROBLEMS - len(self.kept)
        if room > 0:
            self.kept.extend(problems[:room])


def choose_spec(table: EventTable, preset: str | None, spec: EventSpec | None) -> EventSpec:
    """The mapping file's spec, else the named preset, else the one the columns suggest."""
    if spec is not None:
        return spec
    name = preset or detect_preset(table.header)
    if name not in ALL_PRESETS:
        raise refuse(
            file_problem(
                f"preset must be one of {', '.join(ALL_PRESETS)}",
                source=table.name,
                value=name,
                code="choice",
                reason="event_preset",
                allowed=", ".join(ALL_PRESETS),
            )
        )
    return ALL_PRESETS[name]


def import_events(
    session: Session,
    workspace_id: int,
    source: Source,
    *,
    name: str | None = None,
    preset: str | None = None,
    spec: EventSpec | None = None,
    pseudonym_key: str | None = None,
    date_order: str | None = None,
) -> EventImportResult:
    """Import the file ``source`` into the workspace in the session's transaction; raises a
    ValidationError (nothing stored) when the file or any row is refused."""
    start = None if isinstance(source, (str, os.PathLike)) else source.tell()
    read = ReadOptions(**{k: v for k, v in (spec.read if spec else {}).items()})  # type: ignore[arg-type]
    with open_events(source, name=name, read=read) as table:
        chosen = choose_spec(table, preset, spec)
        columns = resolve_columns(chosen, table.header, source=table.name)
        formats = _formats(table, columns, chosen, date_order, source, start, read)
        touchpoints = {**activity_mapping(session, workspace_id), **chosen.activities}
        converter = EventConverter(
            columns,
            TimestampReader(formats, zone(chosen.timezone)),
            source=table.name,
            pseudonym_key=pseudonym_key,
            touchpoints=touchpoints,
            params_column=chosen.params_column,
            keep_contacts=chosen.keep_contacts,
        )
        import_id = start_import(session, workspace_id, table.name, chosen.name)
        problems = _Problems()
        stored = store_values(
            session, workspace_id, import_id, _converted(table, converter, problems)
        )
    if problems.total or not stored:
        delete_import(session, import_id)
        session.flush()
        if not problems.total:
            raise refuse(file_problem("holds no events", source=table.name, reason="no_events"))
        summary = REFUSED.format(name=table.name, count=problems.total)
        refusal = ValidationError(problems.kept, summary=summary)
        raise refusal.keyed("events_import.refused", name=table.name, count=problems.total)
    cases = session.scalar(
        select(func.count(distinct(EventRow.case_ref))).where(EventRow.import_id == import_id)
    )
    result = EventImportResult(
        import_id=import_id,
        name=table.name,
        preset=chosen.name,
        format=table.format,
        events=stored,
        cases=int(cases or 0),
        columns=dict(columns.fields),
        attributes=list(converter.attributes),
        date_formats=list(formats),
        dropped=list(converter.dropped),
    )
    report = {k: v for k, v in result.as_json().items() if k not in {"import_id", "events"}}
    finish_import(session, import_id, events=stored, cases=result.cases, skipped=0, report=report)
    if chosen.activities:
        set_activity_mapping(session, workspace_id, chosen.activities)
    return result


def _converted(
    table: EventTable, converter: EventConverter, problems: _Problems
) -> Iterator[EventValues]:
    """The rows' stored values in file order, until the first refused row; then every
    later row is still checked, to report its problems, but nothing more is stored."""
    convert = converter.convert
    for position, (number, values) in enumerate(table.rows):
        converted = convert(number, position, values)
        if isinstance(converted, list):
            problems.add(converted)
        elif not problems.total:
            yield converted


def _formats(
    table: EventTable,
    columns: Columns,
    spec: EventSpec,
    date_order: str | None,
    source: Source,
    start: int | None,
    read: ReadOptions,
) -> tuple[str, ...]:
    """The timestamp column's formats, decided on the sample, or on the whole column when
    the sample leaves the day/month order open."""
    column = columns.fields["timestamp"]
    order = date_order or spec.date_order
    sample = [v for _, row in table.sample if (v := row.get(column)) and v.strip()]
    try:
        if not spec.date_format and needs_whole_column(sample, order):
            return _whole_column(column, order, source, start, read, table.name)
        return decide_formats(sample, given=spec.date_format, order=order)
    except DateOrderError as exc:
        raise _date_refusal(exc, column, table.name) from None


def _whole_column(
    column: str,
    order: str | None,
    source: Source,
    start: int | None,
    read: ReadOptions,
    name: str,
) -> tuple[str, ...]:
    """Every value of the column seen (the file read once more, from its start), for the
    day/month order; the first reading carries on where it was."""
    stream = None if isinstance(source, (str, os.PathLike)) else source
    where = stream.tell() if stream is not None else 0
    if stream is not None:
        stream.seek(start or 0)
    evidence = DateEvidence()
    try:
        with open_events(source, name=name, read=read) as again:
            for _, row in again.rows:
                value = row.get(column)
                if value and value.strip():
                    evidence.add(value)
    finally:
        if stream is not None:
            stream.seek(where)
    return evidence.formats(chosen=order)


def _date_refusal(exc: DateOrderError, column: str, name: str) -> ValidationError:
    problem = FieldProblem(
        column,
        str(exc),
        None,
        source=name,
        code=exc.code,
        params={"reason": f"event_{exc.code}", "column": column},
    )
    return ValidationError([problem], summary=f"Import of {name} refused, nothing was stored")
