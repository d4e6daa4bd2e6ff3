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
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from cxgap.ingest.resolve import suggest_columns
from cxgap.ingest.spec import RECORD_FIELDS, FieldMap, MappingSpec
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
    # "dmy" or "mdy": how to read a date column whose values do not show it.
    date_order: str = ""
    # The CSV separator chosen by the person ("" while it is detected).
    delimiter: str = ""
    # Why the source type was proposed ("stars", "columns", "scores", "file_name"; "" when
    # it was not) and the column or name that showed it (see ingest/source_guess.py).
    proposed: str = ""
    proposed_from: str = ""

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
    return ColumnChoices(
        columns,
        constants,
        date_format,
        spec.read.encoding or "",
        delimiter=spec.read.delimiter or "",
    )


def mapping_document(
    base: MappingSpec, choices: ColumnChoices, *, preset: str | None = None
) -> dict[str, object]:
    """The mapping file that imports the file as the choices say.

    Every record field is written out (``null`` when nothing feeds it), so the document does
    not depend on what the preset would have guessed; value translations, separators and
    date formats the base spec gives a field are kept.
    """
    document: dict[str, object] = {"preset": preset} if preset else {}
    read = _read_changes(base.read, choices.encoding, choices.delimiter)
    if read:
        document["read"] = read
    if base.timezone:
        document["timezone"] = base.timezone
    document["fields"] = {name: _field_entry(base, choices, name) for name in RECORD_FIELDS}
    document["keep"] = choices.columns_for(ATTRIBUTE)
    if base.keep_contacts:
        document["keep_contacts"] = list(base.keep_contacts)
    return document


def _read_changes(read: ReadOptions, encoding: str, delimiter: str = "") -> dict[str, object]:
    # A separator the form cannot offer (a mapping file's own) stays as the base gives it.
    chosen = dataclasses.replace(
        read, encoding=encoding or None, delimiter=delimiter or read.delimiter
    )
    defaults = ReadOptions()
    return {
        f.name: getattr(chosen, f.name)
        for f in dataclasses.fields(ReadOptions)
        if getattr(chosen, f.name) != getattr(defaults, f.name)
    }


def _field_entry(base: MappingSpec, choices: ColumnChoices, name: str) -> dict[str, object] | None:
    columns = _preferred(choices.columns_for(name), base.fields.get(name))
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
        if inherited.each:
            entry["each"] = True
    if name == "collected_at" and columns:
        formats = _date_formats(choices.date_format, inherited.date_format if inherited else ())
        if formats:
            entry["date_format"] = formats
    return entry


def _preferred(columns: list[str], inherited: FieldMap | None) -> list[str]:
    """The columns in the base's order of preference (the first non-empty one is read),
    then the others in the file's order."""
    if inherited is None or not inherited.columns:
        return columns
    order = {column: index for index, column in enumerate(inherited.columns)}
    return sorted(columns, key=lambda column: order.get(column, len(order)))


def _date_formats(hint: str, inherited: Sequence[str]) -> list[str]:
    """The user's format first; the base's others kept when the hint is one of them."""
    hint = hint.strip()
    if not hint:
        return list(inherited)
    if hint in inherited:
        return [hint, *(f for f in inherited if f != hint)]
    return [hint]


# Words that name a record field in column headers people write themselves, in English and
# French (matched as whole words, accents ignored), most specific first.
_FIELD_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("nps", ("nps", "recommend", "recommand", "recommandation", "recommendation")),
    ("csat", ("csat", "satisfaction")),
    ("ces", ("ces", "effort")),
    ("stars", ("stars", "etoiles", "rating", "note", "score")),
    ("customer_ref", ("customer", "client", "customer id", "id client", "user id")),
    ("source_id", ("id", "reference", "ref", "numero", "ticket id", "response id", "review id")),
    ("collected_at", ("date", "created", "timestamp", "horodateur", "submitted", "time")),
    ("source_type", ("source type", "type de source", "source_type")),
    ("channel", ("channel", "canal", "via")),
    ("touchpoint", ("touchpoint", "point de contact", "etape", "step")),
    ("language", ("language", "langue", "lang", "locale")),
    (
        "text",
        (
            "comment",
            "comments",
            "commentaire",
            "verbatim",
            "review",
            "avis",
            "message",
            "feedback",
            "text",
            "texte",
            "description",
            "remarque",
            "subject",
            "objet",
        ),
    ),
)
_SHORT_DATE = re.compile(r"(\d{1,2})[/.](\d{1,2})[/.](\d{4})( \d{1,2}:\d{2}(:\d{2})?)?")


def guess_choices(choices: ColumnChoices, samples: Mapping[str, Sequence[str]]) -> ColumnChoices:
    """Suggestions for the columns nothing chose yet, from the words in their names; each
    field but the text is suggested once. A suggestion only prefills the mapping step,
    where the person sees the sample rows it gives before anything is imported.

    >>> start = ColumnChoices(dict.fromkeys(["Référence", "Date", "Verbatim", "Note /5"], IGNORE))
    >>> guessed = guess_choices(start, {"Date": ["13/03/2024 11:05"]})
    >>> list(guessed.columns.values()), guessed.date_format
    (['source_id', 'collected_at', 'text', 'stars'], '%d/%m/%Y %H:%M')
    """
    columns = dict(choices.columns)
    taken = {choice for choice in columns.values() if choice not in (IGNORE, ATTRIBUTE)}
    for column, chosen in columns.items():
        if chosen != IGNORE:
            continue
        words = name_words(column)
        for name, synonyms in _FIELD_WORDS:
            if (name == "text" or name not in taken) and any(
                has_phrase(words, s) for s in synonyms
            ):
                columns[column] = name
                taken.add(name)
                break
    date_format = choices.date_format
    dated = [c for c, chosen in columns.items() if chosen == "collected_at"]
    if not date_format and dated:
        date_format = guess_date_format(samples.get(dated[0], ()))
    return dataclasses.replace(choices, columns=columns, date_format=date_format)


def name_words(text: str) -> list[str]:
    """The words of a column or file name, lower case, accents dropped."""
    plain = unicodedata.normalize("NFKD", text.lower())
    plain = "".join(ch for ch in plain if not unicodedata.combining(ch))
    return re.findall(r"[a-z0-9]+", plain)


def has_phrase(words: list[str], phrase: str) -> bool:
    """Whether the words hold the phrase's words, in a row."""
    wanted = name_words(phrase)
    return any(words[i : i + len(wanted)] == wanted for i in range(len(words)))


def guess_date_format(values: Sequence[str]) -> str:
    """The day-first or month-first format of short dates, when a value shows which (a day
    over 12); "" when the values are ISO, mixed, or could be read both ways.

    >>> guess_date_format(["04/03/2024 09:15", "13/03/2024 11:05"])
    '%d/%m/%Y %H:%M'
    >>> guess_date_format(["04/03/2024", "05/03/2024"])
    ''
    """
    matches = [_SHORT_DATE.fullmatch(v.strip()) for v in values]
    if not matches or not all(matches):
        return ""
    found = [m for m in matches if m is not None]
    day_first = any(int(m.group(1)) > 12 for m in found)
    month_first = any(int(m.group(2)) > 12 for m in found)
    if day_first == month_first:
        return ""
    separator = "." if "." in found[0].group(0) else "/"
    order = ("%d", "%m") if day_first else ("%m", "%d")
    date = separator.join((*order, "%Y"))
    clock = found[0].group(4)
    if clock and all(m.group(4) for m in found):
        return date + (" %H:%M:%S" if found[0].group(5) else " %H:%M")
    return date if not any(m.group(4) for m in found) else ""
