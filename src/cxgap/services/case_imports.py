"""Past help-desk tickets imported as stored cases (``cxgap cases import``, docs/cases.md).

The file is read by ``cxgap.tickets`` (the Zendesk and Freshdesk presets, a mapped CSV, an
events CSV, Zendesk's JSON), then each ticket becomes a case: its status, priority, channel,
account and team (when the workspace has a team of that key or name), and its history — the
creation, the replies and notes, the status changes — so the case SLA engine measures the
past like the present, and the Credits and compliance page counts it.

- **Idempotent** on the ticket id (``cases.ticket_ref``): importing the file again updates the
  case and replaces the events the import wrote; what members added since is kept.
- **Atomic**: the whole file is read and checked before anything is written, and the caller's
  transaction stores all of it or nothing; a bad row is refused naming the file, the row, the
  column and the value (``sla.tickets.reason.*``, French and English).
- Metrics a row cannot measure (``cxgap.tickets``: next responses from a ticket row, a
  resolution after pending time) are remembered on the creation event and left out of the
  credits and compliance, as ``cxgap sla compliance`` leaves them out.
- No webhook fires for the past: the metrics already missed are marked announced.
- A case is titled with the ticket's subject when the file has one (Zendesk's and Freshdesk's
  ``Subject``, a mapped ``subject``, the JSON's ``subject``), else "Ticket <id>"; the subject
  is the customer's words: never logged.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from cxgap.db.tables import CaseEvent, CaseRow, Team, Workspace
from cxgap.services import case_sla, cases
from cxgap.sla.cases import Case, Event
from cxgap.sla.clock import Status
from cxgap.tickets.importing import Imported, import_tickets
from cxgap.tickets.problems import refuse

# A help desk's statuses the case model has no word for: waiting on a third party is still
# the company's turn.
_STATUS_AS = {"on_hold": "open", "hold": "open", "pending": "pending_customer"}
IMPORTED = "imported"  # the key of ``fields`` that marks an event the import wrote


@dataclass(frozen=True)
class CaseImport:
    """What an import stored: cases created and updated, and what the reading counted."""

    layout: str
    created: int
    updated: int
    report: dict[str, object]


@dataclass(frozen=True)
class _Planned:
    ticket: Case
    status: str
    priority: str
    closed_at: datetime | None
    subject: str


def import_ticket_cases(
    session: Session,
    *,
    workspace: Workspace,
    path: Path,
    preset: str | None = None,
    mapping: Mapping[str, str] | None = None,
    date_order: str | None = None,
    history: Sequence[Path] = (),
    now: datetime | None = None,
) -> CaseImport:
    """Store the tickets of ``path`` as cases of ``workspace`` (dates without an offset read
    in the workspace calendar's zone). Raises ``ValidationError`` before writing anything."""
    zone = case_sla.zone_of(session, workspace.id)
    imported = import_tickets(
        path, preset=preset, mapping=mapping, zone=zone, date_order=date_order, history=history
    )
    planned = [_plan(imported, ticket, path.name) for ticket in imported.cases]
    teams = _teams(session, workspace)
    existing = _existing(session, workspace, [p.ticket.id for p in planned])
    number = cases.next_number(session, workspace.id)
    created = unknown_teams = 0
    rows: list[CaseRow] = []
    for plan in planned:
        row = existing.get(plan.ticket.id)
        if row is None:
            row = CaseRow(workspace_id=workspace.id, number=number, ticket_ref=plan.ticket.id)
            session.add(row)
            number, created = number + 1, created + 1
        team = plan.ticket.attributes.get("team")
        row.team_id = teams.get(str(team).strip().lower()) if team else row.team_id
        unknown_teams += bool(team) and row.team_id is None
        _fill(row, plan)
        rows.append(row)
    session.flush()
    _write_events(session, rows, planned, imported.layout)
    _mark_announced(session, workspace, rows, now or cases.now_utc())
    report = {
        "layout": imported.layout,
        **imported.tally.as_json(len(planned)),
        "created": created,
        "updated": len(planned) - created,
        "unknown_teams": unknown_teams,
    }
    return CaseImport(imported.layout, created, len(planned) - created, report)


def _plan(imported: Imported, ticket: Case, source: str) -> _Planned:
    """The case a ticket becomes; a priority the case model does not know is refused."""
    row = imported.rows.get(ticket.id)
    priority = str(ticket.attributes.get("priority") or "normal")
    priority = {"medium": "normal"}.get(priority, priority)
    if priority not in cases.PRIORITIES:
        refuse(source, "case_priority", ticket.attributes.get("priority"), row=row,
               column=imported.columns.get("priority", "priority"),
               choices=", ".join(cases.PRIORITIES))  # fmt: skip
    status, closed_at = _status(ticket, imported.statuses.get(ticket.id))
    return _Planned(ticket, status, priority, closed_at, subject_of(imported, ticket.id))


def subject_of(imported: Imported, ticket_id: str) -> str:
    """The file's subject of the ticket, on one line and at most as long as a case's; else
    "Ticket <id>"."""
    given = " ".join((imported.subjects.get(ticket_id) or "").split())
    return (given or f"Ticket {ticket_id}")[: cases.MAX_SUBJECT]


def _status(ticket: Case, said: str | None) -> tuple[str, datetime | None]:
    """The file's status (else the last status event; else open once answered, new before),
    in the case model's words; closed at the last resolving event, if known."""
    changes = [e for e in ticket.events if e.type == "status" and e.status]
    status = said or (changes[-1].status if changes else None)
    if status is None:
        status = "open" if any(e.type == "reply" for e in ticket.events) else "new"
    status = _STATUS_AS.get(status, status)
    if status not in cases.STATUSES:
        status = "open"  # a custom status: the engine still reads it from the events
    closing = [e.at for e in changes if e.status in cases.CLOSED]
    return status, (closing[-1] if closing and status in cases.CLOSED else None)


def _teams(session: Session, workspace: Workspace) -> dict[str, int]:
    found: dict[str, int] = {}
    for team in session.scalars(select(Team).where(Team.workspace_id == workspace.id)):
        found.setdefault(team.name.strip().lower(), team.id)
        found[team.key.lower()] = team.id
    return found


def _existing(session: Session, workspace: Workspace, refs: list[str]) -> dict[str, CaseRow]:
    found: dict[str, CaseRow] = {}
    for start in range(0, len(refs), 500):
        query = select(CaseRow).where(
            CaseRow.workspace_id == workspace.id, CaseRow.ticket_ref.in_(refs[start : start + 500])
        )
        found |= {row.ticket_ref or "": row for row in session.scalars(query)}
    return found


def _fill(row: CaseRow, plan: _Planned) -> None:
    ticket, attributes = plan.ticket, plan.ticket.attributes
    row.subject = plan.subject
    row.account = (ticket.account or "").strip()[:200] or None
    row.priority, row.status, row.closed_at = plan.priority, plan.status, plan.closed_at
    channel = attributes.get("channel")
    row.channel = str(channel)[:200] if channel else None
    row.created_at = ticket.created_at
    latest = max([ticket.created_at, *(e.at for e in ticket.events)])
    row.updated_at = latest if row.updated_at is None else max(row.updated_at, latest)
    row.breached = list(row.breached or [])


def _write_events(
    session: Session, rows: Sequence[CaseRow], planned: Sequence[_Planned], layout: str
) -> None:
    """Each case's imported history, replacing what an earlier import of it wrote."""
    ids = [r.id for r in rows]
    for start in range(0, len(ids), 500):
        query = select(CaseEvent).where(CaseEvent.case_id.in_(ids[start : start + 500]))
        for event in session.scalars(query):
            if (event.fields or {}).get(IMPORTED):
                session.delete(event)
    session.flush()
    for row, plan in zip(rows, planned, strict=True):
        unmeasured = plan.ticket.attributes.get("unmeasured")
        fields: dict[str, object] = {IMPORTED: layout, "ticket": plan.ticket.id}
        if isinstance(unmeasured, list) and unmeasured:
            fields["unmeasured"] = [str(m) for m in unmeasured]
        session.add(_event(row, plan.ticket.created_at, "created", "system", fields=fields))
        session.add_all(_stored(row, e) for e in plan.ticket.events)


def _stored(row: CaseRow, event: Event) -> CaseEvent:
    if event.type == "status":
        return _event(row, event.at, "status", "agent", status=(event.status or "")[:20])
    author = event.by if event.by in ("agent", "customer", "system") else "agent"
    kind = "reply" if event.type == "reply" else "note"
    return _event(row, event.at, kind, author, public=event.public, auto=event.auto)


def _event(row: CaseRow, at: datetime, kind: str, author: str, **values: object) -> CaseEvent:
    fields = values.pop("fields", None) or {IMPORTED: True}
    return CaseEvent(case_id=row.id, at=at, type=kind, author=author, fields=fields, **values)


def _mark_announced(
    session: Session, workspace: Workspace, rows: Sequence[CaseRow], now: datetime
) -> None:
    """The metrics already missed count as announced: ``case.breached`` is for breaches that
    happen from now on, not for the past."""
    for row, result in zip(
        rows, case_sla.evaluate_rows(session, workspace.id, rows, now), strict=True
    ):
        missed = [m.value for m, r in result.metrics.items() if r.status is Status.MISSED]
        row.breached = sorted(set(row.breached) | set(missed))
    session.flush()
