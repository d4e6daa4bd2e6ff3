"""The lived lane of a journey map: per touchpoint, what the event log says happened.

- **volume**: the cases with at least one event at the touchpoint;
- **left after**: the cases whose last touchpoint is this one (their path on the map ends
  there), and their share of the volume;
- **time before the next step**: from each event at the touchpoint to the case's next event
  (whatever it is), median and 90th percentile; the case's last event has none.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass

from cxgap.events.model import Event
from cxgap.paths.dropoff import designed_steps
from cxgap.paths.durations import DurationDigest
from cxgap.paths.stream import CaseEvents, run


@dataclass(frozen=True, slots=True)
class LaneCell:
    touchpoint: str
    cases: int
    events: int
    left_after: int
    left_share: float | None
    median_seconds_to_next: float | None
    p90_seconds_to_next: float | None

    def as_json(self) -> dict[str, object]:
        return {
            "touchpoint": self.touchpoint,
            "cases": self.cases,
            "events": self.events,
            "left_after": self.left_after,
            "left_share": self.left_share,
            "median_seconds_to_next": self.median_seconds_to_next,
            "p90_seconds_to_next": self.p90_seconds_to_next,
        }


@dataclass(frozen=True, slots=True)
class LivedLane:
    """One cell per designed touchpoint, in map order; ``cases`` counts every case."""

    cases: int
    cells: tuple[LaneCell, ...]

    def cell(self, touchpoint: str) -> LaneCell | None:
        return next((c for c in self.cells if c.touchpoint == touchpoint), None)

    def as_json(self) -> dict[str, object]:
        return {"cases": self.cases, "cells": [cell.as_json() for cell in self.cells]}


def designed_visits(events: Sequence[Event], known: Collection[str]) -> list[tuple[str, int]]:
    """A case's events at a ``known`` touchpoint: (touchpoint, index in ``events``)."""
    return [
        (event.touchpoint, index)
        for index, event in enumerate(events)
        if event.touchpoint is not None and event.touchpoint in known
    ]


class LaneCounter:
    """Accumulates the lived lane case by case (see ``cxgap.paths.stream``)."""

    def __init__(self, design: Sequence[str]) -> None:
        self._design = designed_steps(design)
        self._known = frozenset(self._design)
        self._cases = 0
        self._volume: Counter[str] = Counter()
        self._events: Counter[str] = Counter()
        self._left: Counter[str] = Counter()
        self._to_next = {key: DurationDigest() for key in self._design}

    def add(self, case: str, events: Sequence[Event]) -> None:
        visits = designed_visits(events, self._known)
        self.count_visits([key for key, _ in visits])
        for key, index in visits:
            if index + 1 < len(events):
                gap = events[index + 1].timestamp - events[index].timestamp
                self._to_next[key].add(gap.total_seconds())

    def count_visits(self, keys: Sequence[str], times: int = 1) -> None:
        """Count ``times`` cases whose events at designed touchpoints are at ``keys``, in
        order, without their times."""
        self._cases += times
        for key in keys:
            self._events[key] += times
        for key in set(keys):
            self._volume[key] += times
        if keys:
            self._left[keys[-1]] += times

    def to_next(self, key: str) -> DurationDigest:
        """The times from the events at designed touchpoint ``key`` to their next events."""
        return self._to_next[key]

    def result(self) -> LivedLane:
        cells = []
        for key in self._design:
            volume, left = self._volume[key], self._left[key]
            cells.append(
                LaneCell(
                    touchpoint=key,
                    cases=volume,
                    events=self._events[key],
                    left_after=left,
                    left_share=left / volume if volume else None,
                    median_seconds_to_next=self._to_next[key].median(),
                    p90_seconds_to_next=self._to_next[key].p90(),
                )
            )
        return LivedLane(self._cases, tuple(cells))


def lived_lane(stream: Iterable[CaseEvents], design: Sequence[str]) -> LivedLane:
    """The lived lane of the designed touchpoints ``design`` over a stream of cases."""
    return run(LaneCounter(design), stream)
