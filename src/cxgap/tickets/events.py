"""An events CSV, one row per thing that happened on a ticket, turned into cases.

Columns: ticket ``id``, ``at``, ``type`` (``created``, ``reply``, ``note``, ``status``), ``by``
(``agent``, ``customer``, ``system``…), ``public`` and ``status``; ticket attributes
(``priority``, ``channel``, ``team``…) may sit on any row of the ticket, the first value wins.
A ticket without a ``created`` row is taken as created at its first event (counted).
Every metric is measured: the file gives the whole conversation.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import TypeVar

from cxgap.ingest.tables import RowValues
from cxgap.sla.cases import Case, Event
from cxgap.tickets import values
from cxgap.tickets.problems import Tally, refuse
from cxgap.tickets.rows import RowReader, identified_rows

T = TypeVar("T")
TYPES: Mapping[str, str] = {
    "created": "created", "creation": "created", "opened": "created", "ouverture": "created",
    "reply": "reply", "comment": "reply", "message": "reply", "reponse": "reply",
    "note": "note", "internal note": "note", "note interne": "note",
    "status": "status", "statut": "status",
}  # fmt: skip
AUTHORS: Mapping[str, str] = {
    "agent": "agent", "member": "agent", "membre": "agent", "admin": "agent",
    "customer": "customer", "requester": "customer", "end user": "customer",
    "client": "customer", "demandeur": "customer", "system": "system", "systeme": "system",
    "automation": "system", "bot": "system",
}  # fmt: skip
FLAGS: Mapping[str, bool] = {
    "true": True, "yes": True, "1": True, "oui": True, "vrai": True,
    "false": False, "no": False, "0": False, "non": False, "faux": False,
}  # fmt: skip


class _Ticket:
    def __init__(self, case_id: str) -> None:
        self.id = case_id
        self.created: datetime | None = None
        self.events: list[Event] = []
        self.attributes: dict[str, object] = {}


def event_cases(
    rows: Sequence[tuple[int, RowValues]], reader: RowReader, tally: Tally
) -> list[Case]:
    tickets: dict[str, _Ticket] = {}
    for number, row, case_id in identified_rows(rows, reader, tally):
        ticket = tickets.setdefault(case_id, _Ticket(case_id))
        _read_row(ticket, row, number, reader)
    return [_case(t, tally, reader.source) for t in tickets.values()]


def _read_row(ticket: _Ticket, row: RowValues, number: int, reader: RowReader) -> None:
    at = reader.instant(row, number, "at")
    if at is None:
        refuse(reader.source, "required", None, row=number, column=reader.columns["at"])
    kind = _choice(reader, row, number, "type", TYPES)
    for name in ("priority", "channel", "team", "assignee", "tier", "account"):
        text = reader.cell(row, name)
        if text is not None and name not in ticket.attributes:
            ticket.attributes[name] = _attribute(name, text)
    if kind == "created":
        ticket.created = at if ticket.created is None else min(ticket.created, at)
    elif kind == "status":
        text = reader.cell(row, "status")
        column = reader.columns.get("status", "status")
        if text is None:
            refuse(reader.source, "required", None, row=number, column=column)
        state = values.status(text)
        ticket.events.append(Event(at, "status", status=state))
    else:
        by = _choice(reader, row, number, "by", AUTHORS)
        public = kind == "reply"  # a reply is public, a note internal, unless a cell says
        if reader.cell(row, "public") is not None:
            public = _choice(reader, row, number, "public", FLAGS)
        ticket.events.append(Event(at, kind, by=by, public=public, auto=by == "system"))


def _choice(reader: RowReader, row: RowValues, number: int, name: str, known: Mapping[str, T]) -> T:
    text = reader.cell(row, name)
    column = reader.columns.get(name, name)
    if text is None:
        refuse(reader.source, "required", None, row=number, column=column)
    found = known.get(values.words(text))
    if found is None:
        choices = ", ".join(sorted({str(v).lower() for v in known.values()}))
        refuse(reader.source, "choice", text, row=number, column=column, choices=choices)
    return found


def _attribute(name: str, text: str) -> object:
    if name == "priority":
        return values.priority(text)
    if name == "channel":
        return values.channel(text)
    return text.strip()


def _case(ticket: _Ticket, tally: Tally, source: str) -> Case:
    events = sorted(ticket.events, key=lambda e: e.at)  # stable: file order kept
    created = ticket.created
    if created is None:
        created = events[0].at if events else None
        tally.defaulted["created_at_first_event"] += 1
    if created is None:  # a ticket whose only row is its creation has a time: never here
        refuse(source, "required", ticket.id, column="created")
    if events and events[0].at < created:
        refuse(source, "before_created", ticket.id, column="at")
    attributes = dict(ticket.attributes)
    if attributes.get("priority") is None:
        tally.defaulted["priority"] += 1
        attributes["priority"] = values.DEFAULT_PRIORITY
    account = attributes.get("account")
    return Case(
        ticket.id, created, attributes, events, account if isinstance(account, str) else None
    )
