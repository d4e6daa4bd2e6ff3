"""Purchase dates as exports write them: ISO 8601, ``YYYYMMDD`` (the CDNOW files), short dates
whose order the column itself shows (``23/04/2016`` is day first) or the person chooses
(``--date-order``), with or without a time and an offset. Only the date as written counts:
a purchase at 23:30+02:00 stays on its own day.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from datetime import UTC, date

from cxgap.errors import DateError, DateOrderError
from cxgap.ingest.dateorder import DateEvidence
from cxgap.ingest.dates import parse_datetime

_COMPACT = re.compile(r"(\d{4})(\d{2})(\d{2})")
DateReader = Callable[[str], date | None]


def date_reader(values: Iterable[str], order: str | None = None) -> DateReader:
    """A reader for a column holding ``values``; it gives None for a value it cannot read.
    Raises DateOrderError when short dates read both ways and no ``order`` is chosen, or
    when the column mixes day-first and month-first dates."""
    evidence = DateEvidence()
    for value in values:
        if not _COMPACT.fullmatch(value.strip()):
            evidence.add(value)
    formats = evidence.formats(chosen=order)

    def read(text: str) -> date | None:
        stripped = text.strip()
        compact = _COMPACT.fullmatch(stripped)
        if compact:
            return _compact(compact)
        try:
            return parse_datetime(stripped, formats, UTC).date()
        except DateError:
            return None

    return read


def _compact(match: re.Match[str]) -> date | None:
    try:
        return date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None


__all__ = ["DateOrderError", "DateReader", "date_reader"]
