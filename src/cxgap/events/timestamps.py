"""The timestamps of an event file, read one way for the whole column.

The way is decided on the values, as the feedback import does (``cxgap.ingest.dateorder``):
ISO 8601 is read as it is; ``05/03/2024`` is day first or month first as the column's other
values show (a day over 12 somewhere), or as the person said (``date_order``), never by a
guess; whole numbers are epoch times, their unit told by their size (GA4 writes
microseconds, JavaScript milliseconds, Unix seconds); ``20240305`` is a compact date.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime, timedelta, tzinfo

from cxgap.errors import DateError
from cxgap.ingest.dateorder import DateEvidence
from cxgap.ingest.dates import parse_datetime

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
EPOCH_UNITS = {"unix": 1_000_000, "unix_ms": 1_000, "unix_us": 1}
COMPACT = "%Y%m%d"


class TimestampReader:
    """Reads one column's values with the formats decided for it."""

    def __init__(self, formats: Sequence[str], zone: tzinfo) -> None:
        self.formats = tuple(formats)
        self.zone = zone
        self.unit = EPOCH_UNITS.get(self.formats[0]) if len(self.formats) == 1 else None

    def read(self, text: str) -> datetime:
        """The value as an aware datetime; raises DateError."""
        if self.unit is not None:
            try:
                micros = round(float(text) * self.unit) if "." in text else int(text) * self.unit
                return EPOCH + timedelta(microseconds=micros)
            except (ValueError, OverflowError):
                raise DateError(f"is not an epoch time ({self.formats[0]})", "format") from None
        if not self.formats:  # ISO 8601: the C parser first, the checked one on refusal
            try:
                parsed = datetime.fromisoformat(text)
            except ValueError:
                return parse_datetime(text, self.formats, self.zone)
            return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=self.zone)
        return parse_datetime(text, self.formats, self.zone)

    def describe(self) -> str:
        """The formats, as a problem names them."""
        return " or ".join(self.formats) or "ISO 8601"


def epoch_unit(values: Iterable[str]) -> str | None:
    """The epoch unit of whole numbers, or None when the values are not all numbers.

    >>> epoch_unit(["1709654400123456"]), epoch_unit(["1709654400"]), epoch_unit(["20240305"])
    ('unix_us', 'unix', '%Y%m%d')
    """
    digits = 0
    for value in values:
        text = value.strip()
        whole = text.split(".", 1)[0]
        if not whole.isdigit():
            return None
        digits = max(digits, len(whole))
    if digits == 0:
        return None
    if digits == 8:
        return COMPACT
    if digits >= 15:
        return "unix_us"
    return "unix_ms" if digits >= 12 else "unix"


def decide_formats(
    values: Sequence[str], *, given: Sequence[str] = (), order: str | None = None
) -> tuple[str, ...]:
    """The formats for a column holding ``values`` (a sample, or every value); raises
    DateOrderError when the values mix orders or do not say theirs and ``order`` is None."""
    if given:
        return tuple(given)
    unit = epoch_unit(values)
    if unit is not None:
        return (unit,)
    evidence = DateEvidence()
    for value in values:
        evidence.add(value)
    return evidence.formats(chosen=order)


def needs_whole_column(values: Sequence[str], order: str | None) -> bool:
    """Whether the sample leaves the date order open, so that every value must be seen."""
    if order is not None or epoch_unit(values) is not None:
        return False
    evidence = DateEvidence()
    for value in values:
        evidence.add(value)
    return evidence.needs_order
