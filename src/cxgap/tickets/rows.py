"""Ticket rows (a Zendesk view export or a mapped CSV) turned into cases.

A row gives instants or durations, never the conversation, so each case gets at most two
events: the first public agent reply and the first resolution. Decisions:

- The first reply is ``first_reply_at``, else ``created_at`` + the *calendar* minutes of
  ``first_reply_minutes`` (elapsed time gives the instant, to the minute). Zendesk's
  "…within business hours" columns are left aside: they count Zendesk's schedule, and the
  policy's calendar measures business time again from the instants.
- The first resolution is ``first_resolved_at``, else ``created_at`` + ``first_resolution_minutes``,
  else ``solved_at`` — except after a reopening (``reopens`` > 0), where ``solved_at`` is the
  last solve, not the first: the resolution is then not measured.
- Next responses need each customer message: never measured from rows. The resolution needs
  the pending spans: not measured when the row shows pending time it cannot place
  (``pending_minutes`` > 0), nor from a Zendesk export without that column, nor from
  Freshdesk's export, which has none.
- Such metrics are listed in the case's ``unmeasured`` attribute; compliance leaves them out.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo

from cxgap.ingest.tables import RowValues
from cxgap.sla.cases import Case, Event
from cxgap.tickets import values
from cxgap.tickets.problems import Tally, refuse

DATE_FIELDS = ("created_at", "first_reply_at", "first_resolved_at", "solved_at")
# Help desks with a pending status: without its time, the resolution cannot be measured.
HAS_PENDING = ("zendesk-csv", "freshdesk-csv")


@dataclass(frozen=True)
class RowReader:
    """How to read the rows of one file."""

    source: str
    layout: str
    columns: Mapping[str, str]
    formats: tuple[str, ...]
    zone: tzinfo | None

    def cell(self, row: RowValues, name: str) -> str | None:
        column = self.columns.get(name)
        text = None if column is None else row.get(column)
        return text if text is not None and text.strip() else None

    def instant(self, row: RowValues, number: int, name: str) -> datetime | None:
        text = self.cell(row, name)
        if text is None:
            return None
        column = self.columns[name]
        return values.instant(
            text, self.formats, self.zone, source=self.source, row=number, column=column
        )

    def minutes(self, row: RowValues, number: int, name: str) -> float | None:
        text = self.cell(row, name)
        if text is None:
            return None
        return values.minutes(text, source=self.source, row=number, column=self.columns[name])


def ticket_cases(
    rows: Sequence[tuple[int, RowValues]], reader: RowReader, tally: Tally
) -> list[Case]:
    cases: list[Case] = []
    seen: set[str] = set()
    for number, row, case_id in identified_rows(rows, reader, tally):
        if case_id in seen:
            refuse(reader.source, "duplicate_id", case_id, row=number, column=reader.columns["id"])
        seen.add(case_id)
        cases.append(ticket_case(case_id, row, number, reader, tally))
    return cases


def identified_rows(
    rows: Sequence[tuple[int, RowValues]], reader: RowReader, tally: Tally
) -> Iterator[tuple[int, RowValues, str]]:
    """The rows that name a ticket, with its id; the others counted in ``tally`` as skipped
    (a ragged or blank row, a row without an id), every row counted as read."""
    for number, row in rows:
        tally.rows += 1
        if row.defect is not None:
            tally.skipped[row.defect[0]] += 1
            continue
        case_id = reader.cell(row, "id")
        if case_id is None:
            tally.skipped["no_id"] += 1
            continue
        yield number, row, case_id.strip()


def ticket_case(case_id: str, row: RowValues, number: int, reader: RowReader, tally: Tally) -> Case:
    created = reader.instant(row, number, "created_at")
    if created is None:
        refuse(reader.source, "required", None, row=number, column=reader.columns["created_at"])
    replied = _after(created, reader, row, number, "first_reply_at", "first_reply_minutes")
    resolved, unmeasured = _resolution(created, reader, row, number)
    events = []
    if replied is not None:
        events.append(Event(replied, "reply", by="agent", public=True))
    if resolved is not None:
        events.append(Event(resolved, "status", status="resolved"))
    unmeasured = ["next_response", *unmeasured]
    for metric in unmeasured:
        tally.unmeasured[metric] += 1
    attributes = _attributes(row, reader, tally)
    attributes["unmeasured"] = unmeasured
    account = attributes.get("account")
    return Case(
        case_id,
        created,
        attributes,
        sorted(events, key=lambda e: e.at),
        account if isinstance(account, str) else None,
    )


def _after(
    created: datetime,
    reader: RowReader,
    row: RowValues,
    number: int,
    at_field: str,
    minutes_field: str,
) -> datetime | None:
    """The instant of ``at_field``, else ``created`` + the calendar minutes of
    ``minutes_field`` (if one is named); refused before the creation."""
    when = reader.instant(row, number, at_field)
    used = at_field
    if when is None and minutes_field:
        spent = reader.minutes(row, number, minutes_field)
        when = None if spent is None else created + timedelta(minutes=spent)
        used = minutes_field
    if when is not None and when < created:
        refuse(reader.source, "before_created", reader.cell(row, used), row=number,
               column=reader.columns[used])  # fmt: skip
    return when


def _resolution(
    created: datetime, reader: RowReader, row: RowValues, number: int
) -> tuple[datetime | None, list[str]]:
    """The first resolution and, when it cannot be measured, ``["resolution"]``."""
    resolved = _after(created, reader, row, number, "first_resolved_at", "first_resolution_minutes")
    if resolved is None and reader.cell(row, "solved_at") is not None:
        reopens = reader.minutes(row, number, "reopens") or 0
        if reopens > 0:
            return None, ["resolution"]
        resolved = _after(created, reader, row, number, "solved_at", "")
    pending = reader.minutes(row, number, "pending_minutes")
    no_pending_column = reader.layout in HAS_PENDING and "pending_minutes" not in reader.columns
    if (pending or 0) > 0 or no_pending_column:
        return resolved, ["resolution"]
    status_text = reader.cell(row, "status")
    if resolved is None and status_text is not None:
        current = values.status(status_text)
        # solved but the file does not say when, or a custom status that may be a solved one
        if current not in values.UNSOLVED:
            return None, ["resolution"]
    return resolved, []


def _attributes(row: RowValues, reader: RowReader, tally: Tally) -> dict[str, object]:
    attributes: dict[str, object] = {}
    priority = values.priority(reader.cell(row, "priority"))
    if priority is None:
        tally.defaulted["priority"] += 1
        priority = values.DEFAULT_PRIORITY
    attributes["priority"] = priority
    channel = values.channel(reader.cell(row, "channel"))
    if channel is not None:
        attributes["channel"] = channel
    for name in ("team", "assignee", "tier", "account"):
        text = reader.cell(row, name)
        if text is not None:
            attributes[name] = text.strip()
    return attributes
