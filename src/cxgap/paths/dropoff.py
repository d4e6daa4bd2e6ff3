"""Drop-off along a designed sequence of steps (a funnel), and the time between the steps.

A case *reaches* step k when its path holds steps 1…k in that order, others in between
allowed: each step is matched at its first occurrence after the previous step's match, so
the match is the earliest one. A case *leaves after* step k when it reaches k but not k + 1.
The time between two consecutive steps is that between their matched events.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from cxgap.errors import ValidationError
from cxgap.events.model import Event
from cxgap.paths.durations import DurationDigest
from cxgap.paths.stream import CaseEvents, StepOf, by_activity, run, steps_of


@dataclass(frozen=True, slots=True)
class FunnelStep:
    """One designed step: cases reaching it, leaving after it, and the time from the step
    before it (None for the first step, or when no case went from one to the other)."""

    step: str
    reached: int
    left_after: int
    reached_share: float
    continued_share: float | None  # of the cases reaching it, the share reaching the next one
    median_seconds_from_previous: float | None
    p90_seconds_from_previous: float | None

    def as_json(self) -> dict[str, object]:
        return {
            "step": self.step,
            "reached": self.reached,
            "left_after": self.left_after,
            "reached_share": self.reached_share,
            "continued_share": self.continued_share,
            "median_seconds_from_previous": self.median_seconds_from_previous,
            "p90_seconds_from_previous": self.p90_seconds_from_previous,
        }


@dataclass(frozen=True, slots=True)
class Funnel:
    """The designed steps in order; ``cases`` counts every case, reaching a step or not."""

    cases: int
    never_started: int
    steps: tuple[FunnelStep, ...]

    def as_json(self) -> dict[str, object]:
        return {
            "cases": self.cases,
            "never_started": self.never_started,
            "steps": [step.as_json() for step in self.steps],
        }


def designed_steps(steps: Sequence[str]) -> tuple[str, ...]:
    """``steps`` checked: at least one, none blank, none twice."""
    if not steps:
        raise ValidationError.single("steps", "name at least one step", code="required")
    for index, step in enumerate(steps):
        if not step.strip() or step in steps[:index]:
            raise ValidationError.single(
                "steps", f"step {index + 1} is blank or repeats an earlier step", step
            )
    return tuple(steps)


def reach(steps: Sequence[str], path: Sequence[tuple[str, Event]]) -> list[Event]:
    """The matched event of each designed step the case reaches, in order (earliest match)."""
    matched: list[Event] = []
    for step, event in path:
        if len(matched) < len(steps) and step == steps[len(matched)]:
            matched.append(event)
    return matched


class DropOff:
    """Accumulates the funnel case by case (see ``cxgap.paths.stream``)."""

    def __init__(self, steps: Sequence[str], step_of: StepOf = by_activity) -> None:
        self._steps = designed_steps(steps)
        self._step_of = step_of
        self._cases = 0
        self._reached = [0] * len(self._steps)
        self._gaps = [DurationDigest() for _ in self._steps]

    def add(self, case: str, events: Sequence[Event]) -> None:
        matched = reach(self._steps, steps_of(events, self._step_of))
        self.count_reached(len(matched))
        for index in range(1, len(matched)):
            gap = matched[index].timestamp - matched[index - 1].timestamp
            self._gaps[index].add(gap.total_seconds())

    @property
    def steps(self) -> tuple[str, ...]:
        return self._steps

    def count_reached(self, reached: int, times: int = 1) -> None:
        """Count ``times`` cases reaching the first ``reached`` steps, without their times."""
        self._cases += times
        for index in range(reached):
            self._reached[index] += times

    def gap(self, index: int) -> DurationDigest:
        """The times from step ``index - 1`` to step ``index`` (1 or more)."""
        return self._gaps[index]

    def result(self) -> Funnel:
        reached = self._reached
        out = []
        for index, step in enumerate(self._steps):
            following = reached[index + 1] if index + 1 < len(reached) else None
            out.append(
                FunnelStep(
                    step=step,
                    reached=reached[index],
                    left_after=reached[index] - (following or 0),
                    reached_share=reached[index] / self._cases if self._cases else 0.0,
                    continued_share=_share(following, reached[index]),
                    median_seconds_from_previous=self._gaps[index].median(),
                    p90_seconds_from_previous=self._gaps[index].p90(),
                )
            )
        return Funnel(self._cases, self._cases - reached[0], tuple(out))


def drop_off(
    stream: Iterable[CaseEvents], steps: Sequence[str], *, step_of: StepOf = by_activity
) -> Funnel:
    """The funnel of ``steps`` over a stream of cases in case order."""
    return run(DropOff(steps, step_of), stream)


def _share(part: int | None, whole: int) -> float | None:
    return part / whole if part is not None and whole else None
