"""What the values of each column look like, from one pass over the whole file.

Survey exports name their question columns after the user's own questions, so which column
is an open-ended answer, a score or a date is read from the values: all of them, not a
sample, because the one value that settles a question (a day over 12, a long answer) may be
on the last row. Memory stays small: counts, and at most ``MAX_DISTINCT`` distinct values
per column.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from cxgap.ingest.dateorder import DateEvidence
from cxgap.ingest.values import labelled_number

MAX_DISTINCT = 50
# ISO date values remembered per column by a dates-only profiler.
_ISO_KEPT = 4_096


@dataclass
class ColumnProfile:
    """Counts over one column's non-empty values."""

    filled: int = 0
    numbers: int = 0
    low: int | None = None
    high: int | None = None
    words: int = 0
    max_words: int = 0
    distinct: dict[str, int] = field(default_factory=dict)
    many: bool = False  # more than MAX_DISTINCT distinct values
    dates: DateEvidence = field(default_factory=DateEvidence)

    def add(self, value: str) -> None:
        text = value.strip()
        if not text:
            return
        self.filled += 1
        count = len(text.split())
        self.words += count
        self.max_words = max(self.max_words, count)
        if text in self.distinct:
            self.distinct[text] += 1
        elif len(self.distinct) < MAX_DISTINCT:
            self.distinct[text] = 1
        else:
            self.many = True
        number = _whole_number(text)
        if number is not None:
            self.numbers += 1
            self.low = number if self.low is None else min(self.low, number)
            self.high = number if self.high is None else max(self.high, number)
        if text[0].isdigit():
            self.dates.add(text)

    def add_date(self, value: str) -> None:
        """Only what ``add`` tells the date evidence: all a date column's detection reads."""
        text = value.strip()
        if text and text[0].isdigit():
            self.dates.add(text)

    @property
    def numeric(self) -> bool:
        """Every value is a whole number (or a labelled scale point such as "9 - Likely")."""
        return self.filled > 0 and self.numbers == self.filled

    @property
    def dated(self) -> bool:
        return self.filled > 0 and self.dates.all_dates and self.dates.values == self.filled

    @property
    def distinct_share(self) -> float:
        """Distinct values per answer: near 1 for free text, low for a choice."""
        if self.filled == 0:
            return 0.0
        return 1.0 if self.many else len(self.distinct) / self.filled

    @property
    def mean_words(self) -> float:
        return self.words / self.filled if self.filled else 0.0


@dataclass
class Profile:
    rows: int = 0
    columns: dict[str, ColumnProfile] = field(default_factory=dict)

    def of(self, column: str) -> ColumnProfile:
        return self.columns.get(column) or ColumnProfile()


def profile_rows(header: Iterable[str], rows: Iterable[dict[str, str | None]]) -> Profile:
    """The profile of every column of ``header`` over all ``rows``.

    >>> p = profile_rows(["nps", "why"], [{"nps": "9", "why": "Fast"}, {"nps": "10 - Yes"}])
    >>> p.of("nps").numeric, (p.of("nps").low, p.of("nps").high), p.of("why").filled
    (True, (9, 10), 1)
    """
    profiler = Profiler(header)
    for cells in rows:
        profiler.add(cells)
    return profiler.profile


class Profiler:
    """A :class:`Profile` filled one row at a time, for a reader that profiles the rows it
    maps as it goes (``cxgap.ingest.onepass``) rather than in a pass of its own."""

    def __init__(self, header: Iterable[str], *, dates_only: bool = False) -> None:
        self.profile = Profile(columns={name: ColumnProfile() for name in header})
        self._columns = [
            (name, column.add_date if dates_only else column.add)
            for name, column in self.profile.columns.items()
        ]
        # Dates only: each column's values already counted as ISO dates (bounded), counted
        # again at once. A value's evidence depends on nothing else, and a date column
        # repeats its values (a day, a time to the minute).
        self._iso: list[tuple[str, ColumnProfile, set[str]]] | None = (
            [(name, column, set()) for name, column in self.profile.columns.items()]
            if dates_only
            else None
        )

    def add(self, cells: Mapping[str, str | None]) -> None:
        self.profile.rows += 1
        if self._iso is not None:
            self._add_dates(cells, self._iso)
            return
        for name, add in self._columns:
            value = cells.get(name)
            if value:
                add(value)

    def _add_dates(
        self, cells: Mapping[str, str | None], columns: list[tuple[str, ColumnProfile, set[str]]]
    ) -> None:
        for name, column, iso in columns:
            value = cells.get(name)
            if not value:
                continue
            dates = column.dates
            if value in iso:
                dates.values += 1
                dates.iso += 1
                continue
            before = dates.iso
            column.add_date(value)
            if dates.iso != before and len(iso) < _ISO_KEPT:
                iso.add(value)


def _whole_number(text: str) -> int | None:
    try:
        number = float(text.replace(",", "."))
    except ValueError:
        return labelled_number(text)
    return int(number) if number.is_integer() and abs(number) < 1e9 else None
