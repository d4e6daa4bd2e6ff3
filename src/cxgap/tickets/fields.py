"""The columns of each ticket layout, found by name (accents and case ignored).

Zendesk's view and account CSV exports write English headers ("Created at", "First reply time
in minutes"…); the French names are cxgap's reading of an interface set to French (not
checked against a real French export), accepted as well.
Freshdesk's ticket export ("Ticket ID", "Created time", "Initial response time"…) is
recognised too. A mapped CSV names its columns itself: ``--map created_at="Date d'ouverture"``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from cxgap.ingest.choices import name_words
from cxgap.tickets.problems import refuse

# What a ticket row can tell, one field per column.
TICKET_FIELDS: tuple[str, ...] = (
    "id", "created_at", "first_reply_at", "first_resolved_at", "solved_at", "status",
    "priority", "channel", "team", "assignee", "account", "tier",
    "first_reply_minutes", "first_resolution_minutes", "pending_minutes", "reopens",
    "subject",
)  # fmt: skip
EVENT_FIELDS: tuple[str, ...] = (
    "id", "at", "type", "by", "public", "status",
    "priority", "channel", "team", "assignee", "account", "tier", "subject",
)  # fmt: skip
REQUIRED: Mapping[str, tuple[str, ...]] = {
    "tickets": ("id", "created_at"),
    "events": ("id", "at", "type"),
}

ZENDESK_CSV: Mapping[str, tuple[str, ...]] = {
    "id": ("Id", "ID", "Identifiant"),
    "created_at": ("Created at", "Créé le", "Date de création"),
    "solved_at": ("Solved at", "Résolu le", "Date de résolution"),
    "status": ("Status", "Statut"),
    "priority": ("Priority", "Priorité"),
    "channel": ("Via", "Canal"),
    "team": ("Group", "Groupe"),
    "assignee": ("Assignee", "Assigné", "Assigné à"),
    "account": ("Organization", "Organisation"),
    "first_reply_minutes": ("First reply time in minutes", "Temps de première réponse en minutes"),
    "first_resolution_minutes": (
        "First resolution time in minutes",
        "Temps de première résolution en minutes",
    ),
    "pending_minutes": ("Agent wait time in minutes", "Temps d'attente de l'agent en minutes"),
    "reopens": ("Reopens", "Réouvertures"),
    "subject": ("Subject", "Sujet", "Objet"),
}
# Freshdesk's ticket export: timestamps, and durations in hours; no pending time.
FRESHDESK_CSV: Mapping[str, tuple[str, ...]] = {
    "id": ("Ticket ID",),
    "created_at": ("Created time",),
    "first_reply_at": ("Initial response time",),
    "solved_at": ("Resolved time",),
    "status": ("Status",),
    "priority": ("Priority",),
    "channel": ("Source",),
    "team": ("Group",),
    "assignee": ("Agent",),
    "account": ("Company", "Company Name"),
    "subject": ("Subject",),
}
# A mapped CSV's usual names, tried when ``--map`` does not name the column.
MAPPED: Mapping[str, tuple[str, ...]] = {
    "id": ("id", "ticket id", "ticket", "case id", "case", "numéro"),
    "created_at": ("created at", "created", "opened at", "créé le", "date de création"),
    "first_reply_at": ("first reply at", "first response at", "première réponse le"),
    "first_resolved_at": ("first resolved at", "first solved at", "première résolution le"),
    "solved_at": ("solved at", "resolved at", "résolu le", "date de résolution"),
    "status": ("status", "statut"),
    "priority": ("priority", "priorité"),
    "channel": ("channel", "via", "canal"),
    "team": ("team", "group", "équipe", "groupe"),
    "assignee": ("assignee", "agent", "owner", "assigné"),
    "account": ("account", "organization", "organisation", "company", "compte", "société"),
    "tier": ("tier", "plan", "niveau"),
    "first_reply_minutes": ("first reply minutes", "first reply time in minutes"),
    "first_resolution_minutes": ("first resolution minutes", "first resolution time in minutes"),
    "pending_minutes": ("pending minutes", "agent wait time in minutes"),
    "reopens": ("reopens", "réouvertures"),
    "subject": ("subject", "title", "sujet", "objet", "titre"),
    "at": ("at", "time", "date", "timestamp", "le"),
    "type": ("type", "event", "événement"),
    "by": ("by", "author", "from", "auteur", "par"),
    "public": ("public",),
}


def detect_layout(header: Sequence[str]) -> str:
    """``zendesk-csv`` when Zendesk's columns are there, ``events`` when the columns are an
    event log's, else ``mapped``."""
    words = {tuple(name_words(h)) for h in header}
    zendesk = all(
        any(tuple(name_words(a)) in words for a in ZENDESK_CSV[f])
        for f in ("id", "created_at", "first_reply_minutes")
    )
    if zendesk:
        return "zendesk-csv"
    freshdesk = ("ticket", "id"), ("created", "time"), ("initial", "response", "time")
    if all(name in words for name in freshdesk):
        return "freshdesk-csv"
    event_names = ("at", "type")
    if all(any(tuple(name_words(a)) in words for a in MAPPED[f]) for f in event_names):
        return "events"
    return "mapped"


def columns_of(
    header: Sequence[str],
    *,
    source: str,
    layout: str,
    mapping: Mapping[str, str],
) -> dict[str, str]:
    """Each field's column: ``mapping`` first (it must name a column of the file), else the
    layout's usual names. Refuses a missing required column, naming what the file has."""
    fields = EVENT_FIELDS if layout == "events" else TICKET_FIELDS
    aliases = {"zendesk-csv": ZENDESK_CSV, "freshdesk-csv": FRESHDESK_CSV}.get(layout, MAPPED)
    found: dict[str, str] = {}
    for name, column in mapping.items():
        if name not in fields:
            refuse(source, "unknown_field", name, column="--map", choices=", ".join(fields))
        if column not in header:
            refuse(source, "no_column", column, column="--map", columns=", ".join(header))
        found[name] = column
    by_words = {tuple(name_words(h)): h for h in reversed(header)}
    for name in fields:
        if name in found:
            continue
        for alias in aliases.get(name, ()):
            named = by_words.get(tuple(name_words(alias)))
            if named is not None:
                found[name] = named
                break
    for name in REQUIRED["events" if layout == "events" else "tickets"]:
        if name not in found:
            refuse(source, "missing_column", name, columns=", ".join(header))
    return found
