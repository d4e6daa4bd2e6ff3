"""One row of an event file turned into the values stored for one event, or into the
problems that refuse it, each naming the file, the row, the column and the value.

Blank optional cells are None; a blank case, timestamp or activity is refused. Customer and
case references are pseudonymised with the workspace's key (the same keyed hash as the
feedback import, so the two join) unless the caller keeps them. Free attributes keep every
other column, except contact details (a column named like one, or a value that reads as
an e-mail address, a phone number or an IP address), as in feedback imports.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime
from json.encoder import encode_basestring
from typing import Any

from cxgap.errors import DateError, FieldProblem
from cxgap.events.spec import Columns
from cxgap.events.timestamps import TimestampReader
from cxgap.ingest.privacy import is_contact_column, looks_like_contact, pseudonymise

# The widths of the stored columns (``db/event_tables.py``).
LIMITS = {"case": 200, "activity": 200, "channel": 100, "outcome": 100, "lifecycle": 40}
MAX_ATTRIBUTE_CHARS = 2_000
_PSEUDONYMS_CACHED = 50_000
_CONTACTS_CACHED = 100_000
_MISSING = object()

# What is stored for one event (``db.event_writes.COLUMNS`` after workspace and import).
EventValues = tuple[
    str, datetime, int, str, str | None, str | None, str | None, str | None, float | None,
    str | None,
]  # fmt: skip


class EventConverter:
    """Turns rows into ``EventValues`` for one file's resolved columns."""

    def __init__(
        self,
        columns: Columns,
        timestamps: TimestampReader,
        *,
        source: str,
        pseudonym_key: str | None,
        touchpoints: Mapping[str, str | None],
        params_column: str | None = None,
        keep_contacts: tuple[str, ...] = (),
    ) -> None:
        fields = columns.fields
        self.case = fields["case"]
        self.timestamp = fields["timestamp"]
        self.activity = fields["activity"]
        self.optional = tuple(
            (name, fields[name]) for name in ("channel", "outcome", "lifecycle") if name in fields
        )
        self.amount = fields.get("amount")
        self.timestamps = timestamps
        self.source = source
        self.key = pseudonym_key
        self.touchpoints = touchpoints
        self.params_column = params_column
        self.keep_contacts = frozenset(keep_contacts)
        self.attributes = tuple(
            name
            for name in columns.attributes
            if name in self.keep_contacts or not is_contact_column(name)
        )
        self.dropped = tuple(sorted(set(columns.attributes) - set(self.attributes)))
        self._pseudonyms: dict[str, str] = {}
        self._contacts: dict[str, bool] = {}
        slots = {"channel": 0, "outcome": 1, "lifecycle": 2}
        self._slots = tuple((slots[name], column, LIMITS[name]) for name, column in self.optional)
        self._prefixes = tuple((name, encode_basestring(name) + ":") for name in self.attributes)
        self._names = tuple(self.attributes)
        # The JSON text of each combination of attribute values met (they repeat: a case's
        # attributes on each of its events, a few resources).
        self._texts: dict[tuple[str | None, ...], str | None] = {}

    def problem(
        self, row: int, column: str, message: str, value: object, code: str, **params: object
    ) -> FieldProblem:
        return FieldProblem(
            column, message, value, row=row, source=self.source, code=code, params=dict(params)
        )

    def convert(
        self, number: int, position: int, values: Mapping[str, str | None]
    ) -> EventValues | list[FieldProblem]:
        """The stored values of the row numbered ``number`` (``position``: its place among
        the file's events), or why it is refused."""
        if getattr(values, "defect", None) is None:
            fast = self._fast(position, values)
            if fast is not None:
                return fast
        return self._checked(number, position, values)

    def _fast(self, position: int, values: Mapping[str, str | None]) -> EventValues | None:
        """The row's values when every cell is as expected (most rows), else None: the
        checked path then says what is wrong. One pass, no problem objects."""
        get = values.get
        case, activity, stamp = get(self.case), get(self.activity), get(self.timestamp)
        if not case or not activity or not stamp:
            return None
        case, activity = case.strip(), activity.strip()
        if not case or not activity or len(case) > 200 or len(activity) > 200:
            return None
        found: list[str | None] = [None, None, None]
        for slot, column, limit in self._slots:
            value = get(column)
            if value is not None:
                value = value.strip() or None
                if value is not None and len(value) > limit:
                    return None
                found[slot] = value
        try:
            at = self.timestamps.read(stamp)
        except DateError:
            return None
        amount = None
        if self.amount is not None:
            text = get(self.amount)
            if text and text.strip():
                try:
                    amount = number_of(text)
                except ValueError:
                    return None
        if self.key is not None:
            case = self._pseudonym(case)
        return (
            case,
            at,
            position,
            activity,
            found[0],
            found[1],
            found[2],
            self.touchpoints.get(activity),
            amount,
            self._attributes(values),
        )

    def _checked(
        self, number: int, position: int, values: Mapping[str, str | None]
    ) -> EventValues | list[FieldProblem]:
        problems: list[FieldProblem] = []
        defect = getattr(values, "defect", None)
        if defect is not None:
            code, message = defect
            problems.append(self.problem(number, "(row)", message, None, code))
        case = self._required(number, "case", self.case, values, problems)
        activity = self._required(number, "activity", self.activity, values, problems)
        at = self._at(number, values, problems)
        optional: list[str | None] = [None, None, None]
        for index, (name, column) in enumerate(self.optional):
            optional[index] = self._text(number, name, column, values, problems)
        amount = self._amount(number, values, problems)
        if problems or case is None or activity is None or at is None:
            return problems
        if self.key is not None:
            case = self._pseudonym(case)
        channel, outcome, lifecycle = self._ordered(optional)
        return (
            case,
            at,
            position,
            activity,
            channel,
            outcome,
            lifecycle,
            self.touchpoints.get(activity),
            amount,
            self._attributes(values),
        )

    def _ordered(self, found: list[str | None]) -> tuple[str | None, str | None, str | None]:
        by_name = {name: found[i] for i, (name, _) in enumerate(self.optional)}
        return by_name.get("channel"), by_name.get("outcome"), by_name.get("lifecycle")

    def _text(
        self,
        number: int,
        name: str,
        column: str,
        values: Mapping[str, str | None],
        problems: list[FieldProblem],
    ) -> str | None:
        value = values.get(column)
        if value is None:
            return None
        text = value.strip()
        if not text:
            return None
        limit = LIMITS[name]
        if len(text) > limit:
            problems.append(
                self.problem(
                    number,
                    column,
                    f"is longer than {limit} characters",
                    text[:60] + "…",
                    "too_long",
                    limit=limit,
                )
            )
            return None
        return text

    def _required(
        self,
        number: int,
        name: str,
        column: str,
        values: Mapping[str, str | None],
        problems: list[FieldProblem],
    ) -> str | None:
        text = self._text(number, name, column, values, problems)
        if text is None and not any(p.field == column for p in problems):
            problems.append(self.problem(number, column, "is required", None, "required"))
        return text

    def _at(
        self, number: int, values: Mapping[str, str | None], problems: list[FieldProblem]
    ) -> datetime | None:
        value = values.get(self.timestamp)
        if value is None or not value.strip():
            problems.append(self.problem(number, self.timestamp, "is required", None, "required"))
            return None
        try:
            return self.timestamps.read(value)
        except DateError as exc:
            expected = self.timestamps.describe()
            problems.append(
                self.problem(
                    number,
                    self.timestamp,
                    f"{exc} (the column is read as {expected})",
                    value,
                    "event_date" if exc.code != "ambiguous_date" else "ambiguous_date",
                    expected=expected,
                )
            )
            return None

    def _amount(
        self, number: int, values: Mapping[str, str | None], problems: list[FieldProblem]
    ) -> float | None:
        if self.amount is None:
            return None
        value = values.get(self.amount)
        if value is None or not value.strip():
            return None
        try:
            return number_of(value)
        except ValueError:
            problems.append(
                self.problem(number, self.amount, "is not a number", value, "event_amount")
            )
            return None

    def _pseudonym(self, case: str) -> str:
        cached = self._pseudonyms.get(case)
        if cached is None:
            if len(self._pseudonyms) >= _PSEUDONYMS_CACHED:
                self._pseudonyms.clear()
            cached = self._pseudonyms[case] = pseudonymise(case, self.key or "")
        return cached

    def _contact(self, value: str) -> bool:
        """Whether the value reads as contact details (cached: attribute values repeat)."""
        known = self._contacts.get(value)
        if known is None:
            known = ("@" in value or len(value) >= 7) and looks_like_contact(value)
            if len(self._contacts) >= _CONTACTS_CACHED:
                self._contacts.clear()
            self._contacts[value] = known
        return known

    def _attributes(self, values: Mapping[str, str | None]) -> str | None:
        """The kept attributes as a JSON object's text (written here: one ``json.dumps``
        per event cost more than the rest of the row)."""
        get = values.get
        key = tuple(map(get, self._names))
        if self.params_column is None:
            cached = self._texts.get(key, _MISSING)
            if cached is not _MISSING:
                return cached  # type: ignore[return-value]
        parts: list[str] = []
        contacts = self.keep_contacts
        for name, prefix in self._prefixes:
            value = get(name)
            if not value or (name not in contacts and self._contact(value)):
                continue
            parts.append(prefix + encode_basestring(value[:MAX_ATTRIBUTE_CHARS]))
        if self.params_column is not None:
            spread = event_params(get(self.params_column))
            parts += [encode_basestring(k) + ":" + encode_basestring(v) for k, v in spread.items()]
        text = "{" + ",".join(parts) + "}" if parts else None
        if self.params_column is None:
            if len(self._texts) >= _CONTACTS_CACHED:
                self._texts.clear()
            self._texts[key] = text
        return text


def number_of(text: str) -> float:
    """An amount as exports write it (``1 234,50``, ``1234.5``); raises ValueError."""
    plain = text.strip().replace("\u00a0", "").replace(" ", "")
    if "," in plain and "." not in plain:
        plain = plain.replace(",", ".")
    return float(plain)


def event_params(text: str | None) -> dict[str, str]:
    """GA4's repeated ``event_params`` record (as the BigQuery export writes it in JSON)
    spread into ``param.<key>`` attributes.

    >>> event_params('[{"key": "page_title", "value": {"string_value": "Panier"}}]')
    {'param.page_title': 'Panier'}
    """
    if not text:
        return {}
    try:
        items: Any = json.loads(text)
    except ValueError:
        return {}
    spread: dict[str, str] = {}
    for item in items if isinstance(items, list) else []:
        if not isinstance(item, dict) or not isinstance(item.get("key"), str):
            continue
        value = item.get("value")
        if isinstance(value, dict):
            found = [v for v in value.values() if v is not None]
            if found and not looks_like_contact(str(found[0])):
                spread["param." + item["key"]] = str(found[0])[:MAX_ATTRIBUTE_CHARS]
    return spread
