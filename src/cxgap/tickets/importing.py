"""Reading a ticket file into cases, whatever its layout (``docs/sla.md``)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import tzinfo
from pathlib import Path

from cxgap.ingest.tables import ReadOptions, RowValues, open_table
from cxgap.sla.cases import Case
from cxgap.tickets import values
from cxgap.tickets.events import event_cases
from cxgap.tickets.fields import columns_of, detect_layout
from cxgap.tickets.problems import Tally, refuse
from cxgap.tickets.rows import DATE_FIELDS, RowReader, ticket_cases
from cxgap.tickets.zendesk_audits import audits_of, roles_of
from cxgap.tickets.zendesk_json import (
    metric_events_of,
    parse_json_lines,
    tickets_of,
    zendesk_json_cases,
)

PRESETS: tuple[str, ...] = ("zendesk-csv", "zendesk-json", "freshdesk-csv", "mapped", "events")
JSON_SUFFIXES = (".json", ".jsonl", ".ndjson")
SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm")


@dataclass(frozen=True)
class Imported:
    """The cases read from a file, its layout, and what was skipped, defaulted, unmeasured."""

    layout: str
    cases: list[Case]
    tally: Tally = field(default_factory=Tally)
    # For storing the cases (``cxgap cases import``): each ticket's first row in the file and
    # its current status as the file says it (a ticket row's ``status`` column).
    rows: Mapping[str, int] = field(default_factory=dict)
    statuses: Mapping[str, str] = field(default_factory=dict)
    columns: Mapping[str, str] = field(default_factory=dict)  # field → the file's column
    # Each ticket's subject when the file gives one (its first non-blank): the case's title.
    # Customers' words: never logged, never in an error message.
    subjects: Mapping[str, str] = field(default_factory=dict)


def import_tickets(
    path: Path,
    *,
    preset: str | None = None,
    mapping: Mapping[str, str] | None = None,
    zone: tzinfo | None = None,
    date_order: str | None = None,
    history: Sequence[Path] = (),
) -> Imported:
    """The file's tickets as cases. ``preset`` None: JSON by its name, a CSV by its header."""
    source = path.name
    if preset is not None and preset not in PRESETS:
        refuse(source, "preset", preset, column="--preset", choices=", ".join(PRESETS))
    if preset == "zendesk-json" or (preset is None and path.suffix.lower() in JSON_SUFFIXES):
        return _zendesk_json(path, history)
    sheet = path.suffix.lower() in SPREADSHEET_SUFFIXES  # Zendesk Explore exports Excel
    with open_table(path, ReadOptions(format="xlsx" if sheet else "csv")) as table:
        header = list(table.header)
        rows: list[tuple[int, RowValues]] = list(table)
    layout = preset or detect_layout(header)
    columns = columns_of(header, source=source, layout=layout, mapping=mapping or {})
    dated = [c for f, c in columns.items() if f in (*DATE_FIELDS, "at")]
    cells = [row[c] or "" for _, row in rows for c in dated]
    formats = values.date_formats(cells, source=source, column=", ".join(dated), order=date_order)
    reader = RowReader(source, layout, columns, formats, zone)
    tally = Tally()
    read = event_cases if layout == "events" else ticket_cases
    cases = read(rows, reader, tally)
    first, statuses, subjects = _places(rows, reader)
    kept = {} if layout == "events" else statuses
    return Imported(layout, cases, tally, first, kept, dict(columns), subjects)


def _places(
    rows: Sequence[tuple[int, RowValues]], reader: RowReader
) -> tuple[dict[str, int], dict[str, str], dict[str, str]]:
    """Each ticket's first row number, its status column's value (the last row's) and its
    subject (the first given)."""
    first: dict[str, int] = {}
    statuses: dict[str, str] = {}
    subjects: dict[str, str] = {}
    for number, row in rows:
        case_id = None if row.defect is not None else reader.cell(row, "id")
        if case_id is None:
            continue
        first.setdefault(case_id.strip(), number)
        text = reader.cell(row, "status")
        if text is not None:
            statuses[case_id.strip()] = values.status(text)
        subject = reader.cell(row, "subject")
        if subject is not None:
            subjects.setdefault(case_id.strip(), subject)
    return first, statuses, subjects


def _zendesk_json(path: Path, extra: Sequence[Path]) -> Imported:
    """The tickets, and the metric events, audits and users of this file and of ``extra``."""
    document = parse_json_lines(_text(path), path.name)
    events, audits, roles = metric_events_of(document), audits_of(document), roles_of(document)
    for more in extra:
        other = parse_json_lines(_text(more), more.name)
        events, audits = events + metric_events_of(other), audits + audits_of(other)
        roles |= roles_of(other)
    tally = Tally()
    tickets = tickets_of(document, path.name)
    cases = zendesk_json_cases(tickets, events, path.name, tally, audits=audits, roles=roles)
    return Imported("zendesk-json", cases, tally, subjects=_json_subjects(tickets))


def _json_subjects(tickets: Sequence[object]) -> dict[str, str]:
    """Each ticket's ``subject`` (else ``raw_subject``) when it is a non-blank text."""
    found: dict[str, str] = {}
    for raw in tickets:
        if not isinstance(raw, dict) or raw.get("id") is None:
            continue
        subject = next((raw[k] for k in ("subject", "raw_subject") if raw.get(k)), None)
        if isinstance(subject, str) and subject.strip():
            found.setdefault(str(raw["id"]), subject)
    return found


def _text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        refuse(path.name, "unreadable", None, error=type(exc).__name__)
