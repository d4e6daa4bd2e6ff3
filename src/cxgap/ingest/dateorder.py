"""The date format of a column, inferred from every value it holds.

``05/03/2024`` alone cannot say whether it is the 5th of March or the 3rd of May; a column
can, once one of its values has a first field over 12 (day first) or a second one over 12
(month first). :class:`DateEvidence` collects that evidence value by value; the formats it
gives then read every value the same way. A column in which every value could be read both
ways is *ambiguous*: the person importing it chooses the order (``--date-order dmy|mdy`` on
the command line, a choice in the browser), nothing is guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from cxgap.errors import DateOrderError
from cxgap.ingest.dates import is_iso, normalise_offset

DATE_ORDERS = ("dmy", "mdy")
_SHORT = re.compile(
    r"(?P<a>\d{1,4})(?P<sep>[/.-])(?P<b>\d{1,2})(?P=sep)(?P<c>\d{2,4})"
    r"(?:(?P<t>[ T]|, )(?P<h>\d{1,2}):(?P<mi>\d{2})(?::(?P<s>\d{2}))?"
    r"(?:\s*(?P<ampm>[AaPp][Mm]))?)?"
    r"(?P<zone>[+-]\d{2}:?\d{2}|Z)?"
)
# How many values that fit no known shape are named in the refusal.
_EXAMPLES = 3


@dataclass
class DateEvidence:
    """What the values of one column say about their format.

    >>> e = DateEvidence()
    >>> for v in ["4/23/2016 15:08:09", "4/2/2016 9:01:00"]:
    ...     e.add(v)
    >>> e.formats()
    ('%m/%d/%Y %H:%M:%S',)
    """

    values: int = 0
    iso: int = 0
    short: int = 0
    day_first: bool = False
    month_first: bool = False
    # Each value's shape, its two short fields written {1} and {2}, and how many have it.
    shapes: dict[str, int] = field(default_factory=dict)
    unknown: list[str] = field(default_factory=list)

    def add(self, text: str) -> None:
        stripped = text.strip()
        # ISO text is what normalise_offset leaves as it is (dates.parse_datetime): counted
        # without it, the usual case of a large file's date column.
        iso = is_iso(stripped)
        value = stripped if iso else normalise_offset(stripped)
        if not value:
            return
        self.values += 1
        if iso or is_iso(value):
            self.iso += 1
            return
        match = _SHORT.fullmatch(value)
        if match is None:
            if len(self.unknown) < _EXAMPLES:
                self.unknown.append(text.strip())
            return
        self.short += 1
        shape = _shape(match)
        self.shapes[shape] = self.shapes.get(shape, 0) + 1
        if len(match["a"]) <= 2:
            self.day_first |= int(match["a"]) > 12
            self.month_first |= int(match["b"]) > 12

    def merge(self, other: DateEvidence) -> None:
        """Add another column's evidence: columns read with the same formats (a start and
        an end date) decide their order together."""
        self.values += other.values
        self.iso += other.iso
        self.short += other.short
        self.day_first |= other.day_first
        self.month_first |= other.month_first
        for shape, count in other.shapes.items():
            self.shapes[shape] = self.shapes.get(shape, 0) + count
        self.unknown = (self.unknown + other.unknown)[:_EXAMPLES]

    @property
    def all_dates(self) -> bool:
        """Every value is a date (ISO or short)."""
        return self.values > 0 and self.iso + self.short == self.values

    @property
    def order(self) -> str | None:
        """ "dmy" or "mdy" as the values show it, None when none of them shows it."""
        if self.day_first == self.month_first:
            return None
        return "dmy" if self.day_first else "mdy"

    @property
    def needs_order(self) -> bool:
        """Short dates, and none of them says which field is the day."""
        return any("{1}" in s for s in self.shapes) and self.order is None

    def formats(self, chosen: str | None = None, fallback: str | None = None) -> tuple[str, ...]:
        """The strptime formats of the column's values (ISO needs none).

        ``chosen`` (the person's choice) wins over the evidence; ``fallback`` (what a tool
        usually writes) is used only when the evidence says nothing. Raises DateOrderError
        when the values mix both orders, or when nothing decides the order.
        """
        if self.day_first and self.month_first and chosen is None:
            raise DateOrderError(
                "mixes day-first and month-first dates (values over 12 in both places)",
                "format",
            )
        order = chosen or self.order or fallback
        if order is None and self.needs_order:
            raise DateOrderError(
                "holds dates that read both ways (every day and month is 12 or less): "
                "choose the date order, day first (dmy) or month first (mdy)",
                "ambiguous_date",
            )
        first, second = ("%d", "%m") if order == "dmy" else ("%m", "%d")
        return tuple(
            sorted(s.replace("{1}", first).replace("{2}", second) for s in self.usual_shapes())
        )

    def usual_shapes(self) -> list[str]:
        """The shapes whose date is written the way most values write it: a value written
        another way (``12.03.2024`` among ``03/11/2024 09:05 AM``) comes from elsewhere and
        is refused on its row rather than read by a guess."""
        families: dict[str, int] = {}
        for shape, count in self.shapes.items():
            families[_date_part(shape)] = families.get(_date_part(shape), 0) + count
        usual = max(families, key=lambda family: families[family], default="")
        return [shape for shape in self.shapes if _date_part(shape) == usual]


def _date_part(shape: str) -> str:
    return re.split(r"[ T,]|%z", shape, maxsplit=1)[0]


def _shape(match: re.Match[str]) -> str:
    sep = match["sep"]
    year = "%Y" if len(match["c"]) == 4 else "%y"
    date = f"%Y{sep}%m{sep}%d" if len(match["a"]) == 4 else f"{{1}}{sep}{{2}}{sep}{year}"
    if match["h"] is None:
        return date + ("%z" if match["zone"] else "")
    hours = "%I" if match["ampm"] else "%H"
    clock = f"{hours}:%M" + (":%S" if match["s"] else "") + (" %p" if match["ampm"] else "")
    return date + match["t"] + clock + ("%z" if match["zone"] else "")
