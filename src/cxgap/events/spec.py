"""Which column of an event file holds what: presets for the usual layouts, and the
columns of one file resolved against them.

A field (``case``, ``timestamp``, ``activity``…) lists candidate column names, tried in
order; names are compared *normalised* (case, spaces and punctuation ignored), so
``Contact ID``, ``contact_id`` and ``contactId`` are one name. ``case``, ``timestamp`` and
``activity`` are required; every column no field takes is kept as a free attribute.

Presets:

- ``process-mining``: the XES standard's names, as pm4py and Disco export them to CSV
  (``case:concept:name``, ``concept:name``, ``time:timestamp``, ``lifecycle:transition``,
  ``org:resource``…);
- ``web-analytics``: the Google Analytics 4 BigQuery export (``user_pseudo_id``,
  ``event_name``, ``event_timestamp`` in microseconds, ``platform``, ``device.category`` or
  ``traffic_source.medium`` as the channel, ``event_params`` spread into attributes);
- ``crm``: a CRM activity export (contact id, activity type, activity date, channel,
  outcome);
- ``generic``: any of the above names, then names that merely contain a telling word.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType

from cxgap.errors import FieldProblem, ValidationError

EVENT_FIELDS = ("case", "timestamp", "activity", "channel", "outcome", "lifecycle", "amount")
REQUIRED = ("case", "timestamp", "activity")
_NOT_WORD = re.compile(r"[^0-9a-z]+")


def normalised(name: str) -> str:
    """A column name compared without case, spaces or punctuation.

    >>> normalised("Case:Concept:Name"), normalised("contact_id"), normalised("Contact ID")
    ('caseconceptname', 'contactid', 'contactid')
    """
    return _NOT_WORD.sub("", name.lower())


@dataclass(frozen=True)
class EventSpec:
    """How to read one layout of event file; see the module's docstring."""

    name: str
    description: str = ""
    # field -> candidate column names, the first present wins.
    fields: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    # For ``generic``: field -> words a column name may contain (tried after ``fields``).
    hints: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    # strptime formats of the timestamp (empty: ISO 8601, epoch numbers and dd/mm or mm/dd
    # dates detected from the values); "unix", "unix_ms", "unix_us" for epoch numbers.
    date_format: tuple[str, ...] = ()
    date_order: str | None = None
    timezone: str | None = None
    # Columns kept as attributes (None: every column no field takes); columns dropped.
    keep: tuple[str, ...] | None = None
    drop: tuple[str, ...] = ()
    keep_contacts: tuple[str, ...] = ()
    # A column holding GA4's repeated ``event_params`` record, spread into attributes.
    params_column: str | None = None
    # Activity name -> journey touchpoint key (None: not a touchpoint).
    activities: Mapping[str, str | None] = field(default_factory=dict)
    # Read options handed to the table reader (format, encoding, delimiter, sheet).
    read: Mapping[str, object] = field(default_factory=dict)


PRESETS: Mapping[str, EventSpec] = MappingProxyType(
    {
        "process-mining": EventSpec(
            name="process-mining",
            description="XES names: case:concept:name, concept:name, time:timestamp…",
            fields={
                "case": ("case:concept:name", "case_id", "case id", "case"),
                "timestamp": ("time:timestamp", "timestamp", "complete timestamp"),
                "activity": ("concept:name", "activity", "activity name"),
                "lifecycle": ("lifecycle:transition", "lifecycle"),
                "channel": ("case:channel", "channel", "org:channel"),
                "outcome": ("case:outcome", "outcome"),
                "amount": ("case:amount", "amount", "cost:total"),
            },
        ),
        "web-analytics": EventSpec(
            name="web-analytics",
            description="Google Analytics 4 BigQuery export: user_pseudo_id, event_name…",
            fields={
                "case": ("user_pseudo_id", "user_id", "client_id"),
                "timestamp": ("event_timestamp", "event_time"),
                "activity": ("event_name",),
                "channel": ("platform", "device.category", "traffic_source.medium"),
                "amount": ("event_value_in_usd", "ecommerce.purchase_revenue"),
            },
            drop=("event_date", "event_previous_timestamp", "event_server_timestamp_offset"),
            params_column="event_params",
        ),
        "crm": EventSpec(
            name="crm",
            description="CRM activities: contact id, activity type, date, channel, outcome",
            fields={
                "case": ("contact_id", "contact", "customer_id", "client_id", "account_id"),
                "timestamp": ("activity_date", "date", "created_date", "completed_at"),
                "activity": ("activity_type", "activity", "type", "subject"),
                "channel": ("channel", "medium", "source"),
                "outcome": ("outcome", "status", "result", "disposition"),
                "amount": ("amount", "value", "revenue"),
            },
        ),
    }
)
_GENERIC_HINTS: Mapping[str, tuple[str, ...]] = {
    "case": ("case", "customer", "client", "contact", "user", "account", "visitor"),
    "timestamp": ("timestamp", "time", "date", "when"),
    "activity": ("activity", "event", "action", "step", "touchpoint", "task"),
    "channel": ("channel", "canal", "medium", "device"),
    "outcome": ("outcome", "result", "status", "resultat"),
    "lifecycle": ("lifecycle", "transition"),
    "amount": ("amount", "montant", "revenue", "price", "value"),
}


def _generic() -> EventSpec:
    merged: dict[str, tuple[str, ...]] = {}
    for preset in PRESETS.values():
        for name, columns in preset.fields.items():
            merged[name] = merged.get(name, ()) + tuple(
                c for c in columns if c not in merged.get(name, ())
            )
    return EventSpec(
        name="generic",
        description="Columns guessed from their names",
        fields=merged,
        hints=_GENERIC_HINTS,
    )


ALL_PRESETS: Mapping[str, EventSpec] = MappingProxyType({**PRESETS, "generic": _generic()})
PRESET_NAMES = tuple(ALL_PRESETS)


@dataclass(frozen=True)
class Columns:
    """The columns of one file that hold each field, and those kept as attributes."""

    fields: Mapping[str, str]
    attributes: tuple[str, ...]


def resolve_columns(spec: EventSpec, header: Sequence[str], *, source: str) -> Columns:
    """Each field's column in ``header``; a required field without one refuses the file
    (a problem naming the field and the candidate names)."""
    by_name = {normalised(column): column for column in reversed(header)}
    chosen: dict[str, str] = {}
    taken: set[str] = set()
    for name in EVENT_FIELDS:
        column = _exact(spec.fields.get(name, ()), by_name, taken)
        if column is None:
            column = _hinted(spec.hints.get(name, ()), header, taken)
        if column is not None:
            chosen[name] = column
            taken.add(column)
    missing = [name for name in REQUIRED if name not in chosen]
    if missing:
        raise missing_columns(spec, missing, header, source)
    if spec.params_column:
        taken.add(spec.params_column)
    drop = {normalised(name) for name in spec.drop}
    keep = None if spec.keep is None else {normalised(name) for name in spec.keep}
    attributes = tuple(
        column
        for column in header
        if column not in taken
        and normalised(column) not in drop
        and (keep is None or normalised(column) in keep)
    )
    return Columns(fields=MappingProxyType(chosen), attributes=attributes)


def _exact(candidates: Sequence[str], by_name: Mapping[str, str], taken: set[str]) -> str | None:
    for candidate in candidates:
        column = by_name.get(normalised(candidate))
        if column is not None and column not in taken:
            return column
    return None


def _hinted(words: Sequence[str], header: Sequence[str], taken: set[str]) -> str | None:
    for word in words:
        for column in header:
            if column not in taken and word in normalised(column):
                return column
    return None


def detect_preset(header: Sequence[str]) -> str:
    """The preset whose first candidate names the file uses for case and activity, else
    ``generic``.

    >>> detect_preset(["case:concept:name", "concept:name", "time:timestamp"])
    'process-mining'
    >>> detect_preset(["user_pseudo_id", "event_name", "event_timestamp"])
    'web-analytics'
    """
    names = {normalised(column) for column in header}
    for name, preset in PRESETS.items():
        needed = (preset.fields["case"][0], preset.fields["activity"][0])
        if all(normalised(column) in names for column in needed):
            return name
    return "generic"


def missing_columns(
    spec: EventSpec, missing: Sequence[str], header: Sequence[str], source: str
) -> ValidationError:
    """The refusal of a file lacking a column for each of ``missing``."""
    problems = [
        FieldProblem(
            name,
            f"no column holds the {name} (looked for {', '.join(spec.fields.get(name, ()))}); "
            "name it in a mapping file",
            ", ".join(header[:30]),
            source=source,
            code="missing_column",
            params={"reason": "event_missing_column", "field": name},
        )
        for name in missing
    ]
    return ValidationError(problems, summary="Import refused, nothing was stored")
