"""Business calendars: working hours per weekday, a time zone, holidays.

Every instant is an aware ``datetime``; the arithmetic is done on the UTC instants of each
day's openings, built from the *local wall time* of that day. A daylight-saving change therefore
moves the openings with the clocks (09:00 stays 09:00) and an opening that spans the change
counts the time that really elapsed (``docs/sla.md``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo

WEEKDAYS: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
# Adding business time gives up after this many days without reaching the target: a calendar
# whose openings are all holidays would otherwise never answer.
_SEARCH_DAYS = 3 * 366
ZERO = timedelta(0)


@dataclass(frozen=True)
class Opening:
    """One working interval of a day, in local wall time; ``end=None`` means midnight (24:00)."""

    start: time
    end: time | None

    def instants(self, day: date, zone: ZoneInfo) -> tuple[datetime, datetime]:
        """The UTC instants of this opening on ``day``."""
        start = datetime.combine(day, self.start, tzinfo=zone)
        if self.end is None:
            end = datetime.combine(day + timedelta(days=1), time(0), tzinfo=zone)
        else:
            end = datetime.combine(day, self.end, tzinfo=zone)
        return start.astimezone(UTC), end.astimezone(UTC)


@cache
def public_holidays(country: str, subdivision: str | None, year: int) -> frozenset[date]:
    """The public holidays of ``country`` (and ``subdivision``) in ``year``, from ``holidays``."""
    import holidays  # imported on first use: most calendars never ask

    return frozenset(holidays.country_holidays(country, subdiv=subdivision, years=year))


def supported_country(country: str, subdivision: str | None) -> bool:
    """Whether the ``holidays`` package knows this country (and subdivision)."""
    import holidays

    subdivisions = holidays.list_supported_countries().get(country)
    if subdivisions is None:
        return False
    return subdivision is None or subdivision in subdivisions


@dataclass(frozen=True)
class BusinessCalendar:
    """Working hours per weekday (Monday first), a time zone and holidays."""

    zone: ZoneInfo
    week: tuple[tuple[Opening, ...], ...]
    company_holidays: frozenset[date] = field(default_factory=frozenset)
    holiday_country: str | None = None
    holiday_subdivision: str | None = None
    # Each day's openings once worked out: evaluating a month of cases asks for the same days
    # thousands of times (a value cache: the calendar itself never changes).
    _days: dict[date, tuple[tuple[datetime, datetime], ...]] = field(
        default_factory=dict, compare=False, hash=False, repr=False
    )

    def local(self, instant: datetime) -> datetime:
        return instant.astimezone(self.zone)

    def is_holiday(self, day: date) -> bool:
        if day in self.company_holidays:
            return True
        if self.holiday_country is None:
            return False
        return day in public_holidays(self.holiday_country, self.holiday_subdivision, day.year)

    def openings(self, day: date) -> tuple[tuple[datetime, datetime], ...]:
        """The UTC instants of ``day``'s working intervals (none on a holiday)."""
        known = self._days.get(day)
        if known is None:
            working = () if self.is_holiday(day) else self.week[day.weekday()]
            known = self._days[day] = tuple(o.instants(day, self.zone) for o in working)
        return known

    def business_time(self, start: datetime, end: datetime) -> timedelta:
        """Working time between two instants (zero when ``end`` is not after ``start``)."""
        total = ZERO
        if end <= start:
            return total
        day, last = self.local(start).date(), self.local(end).date()
        while day <= last:
            for opened, closed in self.openings(day):
                overlap = min(closed, end) - max(opened, start)
                if overlap > ZERO:
                    total += overlap
            day += timedelta(days=1)
        return total

    def add_business_time(self, start: datetime, amount: timedelta) -> datetime:
        """The instant at which ``amount`` of working time has passed since ``start``.

        A start outside working hours begins at the next opening; an amount that ends exactly
        at a closing gives the closing time, not the next opening.
        """
        remaining = amount
        day = self.local(start).date()
        for _ in range(_SEARCH_DAYS):
            for opened, closed in self.openings(day):
                if closed <= start:
                    continue
                begin = max(opened, start)
                if remaining <= closed - begin:
                    return begin + remaining
                remaining -= closed - begin
            day += timedelta(days=1)
        raise ValueError(f"no working time found within {_SEARCH_DAYS} days of {start}")
