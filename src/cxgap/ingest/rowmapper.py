"""The fast path of :func:`~cxgap.ingest.mapping.map_response`, for a large file's rows.

Why: ``map_response`` decides again for every row which columns feed which field, through a
row object and a call per field, and parses the same few values (a channel, a score, a source
type, a day) over and over; that was most of an import's time. :class:`RowMapper` decides
once per file (each field's columns, value translations, default and parser, as a tuple) and
keeps the parsed value of each text it met (bounded: ``_MEMO_LIMIT`` a field); parsers are
pure, so a remembered value is the one parsing would give.

It only takes the rows it can map without a problem. A row that is unreadable, holds a lone
surrogate, or has a value its parser refuses goes to ``map_response`` itself, so every
problem is reported by the one code that always reported it: same row, column, value and
message. Files whose text is taken one verbatim per column (``each``) use ``map_response``
for every row. ``tests/ingest/test_rowmapper.py`` compares the two on varied and random rows.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, datetime

from cxgap.errors import DateError, ValidationError, ValueProblem
from cxgap.ingest.dates import parse_datetime
from cxgap.ingest.mapping import (
    _PARSERS,
    _SINGLE_VALUED,
    Cells,
    Response,
    _each,
    _identity,
    content_id,
    map_response,
)
from cxgap.ingest.privacy import is_contact_column, looks_like_contact
from cxgap.ingest.records import (
    MAX_ATTRIBUTE_CHARS,
    MAX_TEXT_CHARS,
    SCORE_RANGES,
    mapped_record,
)
from cxgap.ingest.resolve import ResolvedField, ResolvedMapping
from cxgap.ingest.values import _SURROGATE, long_text

# Distinct values remembered per field: enough for channels, scores and days, bounded for
# ids and timestamps (which then are parsed each time, as before).
_MEMO_LIMIT = 4_096

Translations = Mapping[str, str | None] | None
# (field, columns, translations, default, parser, memo)
_Single = tuple[
    str, tuple[str, ...], Translations, str | None, Callable[[str], object], dict[str, object]
]
# A field read from one column: (field, column, translations, default, parser, memo of the
# cell as read, None included, to the field's value).
_One = tuple[str, str, Translations, str | None, Callable[[str], object], dict[str | None, object]]
_UNSEEN = object()


def _source(resolved: ResolvedField) -> tuple[tuple[str, ...], Translations, str | None]:
    values = resolved.map.values
    return resolved.columns, (values if values else None), resolved.map.default


def _raw(cells: Cells, columns: tuple[str, ...], values: Translations) -> str | None:
    """The first column's text that holds a value, as ``_Row.raw`` reads it."""
    get = cells.get
    for column in columns:
        value = get(column)
        if value is None:
            continue
        text = value.strip()
        found = values.get(text.lower(), text) if values is not None else text
        if found:
            return found
    return None


class RowMapper:
    """``map_response`` for one file's mapping, with its decisions taken once."""

    def __init__(self, mapping: ResolvedMapping) -> None:
        self.mapping = mapping
        fields = mapping.fields
        self.fast = not _each(mapping) and "collected_at" in fields
        # Text that may hold a lone surrogate is looked at first (such a row is refused).
        self.surrogates = not mapping.surrogate_free
        # A field of one column (nearly all) remembers its value by the cell as read: one
        # lookup instead of strip, translation, default and parse.
        self.ones: list[_One] = []
        self.singles: list[_Single] = []
        for name, resolved in fields.items():
            if name not in _PARSERS:
                continue
            columns, values, default = _source(resolved)
            if len(columns) == 1:
                self.ones.append((name, columns[0], values, default, _PARSERS[name], {}))
            else:
                self.singles.append((name, columns, values, default, _PARSERS[name], {}))
        self.content = [_source(fields[n]) for n in ("text", *SCORE_RANGES) if n in fields]
        # A row is blank when none of these columns holds more than spaces (every content
        # field read from columns as written: no translation, no default), never when a
        # content field has a default; None: ``_blank`` decides.
        self.content_columns: tuple[str, ...] | None = None
        self.never_blank = any(default is not None for _, _, default in self.content)
        if not any(values is not None for _, values, _ in self.content):
            self.content_columns = tuple(c for columns, _, _ in self.content for c in columns)
        dated = fields.get("collected_at")
        self.date = _source(dated) if dated is not None else ((), None, None)
        self.date_format = dated.map.date_format if dated is not None else ()
        self.zone = mapping.zone or UTC
        self.dates: dict[str, datetime] = {}
        text = fields.get("text")
        self.text = _source(text) if text is not None else None
        self.separator = text.map.separator if text is not None else ""
        # The text read from one column as written (no translation, no default): the cell
        # itself, stripped, with its line ends made plain.
        plain = self.text is not None and len(self.text[0]) == 1 and self.text[1:] == (None, None)
        self.text_column = self.text[0][0] if self.text is not None and plain else None
        # drop_contacts decided once per column, and remembered per value (a kept column
        # repeats a few values: a shop, a status).
        kept = mapping.keep_contacts
        self.unchecked = frozenset(c for c in mapping.keep if c in kept)
        self.contact_columns = frozenset(
            c for c in mapping.keep if c not in kept and is_contact_column(c)
        )
        self.contacts: dict[str, bool] = {}

    def __call__(self, number: int, cells: Cells) -> Response:
        if not self.fast or getattr(cells, "defect", None) is not None:
            return map_response(self.mapping, number, cells)
        try:
            response = self._mapped(number, cells)
        except (ValueProblem, DateError):  # a value refused: the general path reports it
            response = None
        return map_response(self.mapping, number, cells) if response is None else response

    def _mapped(self, number: int, cells: Cells) -> Response | None:
        """The row's response; None when it has a problem for ``map_response`` to report."""
        if self.surrogates:
            joined = "".join(filter(None, cells.values()))
            if not joined.isascii() and _SURROGATE.search(joined):  # none in ASCII
                return None
        if self._blank(cells):
            return Response()
        fields: dict[str, object] = dict.fromkeys(_SINGLE_VALUED)
        get = cells.get
        for name, column, values, default, parse, known in self.ones:
            cell = get(column)
            value = known.get(cell, _UNSEEN)
            if value is _UNSEEN:
                if values is None:  # _raw of one column, as written
                    text = (cell.strip() if cell else None) or default
                else:
                    text = _raw(cells, (column,), values) or default
                value = None if text is None else parse(text)
                if len(known) < _MEMO_LIMIT:
                    known[cell] = value
            fields[name] = value
        for name, columns, values, default, parse, memo in self.singles:
            fields[name] = _parsed(_raw(cells, columns, values) or default, parse, memo)
        when = self._collected_at(cells)
        attributes = self._attributes(cells) if self.mapping.keep else {}
        if when is None or attributes is None:
            return None
        fields["collected_at"] = when
        fields["text"] = self._text(cells)
        return self._response(fields, attributes)

    def _response(self, fields: dict[str, object], attributes: dict[str, str]) -> Response | None:
        """``mapping._response`` for a row of one record (not ``each``): the customer's
        pseudonym, an id from the content when the row has none, the record; None when the
        record refuses the values (``map_response`` then reports it)."""
        mapping = self.mapping
        customer = fields["customer_ref"]
        if customer and mapping.pseudonym_key is not None:
            fields["customer_ref"] = mapping.pseudonym(str(customer))
        if not fields["source_id"]:
            fields["source_id"] = content_id(_identity(fields))
        fields["attributes"] = attributes
        fields["response_key"] = None
        try:
            return Response(records=(mapped_record(fields),))
        except ValidationError:
            return None

    def _blank(self, cells: Cells) -> bool:
        if self.never_blank:
            return False
        if self.content_columns is not None:  # strip() leaves text ⇔ not all spaces
            get = cells.get
            for column in self.content_columns:
                value = get(column)
                if value and not value.isspace():
                    return False
            return True
        return not any(
            _raw(cells, columns, values) or default is not None
            for columns, values, default in self.content
        )

    def _collected_at(self, cells: Cells) -> datetime | None:
        columns, values, default = self.date
        text = _raw(cells, columns, values) or default
        if text is None:
            return None  # "is required"
        when = self.dates.get(text)
        if when is None:
            when = parse_datetime(text, self.date_format, self.zone)
            if len(self.dates) < _MEMO_LIMIT:
                self.dates[text] = when
        return when

    def _text(self, cells: Cells) -> str:
        if self.text is None:
            return ""
        if self.text_column is not None:  # long_text of the one cell, stripped
            text = (cells.get(self.text_column) or "").strip()
            if "\r" in text:
                text = text.replace("\r\n", "\n").replace("\r", "\n")
            if "\x00" in text or len(text) > MAX_TEXT_CHARS:
                return long_text([text], self.separator, MAX_TEXT_CHARS)  # its refusal
            return text
        columns, values, default = self.text
        parts = []
        for column in columns:
            value = cells.get(column)
            if value is None:
                parts.append("")
                continue
            stripped = value.strip()
            parts.append((values.get(stripped.lower(), stripped) if values else stripped) or "")
        if not any(parts) and default:
            parts = [default]
        return long_text(parts, self.separator, MAX_TEXT_CHARS)

    def _attributes(self, cells: Cells) -> dict[str, str] | None:
        """The kept columns' values, less contact details (``drop_contacts``'s rules)."""
        attributes: dict[str, str] = {}
        contacts = self.contacts
        for column in self.mapping.keep:
            value = (cells.get(column) or "").strip()
            if len(value) > MAX_ATTRIBUTE_CHARS:
                return None
            if not value or column in self.contact_columns:
                continue
            if column not in self.unchecked:
                contact = contacts.get(value)
                if contact is None:
                    contact = looks_like_contact(value)
                    if len(contacts) < _MEMO_LIMIT:
                        contacts[value] = contact
                if contact:
                    continue
            attributes[column] = value
        return attributes


def _parsed(text: str | None, parse: Callable[[str], object], memo: dict[str, object]) -> object:
    if text is None:
        return None
    if text in memo:
        return memo[text]
    value = parse(text)
    if len(memo) < _MEMO_LIMIT:
        memo[text] = value
    return value
