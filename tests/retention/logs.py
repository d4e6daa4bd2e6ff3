"""Small event logs written by hand for the retention tests, with their figures worked out
in the tests' comments."""

from __future__ import annotations

from datetime import UTC, date, datetime

from cxgap.events.model import Event


def at(day: str, hour: int = 12) -> datetime:
    return datetime.combine(date.fromisoformat(day), datetime.min.time(), UTC).replace(hour=hour)


def event(case: str, day: str, activity: str = "order", amount: float | None = None) -> Event:
    return Event(case=case, timestamp=at(day), activity=activity, amount=amount)


def shop_log() -> list[Event]:
    """Six customers A–F seen up to 2025-06-30 (G only cancels; a browse has no amount)."""
    rows = [
        ("A", "2025-01-05", "order", 10.0),
        ("A", "2025-01-05", "order", 5.0),  # same day: one purchase day worth 15
        ("A", "2025-02-10", "order", 20.0),
        ("A", "2025-04-01", "order", 30.0),  # + 90 days = 2025-06-30: gone on the day
        ("B", "2025-01-20", "order", 50.0),
        ("B", "2025-01-22", "browse", None),
        ("C", "2025-02-03", "order", 40.0),
        ("C", "2025-03-03", "order", 40.0),
        ("C", "2025-06-15", "order", 40.0),
        ("D", "2025-02-14", "order", 25.0),
        ("D", "2025-03-01", "cancel", None),
        ("E", "2025-03-10", "order", 12.0),
        ("E", "2025-03-20", "cancel", None),
        ("E", "2025-05-01", "order", 12.0),  # bought again: the cancellation no longer counts
        ("F", "2025-06-20", "order", 8.0),
        ("G", "2025-04-01", "cancel", None),
        ("A", "2025-06-30", "browse", None),  # the last event: as_of by default
    ]
    return [
        Event(case, at(day), activity, position=i, amount=amount)
        for i, (case, day, activity, amount) in enumerate(rows)
    ]
