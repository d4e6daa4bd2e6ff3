"""Loops and rework: an activity done more than once in a case.

A case *repeats* an activity when it holds it twice or more; *directly* when two of those
occurrences are consecutive (a, a), *after others* when other activities come between two
of them (a, b, a). A case can do both. The rework rate of an activity is the share of the
cases holding it that repeat it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from cxgap.events.model import Event
from cxgap.paths.stream import CaseEvents, StepOf, by_activity, run, steps_of


@dataclass(frozen=True, slots=True)
class ActivityRework:
    activity: str
    cases: int
    repeated_cases: int
    direct_cases: int
    after_others_cases: int
    extra_events: int  # occurrences beyond the first, over all cases

    @property
    def rate(self) -> float:
        return self.repeated_cases / self.cases if self.cases else 0.0

    def as_json(self) -> dict[str, object]:
        return {
            "activity": self.activity,
            "cases": self.cases,
            "repeated_cases": self.repeated_cases,
            "direct_cases": self.direct_cases,
            "after_others_cases": self.after_others_cases,
            "extra_events": self.extra_events,
            "rate": self.rate,
        }


@dataclass(frozen=True, slots=True)
class Rework:
    """Per activity (highest rework rate first, then most cases); cases with any loop."""

    cases: int
    cases_with_loop: int
    activities: tuple[ActivityRework, ...]

    def as_json(self) -> dict[str, object]:
        return {
            "cases": self.cases,
            "cases_with_loop": self.cases_with_loop,
            "activities": [row.as_json() for row in self.activities],
        }


def loops_of(path: Sequence[str]) -> dict[str, tuple[int, bool, bool]]:
    """Each activity of a path: (occurrences, repeated directly, repeated after others)."""
    last: dict[str, int] = {}
    found: dict[str, tuple[int, bool, bool]] = {}
    for index, step in enumerate(path):
        count, direct, after = found.get(step, (0, False, False))
        if step in last:
            direct = direct or last[step] == index - 1
            after = after or last[step] < index - 1
        found[step] = (count + 1, direct, after)
        last[step] = index
    return found


class ReworkCounter:
    """Accumulates loops and rework case by case (see ``cxgap.paths.stream``)."""

    def __init__(self, step_of: StepOf = by_activity) -> None:
        self._step_of = step_of
        self._cases = self._with_loop = 0
        self._counts: dict[str, list[int]] = {}  # cases, repeated, direct, after, extra

    def add(self, case: str, events: Sequence[Event]) -> None:
        self.count_loops(loops_of([step for step, _ in steps_of(events, self._step_of)]))

    def count_loops(self, loops: dict[str, tuple[int, bool, bool]], times: int = 1) -> None:
        """Count ``times`` cases whose loops (``loops_of`` their steps) are ``loops``."""
        self._cases += times
        self._with_loop += times * any(count > 1 for count, _, _ in loops.values())
        for activity, (count, direct, after) in loops.items():
            row = self._counts.setdefault(activity, [0, 0, 0, 0, 0])
            row[0] += times
            row[1] += times * (count > 1)
            row[2] += times * direct
            row[3] += times * after
            row[4] += times * (count - 1)

    def result(self) -> Rework:
        rows = [ActivityRework(activity, *counts) for activity, counts in self._counts.items()]
        rows.sort(key=lambda row: (-row.rate, -row.cases))
        return Rework(self._cases, self._with_loop, tuple(rows))


def rework(stream: Iterable[CaseEvents], *, step_of: StepOf = by_activity) -> Rework:
    """Loops and rework over a stream of cases in case order."""
    return run(ReworkCounter(step_of), stream)
