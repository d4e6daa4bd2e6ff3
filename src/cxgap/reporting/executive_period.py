"""The period an executive report covers, and the period of the same length before it. Pure.

Accepted spellings: a month ``2026-11``, a quarter ``2026-Q3``, a year ``2026`` and a range
of days ``2026-09-01..2026-11-30`` (both ends included). Without one, the last full month
before today. Anything else is refused, naming the value.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from cxgap.errors import ValidationError

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_QUARTER = re.compile(r"^(\d{4})-[Qq]([1-4])$")
_YEAR = re.compile(r"^(\d{4})$")
_RANGE = re.compile(r"^(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})$")
SPELLINGS = "2026-11, 2026-Q3, 2026 or 2026-09-01..2026-11-30"


@dataclass(frozen=True)
class Period:
    """Days ``first`` to ``last``, both included; ``label`` as the user wrote it (normalised)."""

    first: date
    last: date
    label: str

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    def previous(self) -> Period:
        """The period of the same length just before (a month: the month before, whatever
        its length; a quarter or a year likewise; a range: as many days).

        >>> parse_period("2026-03").previous().label
        '2026-02'
        >>> parse_period("2026-Q1").previous().label
        '2025-Q4'
        >>> parse_period("2026-09-01..2026-09-10").previous().label
        '2026-08-22..2026-08-31'
        """
        if _MONTH.match(self.label):
            return month_period(_month_before(self.first))
        if match := _QUARTER.match(self.label):
            year, quarter = int(match[1]), int(match[2])
            return parse_period(f"{year - 1}-Q4" if quarter == 1 else f"{year}-Q{quarter - 1}")
        if _YEAR.match(self.label):
            return parse_period(str(self.first.year - 1))
        last = self.first - timedelta(days=1)
        first = last - timedelta(days=self.days - 1)
        return Period(first, last, f"{first.isoformat()}..{last.isoformat()}")


def _month_before(day: date) -> date:
    return date(day.year - 1, 12, 1) if day.month == 1 else date(day.year, day.month - 1, 1)


def _month_end(first: date) -> date:
    following = (
        date(first.year + 1, 1, 1) if first.month == 12 else first.replace(month=first.month + 1)
    )
    return following - timedelta(days=1)


def month_period(first: date) -> Period:
    first = first.replace(day=1)
    return Period(first, _month_end(first), f"{first.year:04d}-{first.month:02d}")


def last_full_month(today: date) -> Period:
    """The month before ``today``'s.

    >>> last_full_month(date(2026, 1, 15)).label
    '2025-12'
    """
    return month_period(_month_before(today))


def _refuse(text: str) -> ValidationError:
    return ValidationError.single("period", f"must be one of {SPELLINGS}", text, code="period")


def _day(text: str, original: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise _refuse(original) from None


def parse_period(text: str | None, *, today: date | None = None) -> Period:
    """The period ``text`` names; the last full month before ``today`` when empty.

    >>> p = parse_period("2026-Q3")
    >>> p.first, p.last
    (datetime.date(2026, 7, 1), datetime.date(2026, 9, 30))
    >>> parse_period("2026-11").days
    30
    """
    try:
        return _parse(text, today)
    except ValueError:  # year 0 and the like: not a calendar date
        raise _refuse(text or "") from None


def _parse(text: str | None, today: date | None) -> Period:
    value = (text or "").strip()
    if not value:
        return last_full_month(today or date.today())
    if match := _MONTH.match(value):
        month = int(match[2])
        if not 1 <= month <= 12:
            raise _refuse(text or "")
        return month_period(date(int(match[1]), month, 1))
    if match := _QUARTER.match(value):
        year, quarter = int(match[1]), int(match[2])
        first = date(year, 3 * quarter - 2, 1)
        last = _month_end(date(year, 3 * quarter, 1))
        return Period(first, last, f"{year:04d}-Q{quarter}")
    if _YEAR.match(value):
        year = int(value)
        return Period(date(year, 1, 1), date(year, 12, 31), f"{year:04d}")
    if match := _RANGE.match(value):
        first, last = _day(match[1], value), _day(match[2], value)
        if last < first:
            raise ValidationError.single(
                "period", "ends before it starts", value, code="period_order"
            )
        return Period(first, last, f"{first.isoformat()}..{last.isoformat()}")
    raise _refuse(value)
