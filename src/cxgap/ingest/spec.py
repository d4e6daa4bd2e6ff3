"""The mapping spec: for each field of a feedback record, where its value comes from."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from cxgap.ingest.records import SCORE_RANGES
from cxgap.ingest.tables import ReadOptions

RECORD_FIELDS = (
    "source_type",
    "source_id",
    "channel",
    "collected_at",
    "text",
    "nps",
    "csat",
    "ces",
    "stars",
    "customer_ref",
    "touchpoint",
    "language",
    "question",
)
REQUIRED_FIELDS = ("source_type", "collected_at")
SCORE_FIELDS = tuple(SCORE_RANGES)
KEEP_ALL = "*"


@dataclass(frozen=True)
class FieldMap:
    """Where one record field's value comes from.

    Columns are chosen by name (``columns``, matched exactly, else ignoring case), by a
    regular expression on their names (``pattern``) or on their header tags (``tag_pattern``),
    or as the column ``X`` next to which a column ``X + companion`` exists. ``text`` joins the
    values of all its columns; any other field takes the first non-empty one, and a pattern
    matching several columns is refused as ambiguous. ``default`` is used when no column has
    a value; with no column at all it is a constant. ``values`` translates cell values
    (compared ignoring case) before they are read; a value mapped to None counts as empty.

    ``each`` (``text`` only) makes every text column a verbatim of its own, with the question
    it answers, instead of joining them: a survey response with five open answers gives five
    records. ``detect`` lets the file's values choose (see ``cxgap.ingest.survey``): the
    open-ended answers for ``text``, the score questions by wording and values, the date
    format from every date. ``date_order`` ("dmy" or "mdy") is how the exporting tool writes
    short dates, used only when the values themselves do not show it.
    """

    columns: tuple[str, ...] = ()
    pattern: str | None = None
    tag_pattern: str | None = None
    companion: str | None = None
    default: str | None = None
    values: Mapping[str, str | None] = field(default_factory=dict)
    date_format: tuple[str, ...] = ()
    separator: str = "\n\n"
    # A preset's column that some exports lack: missing, the field is simply not mapped.
    optional: bool = False
    each: bool = False
    detect: bool = False
    date_order: str | None = None

    def __post_init__(self) -> None:
        lowered = {key.strip().lower(): value for key, value in self.values.items()}
        object.__setattr__(self, "values", lowered)

    @property
    def selects_columns(self) -> bool:
        return bool(self.columns or self.pattern or self.tag_pattern or self.companion)


def constant(value: str) -> FieldMap:
    return FieldMap(default=value)


def column(
    *names: str,
    optional: bool = False,
    values: Mapping[str, str | None] | None = None,
    date_format: tuple[str, ...] = (),
    separator: str = "\n\n",
) -> FieldMap:
    """The first non-empty of these columns (for ``text``: all of them, joined)."""
    return FieldMap(
        columns=names,
        optional=optional,
        values=dict(values or {}),
        date_format=date_format,
        separator=separator,
    )


@dataclass(frozen=True)
class MappingSpec:
    """How a file becomes feedback records: reading options, field sources, kept columns.

    ``keep`` names the other columns kept as attributes (``"*"``: all unmapped columns);
    e-mail addresses and phone numbers are dropped from them unless their column is also
    listed in ``keep_contacts``. Dates without an offset are read in ``timezone`` (an IANA
    name), else in the zone the export declares, else in UTC.
    """

    name: str
    fields: Mapping[str, FieldMap]
    read: ReadOptions = field(default_factory=ReadOptions)
    keep: tuple[str, ...] = ()
    keep_contacts: tuple[str, ...] = ()
    timezone: str | None = None
    description: str = ""
    # Presets list columns that not every export has; a missing one is then not a problem.
    lenient_keep: bool = False

    def with_read(self, **changes: Any) -> MappingSpec:
        """The same spec read differently, e.g. ``spec.with_read(encoding="cp1252")``."""
        return dataclasses.replace(self, read=dataclasses.replace(self.read, **changes))
