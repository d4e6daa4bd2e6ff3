"""Small event logs written step by step, for the path analyses' tests."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, datetime, timedelta

from cxgap.events.model import Event, cases, in_case_order

START = datetime(2025, 1, 6, 9, 0, tzinfo=UTC)

# One step: (activity, minutes after the case's previous event, channel, touchpoint).
Step = tuple[str, float] | tuple[str, float, str | None] | tuple[str, float, str | None, str | None]


def case_events(case: str, steps: Sequence[Step], start: datetime = START) -> list[Event]:
    """The events of one case; each step's minutes count from the previous step."""
    moment, events = start, []
    for position, step in enumerate(steps):
        activity, minutes = step[0], step[1]
        channel = step[2] if len(step) > 2 else None  # type: ignore[misc]
        touchpoint = step[3] if len(step) > 3 else None  # type: ignore[misc]
        moment += timedelta(minutes=minutes)
        events.append(Event(case, moment, activity, position, channel, touchpoint=touchpoint))
    return events


def stream(log: dict[str, Sequence[Step]]) -> list[tuple[str, list[Event]]]:
    """The log as the analyses read it: cases in case order, events in time order."""
    events = [e for case, steps in log.items() for e in case_events(case, steps)]
    return list(cases(in_case_order(events)))


def plain(
    paths: Iterable[Sequence[str]], gap_minutes: float = 1
) -> Iterator[tuple[str, list[Event]]]:
    """One case per path of activity names, events ``gap_minutes`` apart."""
    for number, path in enumerate(paths):
        case = f"c{number:06d}"
        yield case, case_events(case, [(a, gap_minutes) for a in path])
