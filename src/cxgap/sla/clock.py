"""The clocks of one metric: due time, time used, hit, missed, active or paused.

A clock starts at an instant, runs only during working hours and outside its pauses, and stops
when it is satisfied. Its due time is the instant at which its target of business minutes is
used up; past that instant, unsatisfied, it is missed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from cxgap.sla.calendar import ZERO, BusinessCalendar

WARNING_SHARE = 0.8

# A pause from ``start`` to ``end`` (``None``: still paused).
Pause = tuple[datetime, datetime | None]


class Status(StrEnum):
    HIT = "hit"
    MISSED = "missed"
    ACTIVE = "active"
    PAUSED = "paused"


@dataclass(frozen=True)
class Clock:
    """One measured span: ``due`` is ``None`` while paused (the time left is frozen)."""

    started_at: datetime
    target: timedelta
    due: datetime | None
    satisfied_at: datetime | None
    used: timedelta
    status: Status

    @property
    def warning(self) -> bool:
        """Still running and at least 80 % of its target used."""
        unsettled = self.status in (Status.ACTIVE, Status.PAUSED)
        return unsettled and self.used >= self.target * WARNING_SHARE

    @property
    def left(self) -> timedelta:
        return max(self.target - self.used, ZERO)


def _running_spans(
    start: datetime, horizon: datetime, pauses: Sequence[Pause]
) -> tuple[list[tuple[datetime, datetime]], bool]:
    """The spans between ``start`` and ``horizon`` outside the pauses, and whether the clock is
    still paused at ``horizon``."""
    spans: list[tuple[datetime, datetime]] = []
    cursor = start
    for paused_from, paused_until in sorted(pauses, key=lambda p: p[0]):
        if paused_until is not None and paused_until <= cursor:
            continue
        if paused_from >= horizon:
            break
        if paused_from > cursor:
            spans.append((cursor, paused_from))
        if paused_until is None or paused_until > horizon:
            return spans, True
        cursor = max(cursor, paused_until)
    if cursor < horizon:
        spans.append((cursor, horizon))
    return spans, False


def _due(
    calendar: BusinessCalendar,
    spans: Sequence[tuple[datetime, datetime]],
    target: timedelta,
    tail: datetime | None,
) -> datetime | None:
    """When ``target`` is used up running through ``spans`` then from ``tail`` on (if any)."""
    remaining = target
    for begin, end in spans:
        available = calendar.business_time(begin, end)
        if remaining <= available:
            return calendar.add_business_time(begin, remaining)
        remaining -= available
    return None if tail is None else calendar.add_business_time(tail, remaining)


def run_clock(
    calendar: BusinessCalendar,
    *,
    start: datetime,
    target: timedelta,
    pauses: Sequence[Pause],
    satisfied_at: datetime | None,
    now: datetime,
) -> Clock:
    """The state at ``now`` of a clock started at ``start``, satisfied at ``satisfied_at``."""
    horizon = max(start, satisfied_at if satisfied_at is not None else now)
    spans, paused = _running_spans(start, horizon, pauses)
    used = sum((calendar.business_time(a, b) for a, b in spans), ZERO)
    # Once satisfied the pauses no longer matter: the clock would have run on from there.
    tail = None if paused and satisfied_at is None else horizon
    due = _due(calendar, spans, target, tail)
    if satisfied_at is not None:
        status = Status.HIT if due is not None and satisfied_at <= due else Status.MISSED
    elif due is not None and due < now:
        status = Status.MISSED
    elif paused:
        status, due = Status.PAUSED, None
    else:
        status = Status.ACTIVE
    return Clock(start, target, due, satisfied_at, used, status)
