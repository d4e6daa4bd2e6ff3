"""A mapping as a person edits it, one choice per column, and as a mapping file.

The browser's mapping step shows every column of the file with a choice: a record field,
a free attribute, or ignore; plus the constants a file may lack (the source type, the
channel) and a date format. :func:`mapping_document` turns those choices into the JSON of a
mapping file (docs/import-formats.md), so that what the browser imports is exactly what
``cxgap import feedback --mapping`` would; :func:`choices_from_spec` goes the other way,
from a preset or an uploaded mapping file to the choices shown first.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from cxgap.ingest.resolve import suggest_columns
from cxgap.ingest.spec import RECORD_FIELDS, MappingSpec
from cxgap.ingest.tables import ReadOptions

ATTRIBUTE = "attribute"
IGNORE = "ignore"
CHOICES = (*RECORD_FIELDS, ATTRIBUTE, IGNORE)
# Fields a file may lack that a mapping can give as one value for every row.
CONSTANT_FIELDS = ("source_type", "channel")
_DEFAULT_SEPARATOR = "\n\n"


@dataclass(frozen=True)
class ColumnChoices:
    """For each column of the file its choice (one of ``CHOICES``), and the constants."""

    columns: dict[str, str]
    constants: dict[str, str] = field(default_factory=dict)
    date_format: str = ""
    encoding: str = ""

    def columns_for(self, choice: str) -> list[str]:
        return [column for column, chosen in self.columns.items() if chosen == choice]


def choices_from_spec(
    spec: MappingSpec, header: Sequence[str], *, tags: Mapping[str, str] | None = None
) -> ColumnChoices:
    """The choices a spec (a preset or a mapping file) makes for this header.

    >>> from cxgap.ingest.presets import PRESETS
    >>> header = ["Review Id", "Review Created (UTC)", "Review Stars", "Review Content", "Shop"]
    >>> choices = choices_from_spec(PRESETS["trustpilot"], header)
    >>> choices.columns["Review Stars"], choices.columns["Shop"], choices.constants
    ('stars', 'ignore', {'source_type': 'review', 'channel': 'trustpilot'})
    """
    fields, keep = suggest_columns(spec, header, tags=tags)
    columns = dict.fromkeys(header, IGNORE)
    for column in keep:
        columns[column] = ATTRIBUTE
    for name, chosen in fields.items():
        for column in chosen:
            columns[column] = name
    constants = {
        name: default
        for name in CONSTANT_FIELDS
        if (fmap := spec.fields.get(name)) is not None and (default := fmap.default)
    }
    dated = spec.fields.get("collected_at")
    date_format = dated.date_format[0] if dated is not None and dated.date_format else ""
    return ColumnChoices(columns, constants, date_format, spec.read.encoding or "")


def mapping_document(
    base: MappingSpec, choices: ColumnChoices, *, preset: str | None = None
) -> dict[str, object]:
    """The mapping file that imports the file as the choices say.

    Every record field is written out (``null`` when nothing feeds it), so the document does
    not depend on what the preset would have guessed; value translations, separators and
    date formats the base spec gives a field are kept.
    """
    document: dict[str, object] = {"preset": preset} if preset else {}
    read = _read_changes(base.read, choices.encoding)
    if read:
        document["read"] = read
    if base.timezone:
        document["timezone"] = base.timezone
    document["fields"] = {name: _field_entry(base, choices, name) for name in RECORD_FIELDS}
    document["keep"] = choices.columns_for(ATTRIBUTE)
    if base.keep_contacts:
        document["keep_contacts"] = list(base.keep_contacts)
    return document


def _read_changes(read: ReadOptions, encoding: str) -> dict[str, object]:
    chosen = dataclasses.replace(read, encoding=encoding or None)
    defaults = ReadOptions()
    return {
        f.name: getattr(chosen, f.name)
        for f in dataclasses.fields(ReadOptions)
        if getattr(chosen, f.name) != getattr(defaults, f.name)
    }


def _field_entry(base: MappingSpec, choices: ColumnChoices, name: str) -> dict[str, object] | None:
    columns = choices.columns_for(name)
    constant = choices.constants.get(name, "").strip()
    entry: dict[str, object] = {}
    if columns:
        entry["columns"] = columns
    if constant:
        entry["default" if columns else "const"] = constant
    if not entry:
        return None
    inherited = base.fields.get(name)
    if inherited is not None and columns:
        if inherited.values:
            entry["values"] = dict(inherited.values)
        if inherited.separator != _DEFAULT_SEPARATOR:
            entry["separator"] = inherited.separator
    if name == "collected_at" and columns:
        formats = _date_formats(choices.date_format, inherited.date_format if inherited else ())
        if formats:
            entry["date_format"] = formats
    return entry


def _date_formats(hint: str, inherited: Sequence[str]) -> list[str]:
    """The user's format first; the base's others kept when the hint is one of them."""
    hint = hint.strip()
    if not hint:
        return []
    if hint in inherited:
        return [hint, *(f for f in inherited if f != hint)]
    return [hint]
