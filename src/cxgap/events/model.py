"""The event record shared by the readers, the storage and the path analytics.

One event is one thing a customer (or a case) did at one moment: an activity, optionally
mapped onto a touchpoint of a designed journey, on a channel, with an outcome and free
attributes. ``position`` is the event's place in its file (0-based), so events of a case
with the same timestamp keep their file order when sorted (the contract's "ties kept in
file order").
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from itertools import groupby
from types import MappingProxyType

_EMPTY: Mapping[str, str] = MappingProxyType({})


@dataclass(frozen=True, slots=True)
class Event:
    """One touchpoint event; ``timestamp`` is timezone-aware (UTC when the file had none)."""

    case: str
    timestamp: datetime
    activity: str
    position: int = 0
    channel: str | None = None
    outcome: str | None = None
    lifecycle: str | None = None
    touchpoint: str | None = None
    amount: float | None = None
    attributes: Mapping[str, str] = field(default_factory=lambda: _EMPTY)

    def order_key(self) -> tuple[str, datetime, int]:
        """Case, then time, then file order: the order every path is read in."""
        return (self.case, self.timestamp, self.position)


def in_case_order(events: Iterable[Event]) -> list[Event]:
    """The events sorted by case, timestamp and file position (ties kept in file order)."""
    return sorted(events, key=Event.order_key)


def cases(ordered: Iterable[Event]) -> Iterator[tuple[str, list[Event]]]:
    """Each case with its events, from events already in case order (see ``in_case_order``)."""
    for case, group in groupby(ordered, key=lambda event: event.case):
        yield case, list(group)
