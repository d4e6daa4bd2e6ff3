"""Conformance of the lived paths to the designed journey map.

The design is the journey's touchpoint keys in map order (stages, then their touchpoints:
``designed_order``). A case's steps are its events' touchpoint keys (``Event.touchpoint``);
an event with no touchpoint, or one outside the map, is an *undesigned* step, named by its
activity. Three readings of "the case follows the map", from the strictest:

- **exact**: its steps are every designed touchpoint, once each, in order, and nothing else;
- **strict**: its steps are designed touchpoints in designed order, each at most once (skips
  allowed), with no undesigned step;
- **lenient**: its designed steps never go back in the designed order (skips and immediate
  repeats allowed); undesigned steps are ignored.

Where a case *leaves the map* is its first step that breaks the strict reading: an undesigned
step, a touchpoint already passed (``backwards``) or the same one again (``repeat``); it is
reported with the last touchpoint reached before it (None at the start of the path).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from cxgap.events.model import Event
from cxgap.journeys.model import Journey
from cxgap.paths.dropoff import designed_steps
from cxgap.paths.stream import CaseEvents, run

UNDESIGNED, BACKWARDS, REPEAT = "undesigned", "backwards", "repeat"


def designed_order(journey: Journey) -> tuple[str, ...]:
    """The journey's touchpoint keys in map order: its stages, then each stage's touchpoints."""
    return tuple(touchpoint.key for touchpoint in journey.touchpoints)


@dataclass(frozen=True, slots=True)
class Deviation:
    """Where a case left the map: after ``after`` (None: at the start), at ``step``."""

    after: str | None
    step: str
    kind: str  # undesigned | backwards | repeat

    def as_json(self) -> dict[str, object]:
        return {"after": self.after, "step": self.step, "kind": self.kind}


@dataclass(frozen=True, slots=True)
class CaseConformance:
    """One case read against the map."""

    exact: bool
    strict: bool
    lenient: bool
    reached: frozenset[str]
    undesigned: tuple[str, ...]
    deviation: Deviation | None


@dataclass(frozen=True, slots=True)
class TouchpointCoverage:
    touchpoint: str
    cases: int
    skipped: int
    skipped_share: float

    def as_json(self) -> dict[str, object]:
        return {
            "touchpoint": self.touchpoint,
            "cases": self.cases,
            "skipped": self.skipped,
            "skipped_share": self.skipped_share,
        }


@dataclass(frozen=True, slots=True)
class Conformance:
    """How the cases of a log follow the map (shares of all cases)."""

    cases: int
    exact: int
    strict: int
    lenient: int
    touchpoints: tuple[TouchpointCoverage, ...]  # in map order
    undesigned: tuple[tuple[str, int, int], ...]  # (activity, events, cases), most events first
    deviations: tuple[tuple[Deviation, int], ...]  # most cases first

    def share(self, count: int) -> float:
        return count / self.cases if self.cases else 0.0

    def as_json(self) -> dict[str, object]:
        return {
            "cases": self.cases,
            "exact": {"cases": self.exact, "share": self.share(self.exact)},
            "strict": {"cases": self.strict, "share": self.share(self.strict)},
            "lenient": {"cases": self.lenient, "share": self.share(self.lenient)},
            "touchpoints": [row.as_json() for row in self.touchpoints],
            "undesigned": [{"activity": a, "events": e, "cases": c} for a, e, c in self.undesigned],
            "deviations": [{**d.as_json(), "cases": n} for d, n in self.deviations],
        }


def conform(design: Sequence[str], events: Sequence[Event]) -> CaseConformance:
    """Read one case's events against the designed order ``design``."""
    rank = {key: index for index, key in enumerate(design)}
    last = -1  # rank of the case's previous designed step
    strict = lenient = True
    deviation: Deviation | None = None
    reached: list[str] = []
    undesigned: list[str] = []
    for event in events:
        where = rank.get(event.touchpoint) if event.touchpoint is not None else None
        if where is None:
            undesigned.append(event.activity)
            kind, name = UNDESIGNED, event.activity
        else:
            reached.append(design[where])
            lenient = lenient and where >= last
            kind = "" if where > last else (REPEAT if where == last else BACKWARDS)
            name = design[where]
        if kind and deviation is None:
            strict = False
            deviation = Deviation(design[last] if last >= 0 else None, name, kind)
        if where is not None:
            last = where
    return CaseConformance(
        exact=strict and tuple(reached) == tuple(design),
        strict=strict,
        lenient=lenient,
        reached=frozenset(reached),
        undesigned=tuple(undesigned),
        deviation=deviation,
    )


class ConformanceCounter:
    """Accumulates conformance case by case (see ``cxgap.paths.stream``)."""

    def __init__(self, design: Sequence[str]) -> None:
        self._design = designed_steps(design)
        self._cases = self._exact = self._strict = self._lenient = 0
        self._reached: Counter[str] = Counter()
        self._undesigned_events: Counter[str] = Counter()
        self._undesigned_cases: Counter[str] = Counter()
        self._deviations: Counter[Deviation] = Counter()

    def add(self, case: str, events: Sequence[Event]) -> None:
        self.count_read(conform(self._design, events))

    @property
    def design(self) -> tuple[str, ...]:
        return self._design

    def count_read(self, read: CaseConformance, times: int = 1) -> None:
        """Count ``times`` cases read against the map as ``read``."""
        self._cases += times
        self._exact += times * read.exact
        self._strict += times * read.strict
        self._lenient += times * read.lenient
        for key in read.reached:
            self._reached[key] += times
        for activity in read.undesigned:
            self._undesigned_events[activity] += times
        for activity in set(read.undesigned):
            self._undesigned_cases[activity] += times
        if read.deviation is not None:
            self._deviations[read.deviation] += times

    def result(self) -> Conformance:
        cases = self._cases
        coverage = tuple(
            TouchpointCoverage(
                key,
                self._reached[key],
                cases - self._reached[key],
                (cases - self._reached[key]) / cases if cases else 0.0,
            )
            for key in self._design
        )
        return Conformance(
            cases=cases,
            exact=self._exact,
            strict=self._strict,
            lenient=self._lenient,
            touchpoints=coverage,
            undesigned=tuple(
                (a, n, self._undesigned_cases[a]) for a, n in self._undesigned_events.most_common()
            ),
            deviations=tuple(self._deviations.most_common()),
        )


def conformance(stream: Iterable[CaseEvents], design: Sequence[str]) -> Conformance:
    """Conformance to the designed order ``design`` over a stream of cases in case order."""
    return run(ConformanceCounter(design), stream)
