"""A case's *shape*: its events without their times, and what every path analysis reads
from them.

Most figures of the paths report depend on a case's activities, channels and touchpoints
in order, not on its times: its variant and loops (activities), its channel runs
(channels), its conformance, the funnel steps it reaches and the lane cells it visits
(activities and touchpoints); only durations and repeat contacts also need the times. Many
cases share these sequences, so each distinct one is read once (``activity_shape``,
``map_shape``), with the very functions the accumulators apply to each case
(``loops_of``, ``conform``, ``reach``…), and counted for all its cases at once (the
``count_*`` methods of the accumulators, with ``times``).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from cxgap.events.model import Event
from cxgap.paths.conformance import CaseConformance, conform
from cxgap.paths.dropoff import reach
from cxgap.paths.lane import designed_visits
from cxgap.paths.rework import loops_of
from cxgap.paths.stream import by_touchpoint, steps_of

_NO_TIME = datetime(1970, 1, 1, tzinfo=UTC)  # shapes carry no time; the readings ignore it


@dataclass(frozen=True, slots=True)
class ActivityShape:
    """What a case's activities in order give (positions: indexes of its events)."""

    variant: tuple[str, ...]
    loops: Mapping[str, tuple[int, bool, bool]]  # ``loops_of`` the activities
    contacts: tuple[int, ...]  # positions of the contacts


def activity_shape(variant: Sequence[str], contacts: Collection[str] | None) -> ActivityShape:
    """Read a case's activities; ``contacts``: the contact activities (None: every event)."""
    return ActivityShape(
        variant=tuple(variant),
        loops=loops_of(variant),
        contacts=tuple(
            index
            for index, activity in enumerate(variant)
            if contacts is None or activity in contacts
        ),
    )


@dataclass(frozen=True, slots=True)
class MapShape:
    """What a case's activities and touchpoints give against a journey map."""

    read: CaseConformance
    matched: tuple[int, ...]  # positions of the funnel steps reached (``reach``)
    visits: tuple[tuple[str, int], ...]  # events at designed touchpoints: (key, position)


def map_shape(
    activities: Sequence[str], touchpoints: Sequence[str | None], design: Sequence[str]
) -> MapShape:
    """Read a case's activities and touchpoints (in order) against ``design``, the journey's
    touchpoint keys in map order."""
    events = [
        Event("", _NO_TIME, activity, index, touchpoint=touchpoint)
        for index, (activity, touchpoint) in enumerate(zip(activities, touchpoints, strict=True))
    ]
    return MapShape(
        read=conform(design, events),
        matched=tuple(e.position for e in reach(design, steps_of(events, by_touchpoint))),
        visits=tuple(designed_visits(events, frozenset(design))),
    )


def repeats(times: Sequence[int], contacts: Sequence[int], within_us: int) -> tuple[bool, ...]:
    """Each contact (position in the case): whether another followed within ``within_us``
    microseconds, from the case's event ``times`` (µs), as ``repeated_contacts`` reads them."""
    flags = [False] * len(contacts)
    for index in range(len(contacts) - 1):
        flags[index] = times[contacts[index + 1]] - times[contacts[index]] <= within_us
    return tuple(flags)
