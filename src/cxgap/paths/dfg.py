"""The directly-follows graph: which step follows which, how often and how long after.

An edge ``a → b`` is counted each time a case's step ``b`` comes right after its step ``a``
(``events``), and once per case that has it at least once (``cases``); its times are those
between the two events. Start and end steps are each case's first and last.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from cxgap.events.model import Event
from cxgap.paths.durations import DurationDigest
from cxgap.paths.stream import CaseEvents, StepOf, by_activity, run, steps_of


@dataclass(frozen=True, slots=True)
class Edge:
    """``source`` directly followed by ``target``; times in seconds (None without any)."""

    source: str
    target: str
    events: int
    cases: int
    median_seconds: float | None
    p90_seconds: float | None

    def as_json(self) -> dict[str, object]:
        return {
            "source": self.source,
            "target": self.target,
            "events": self.events,
            "cases": self.cases,
            "median_seconds": self.median_seconds,
            "p90_seconds": self.p90_seconds,
        }


@dataclass(frozen=True, slots=True)
class DirectlyFollowsGraph:
    """The edges (most frequent first, ties in first-seen order), the steps' counts, the
    start and end steps."""

    cases: int
    events: int
    activities: tuple[tuple[str, int], ...]
    edges: tuple[Edge, ...]
    starts: tuple[tuple[str, int], ...]
    ends: tuple[tuple[str, int], ...]

    def as_json(self) -> dict[str, object]:
        return {
            "cases": self.cases,
            "events": self.events,
            "activities": [{"activity": a, "events": n} for a, n in self.activities],
            "edges": [edge.as_json() for edge in self.edges],
            "starts": [{"activity": a, "cases": n} for a, n in self.starts],
            "ends": [{"activity": a, "cases": n} for a, n in self.ends],
        }


class DirectlyFollows:
    """Accumulates the graph case by case (see ``cxgap.paths.stream``)."""

    def __init__(self, step_of: StepOf = by_activity) -> None:
        self._step_of = step_of
        self._cases = 0
        self._activities: Counter[str] = Counter()
        self._edge_events: Counter[tuple[str, str]] = Counter()
        self._edge_cases: Counter[tuple[str, str]] = Counter()
        self._times: dict[tuple[str, str], DurationDigest] = {}
        self._starts: Counter[str] = Counter()
        self._ends: Counter[str] = Counter()

    def add(self, case: str, events: Sequence[Event]) -> None:
        steps = steps_of(events, self._step_of)
        if not steps:
            return
        self.count_path([step for step, _ in steps])
        for (a, before), (b, after) in itertools.pairwise(steps):
            self.digest((a, b)).add((after.timestamp - before.timestamp).total_seconds())

    def count_path(self, steps: Sequence[str], times: int = 1) -> None:
        """Count ``times`` cases whose steps are ``steps`` (not empty), without their times."""
        self._cases += times
        self._starts[steps[0]] += times
        self._ends[steps[-1]] += times
        for step in steps:
            self._activities[step] += times
        seen: set[tuple[str, str]] = set()
        for pair in itertools.pairwise(steps):
            self._edge_events[pair] += times
            seen.add(pair)
        for pair in seen:
            self._edge_cases[pair] += times

    def digest(self, pair: tuple[str, str]) -> DurationDigest:
        """The times of the edge ``pair`` (created empty on first use)."""
        digest = self._times.get(pair)
        if digest is None:
            digest = self._times[pair] = DurationDigest()
        return digest

    def result(self) -> DirectlyFollowsGraph:
        edges = tuple(
            Edge(
                a,
                b,
                count,
                self._edge_cases[(a, b)],
                self.digest((a, b)).median(),
                self.digest((a, b)).p90(),
            )
            for (a, b), count in self._edge_events.most_common()
        )
        return DirectlyFollowsGraph(
            cases=self._cases,
            events=self._activities.total(),
            activities=tuple(self._activities.most_common()),
            edges=edges,
            starts=tuple(self._starts.most_common()),
            ends=tuple(self._ends.most_common()),
        )


def directly_follows(
    stream: Iterable[CaseEvents], *, step_of: StepOf = by_activity
) -> DirectlyFollowsGraph:
    """The directly-follows graph of a stream of cases in case order."""
    return run(DirectlyFollows(step_of), stream)
