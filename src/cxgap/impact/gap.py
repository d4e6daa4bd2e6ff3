"""The action gap (seed 002): for a priority pillar or a top irritant, whether something is
being done about it, whether it is late, and whether it moved its metric. Pure."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Moved(StrEnum):
    """What the impact analysis of an action says about its metric."""

    BETTER = "better"  # a significant change in the good direction (level or slope, p < 0.05)
    WORSE = "worse"  # a significant change in the bad direction
    NO_CHANGE = "no_change"  # measured, nothing significant
    NOT_ENOUGH_DATA = "not_enough_data"  # started, too few periods or answers yet
    NOT_STARTED = "not_started"


class ActionGapStatus(StrEnum):
    NO_ACTION = "no_action"  # the gap is the whole gap: nothing planned
    LATE = "late"  # an action past its due date and not done
    WORKING = "working"  # an action moved its metric the right way
    NOT_WORKING = "not_working"  # measured, no change or worse
    WAITING = "waiting"  # planned or started, not measurable yet


@dataclass(frozen=True)
class ActionGap:
    """One subject: ``kind`` is ``"pillar"`` (a pillar key) or ``"topic"`` (a topic key)."""

    kind: str
    subject: str
    actions: int  # actions tied to it, cancelled ones excluded
    late: int  # of which past their due date and not done
    moved: Moved | None  # the best outcome among its actions' impacts; None without actions

    @property
    def status(self) -> ActionGapStatus:
        if self.actions == 0:
            return ActionGapStatus.NO_ACTION
        # Late first: what is promised and not delivered is the gap to act on, even when the
        # metric already moves (``moved`` still says so).
        if self.late:
            return ActionGapStatus.LATE
        if self.moved is Moved.BETTER:
            return ActionGapStatus.WORKING
        if self.moved in (Moved.WORSE, Moved.NO_CHANGE):
            return ActionGapStatus.NOT_WORKING
        return ActionGapStatus.WAITING

    def as_json(self) -> dict[str, object]:
        return {
            "kind": self.kind,
            "subject": self.subject,
            "actions": self.actions,
            "late": self.late,
            "moved": None if self.moved is None else self.moved.value,
            "status": self.status.value,
        }


_RANK = {
    Moved.BETTER: 4,
    Moved.NO_CHANGE: 3,
    Moved.WORSE: 2,
    Moved.NOT_ENOUGH_DATA: 1,
    Moved.NOT_STARTED: 0,
}


def best_outcome(outcomes: list[Moved]) -> Moved | None:
    """The outcome shown for a subject with several actions: the best one measured."""
    return max(outcomes, key=_RANK.__getitem__) if outcomes else None
