"""What every path analysis reads: cases one at a time, each with its events in order.

The analyses are *accumulators*: ``add`` takes one case and its events, ``result`` gives the
frozen result. They keep only their aggregates, never a past case's events, so a log of
millions of events streams through them in bounded memory (the caller reads one case at a
time, e.g. ``cxgap.events.model.cases`` over events already in case order). ``run`` feeds a
stream to one accumulator, ``run_together`` to several in one read of the log;
``cxgap.paths.groups`` feeds one accumulator per persona or segment.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Protocol, TypeVar

from cxgap.errors import ValidationError
from cxgap.events.model import Event

R_co = TypeVar("R_co", covariant=True)
R = TypeVar("R")

CaseEvents = tuple[str, Sequence[Event]]
# Which step of a path an event stands for (an activity, a touchpoint key…), None to skip it.
StepOf = Callable[[Event], str | None]


class CaseAccumulator(Protocol[R_co]):
    """Takes cases one by one (``add``) and gives its result (``result``) at the end."""

    def add(self, case: str, events: Sequence[Event]) -> None: ...

    def result(self) -> R_co: ...


def run(accumulator: CaseAccumulator[R], stream: Iterable[CaseEvents]) -> R:
    """Feed every case of ``stream`` to ``accumulator`` (events checked in order) and finish."""
    for case, events in stream:
        check_in_order(case, events)
        accumulator.add(case, events)
    return accumulator.result()


def run_together(
    stream: Iterable[CaseEvents], accumulators: Mapping[str, CaseAccumulator[object]]
) -> dict[str, object]:
    """Feed one pass of ``stream`` to several accumulators (one read of a large log)."""
    for case, events in stream:
        check_in_order(case, events)
        for accumulator in accumulators.values():
            accumulator.add(case, events)
    return {name: accumulator.result() for name, accumulator in accumulators.items()}


def check_in_order(case: str, events: Sequence[Event]) -> None:
    """Refuse a case whose events are not in time order or belong to another case."""
    for index, event in enumerate(events):
        if event.case != case:
            raise ValidationError.single(
                "case", f"event {index} of case {case!r} belongs to another case", event.case
            )
        if index and event.timestamp < events[index - 1].timestamp:
            raise ValidationError.single(
                "timestamp",
                f"event {index} of case {case!r} is earlier than the event before it",
                event.timestamp.isoformat(),
            )


def by_activity(event: Event) -> str:
    """The step is the event's activity name (the default of every analysis)."""
    return event.activity


def by_touchpoint(event: Event) -> str | None:
    """The step is the journey touchpoint the event was mapped onto (unmapped: skipped)."""
    return event.touchpoint


def steps_of(events: Sequence[Event], step_of: StepOf) -> list[tuple[str, Event]]:
    """The events that stand for a step, with that step."""
    return [(step, event) for event in events if (step := step_of(event)) is not None]


def positive(name: str, value: int) -> int:
    """``value`` when it is at least 1, else a ValidationError naming the parameter."""
    if value < 1:
        raise ValidationError.single(
            name, "must be a whole number of at least 1", value, code="range", params={"low": 1}
        )
    return value
