"""Availability incidents: downtime for some accounts or all, behind the service credits.

Entered one by one or imported from a CSV file with the columns ``start,end,accounts,note``
(``accounts``: ``all`` or keys separated by ``;`` or spaces); instants are ISO 8601, one
without an offset read in the calendar's time zone. A file with any bad row is refused whole,
each problem naming its row, column and value, and nothing is stored.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from cxgap.db.tables import AvailabilityIncident, Workspace
from cxgap.errors import FieldProblem, NotFoundError, ValidationError
from cxgap.i18n import translate
from cxgap.services.service_accounts import list_accounts
from cxgap.services.service_levels import load_service_levels
from cxgap.sla.credits import Incident
from cxgap.sla.reading import Reader, read_zone

COLUMNS = ("start", "end", "accounts", "note")
MAX_ROWS = 10_000
MAX_NOTE = 2000


@dataclass(frozen=True)
class IncidentView:
    id: int
    start: datetime
    end: datetime
    accounts: list[str] | None  # None: every account
    note: str

    @property
    def minutes(self) -> float:
        return (self.end - self.start).total_seconds() / 60

    def as_incident(self) -> Incident:
        return Incident(
            self.start, self.end, None if self.accounts is None else frozenset(self.accounts)
        )


@dataclass(frozen=True)
class IncidentInput:
    start: str
    end: str
    accounts: str
    note: str = ""


def _problem(
    field: str, code: str, value: object, row: int | None = None, **params: object
) -> FieldProblem:
    message = translate(f"sla.reason.{code}", "en", **params)
    return FieldProblem(
        field, message, value, row, source="incidents", code=code, params={"code": code, **params}
    )


def _view(row: AvailabilityIncident) -> IncidentView:
    accounts = None if row.accounts is None else list(json.loads(row.accounts))
    return IncidentView(row.id, row.start, row.end, accounts, row.note)


def list_incidents(session: Session, *, workspace: Workspace) -> list[IncidentView]:
    rows = session.scalars(
        select(AvailabilityIncident)
        .where(AvailabilityIncident.workspace_id == workspace.id)
        .order_by(AvailabilityIncident.start.desc(), AvailabilityIncident.id)
    ).all()
    return [_view(r) for r in rows]


def _zone(session: Session, workspace: Workspace) -> ZoneInfo:
    calendar = load_service_levels(session, workspace=workspace).document["calendar"]
    return read_zone(Reader("service levels"), calendar.get("timezone"), "calendar.timezone")


def _instant(value: str, field: str, zone: ZoneInfo, row: int | None) -> datetime | FieldProblem:
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError:
        return _problem(field, "instant", value, row)
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=zone)


def _accounts(value: str, known: set[str], row: int | None) -> list[str] | FieldProblem | None:
    text = value.strip()
    if text.lower() in {"all", "tous", "toutes", "*"}:
        return None
    keys = sorted({k for k in text.replace(";", " ").replace(",", " ").split() if k})
    if not keys:
        return _problem("accounts", "required", value, row)
    unknown = [k for k in keys if k not in known]
    if unknown:
        return _problem("accounts", "unknown_account", ", ".join(unknown), row)
    return keys


def _read(
    item: IncidentInput, zone: ZoneInfo, known: set[str], row: int | None
) -> tuple[AvailabilityIncident | None, list[FieldProblem]]:
    start = _instant(item.start, "start", zone, row)
    end = _instant(item.end, "end", zone, row)
    accounts = _accounts(item.accounts, known, row)
    problems = [p for p in (start, end, accounts) if isinstance(p, FieldProblem)]
    if len(item.note) > MAX_NOTE:
        problems.append(_problem("note", "too_long", item.note[:40] + "…", row, limit=MAX_NOTE))
    if problems or not isinstance(start, datetime) or not isinstance(end, datetime):
        return None, problems
    if end <= start:
        return None, [_problem("end", "end_before_start", item.end, row)]
    stored = None if accounts is None else json.dumps(accounts)
    return AvailabilityIncident(start=start, end=end, accounts=stored, note=item.note.strip()), []


def add_incident(session: Session, *, workspace: Workspace, item: IncidentInput) -> IncidentView:
    known = {a.key for a in list_accounts(session, workspace=workspace)}
    row, problems = _read(item, _zone(session, workspace), known, None)
    if row is None:
        raise ValidationError(problems, summary="the incident cannot be saved")
    row.workspace_id = workspace.id
    session.add(row)
    session.flush()
    return _view(row)


def delete_incident(session: Session, *, workspace: Workspace, incident_id: int) -> None:
    row = session.get(AvailabilityIncident, incident_id)
    if row is None or row.workspace_id != workspace.id:
        raise NotFoundError(f"no incident {incident_id}")
    session.delete(row)
    session.flush()


def _rows(text: str) -> list[dict[str, str]]:
    dialect = (
        ";" if text.partition("\n")[0].count(";") > text.partition("\n")[0].count(",") else ","
    )
    reader = csv.DictReader(io.StringIO(text), delimiter=dialect)
    headers = [h.strip().lower() for h in reader.fieldnames or []]
    missing = [c for c in ("start", "end", "accounts") if c not in headers]
    if missing:
        raise ValidationError(
            [_problem(missing[0], "missing_column", missing[0], columns=", ".join(COLUMNS))],
            summary="the incidents file cannot be read",
        )
    rows = []
    for raw in reader:
        rows.append({(k or "").strip().lower(): (v or "") for k, v in raw.items() if k is not None})
    if len(rows) > MAX_ROWS:
        raise ValidationError([_problem("(file)", "too_many_rows", len(rows), limit=MAX_ROWS)])
    return rows


def import_incidents_csv(session: Session, *, workspace: Workspace, data: bytes) -> int:
    """Store every incident of the file, or none (problems: row 2 is the first data row)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValidationError([_problem("(file)", "encoding", f"byte {exc.start}")]) from None
    zone, problems, stored = _zone(session, workspace), [], []
    known = {a.key for a in list_accounts(session, workspace=workspace)}
    for number, raw in enumerate(_rows(text), start=2):
        item = IncidentInput(
            raw.get("start", ""), raw.get("end", ""), raw.get("accounts", ""), raw.get("note", "")
        )
        row, found = _read(item, zone, known, number)
        problems += found
        if row is not None:
            stored.append(row)
    if problems:
        raise ValidationError(problems, summary="the incidents file cannot be imported")
    for row in stored:
        row.workspace_id = workspace.id
        session.add(row)
    session.flush()
    return len(stored)
