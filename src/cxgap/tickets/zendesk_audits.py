"""Zendesk ticket audits (``/api/v2/tickets/{id}/audits``, or the same objects gathered in one
file) replayed as a case's events: the conversation and the status history itself.

- The comment of the creating audit opens the ticket: it is no reply, even when an agent
  wrote it (a phone call logged), as Zendesk's own first reply time has it.
- Any other ``Comment`` event is a reply when public, else an internal note. Its author is the
  customer when it is the ticket's requester, else as the ``users`` of the document say
  (``role`` ``end-user`` → customer, ``agent`` or ``admin`` → agent); an author the file does
  not describe is taken as an agent and counted (``defaulted.author_role``).
- A comment made by a trigger or an automation (the audit's ``via.channel`` ``rule`` or
  ``automation``) is automatic: never a response.
- A ``Create`` or ``Change`` of ``status`` is a status change (``pending`` → waiting on the
  customer, ``hold`` → on hold, ``solved`` → resolved).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from datetime import datetime

from cxgap.sla.cases import Event
from cxgap.tickets import values
from cxgap.tickets.problems import Tally, refuse

Json = dict[str, object]
AUTOMATIC = frozenset({"rule", "automation"})
ROLES: Mapping[str, str] = {"end-user": "customer", "agent": "agent", "admin": "agent"}


def audits_of(document: object) -> list[object]:
    if isinstance(document, dict):
        found = document.get("audits")
        return found if isinstance(found, list) else []
    return []


def roles_of(document: object) -> dict[str, str]:
    """``{user id: "customer" | "agent"}`` from the document's ``users``."""
    users = document.get("users") if isinstance(document, dict) else None
    roles: dict[str, str] = {}
    for user in users if isinstance(users, list) else []:
        if isinstance(user, dict) and user.get("id") is not None:
            role = ROLES.get(str(user.get("role")))
            if role is not None:
                roles[str(user["id"])] = role
    return roles


def audits_by_ticket(raw: Sequence[object], source: str) -> Mapping[str, list[Json]]:
    grouped: dict[str, list[Json]] = defaultdict(list)
    for position, audit in enumerate(raw, start=1):
        if not isinstance(audit, dict) or audit.get("ticket_id") is None:
            refuse(source, "json_shape", None, row=position, column="audits")
        grouped[str(audit["ticket_id"])].append({**audit, "_position": position})
    return grouped


def replay_audits(
    audits: Sequence[Json],
    ticket: Json,
    roles: Mapping[str, str],
    created: datetime,
    source: str,
    tally: Tally,
) -> list[Event]:
    requester = ticket.get("requester_id")
    events: list[Event] = []
    for audit in audits:
        row = audit["_position"] if isinstance(audit["_position"], int) else None
        at = _instant(audit.get("created_at"), source, row)
        at = max(at, created)
        via = audit.get("via")
        automatic = isinstance(via, dict) and via.get("channel") in AUTOMATIC
        changes = audit.get("events")
        changes = [c for c in changes if isinstance(c, dict)] if isinstance(changes, list) else []
        opening = any(c.get("type") == "Create" for c in changes)
        for change in changes:
            kind = change.get("type")
            if kind == "Comment" and not opening:
                author = change.get("author_id", audit.get("author_id"))
                by = _author(author, requester, roles, tally)
                public = change.get("public") is not False
                auto = automatic or by == "system"
                events.append(Event(at, "reply" if public else "note", by=by, public=public,
                                    auto=auto))  # fmt: skip
            elif kind in ("Create", "Change") and change.get("field_name") == "status":
                value = change.get("value")
                if isinstance(value, str) and value.strip():
                    events.append(Event(at, "status", status=values.status(value)))
    return sorted(events, key=lambda e: e.at)  # stable: an audit's events keep their order


def _author(author: object, requester: object, roles: Mapping[str, str], tally: Tally) -> str:
    if author is not None and author == requester:
        return "customer"
    if author == -1:  # Zendesk's system user
        return "system"
    role = roles.get(str(author))
    if role is None:
        tally.defaulted["author_role"] += 1
        return "agent"
    return role


def _instant(value: object, source: str, row: int | None) -> datetime:
    try:
        parsed = datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        parsed = None
    if parsed is None or parsed.tzinfo is None:
        refuse(source, "date", value, row=row, column="audits.created_at")
    return parsed
