"""The analyses keep aggregates, not events: their memory does not grow with the log."""

import random
import sys
import tracemalloc
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta

import pytest

from cxgap.events.model import Event
from cxgap.paths.contacts import ChannelSwitchCounter, RepeatContactCounter
from cxgap.paths.dfg import DirectlyFollows
from cxgap.paths.dropoff import DropOff
from cxgap.paths.lane import LaneCounter
from cxgap.paths.rework import ReworkCounter
from cxgap.paths.stream import CaseAccumulator, run

ACTIVITIES = ("visit", "search", "cart", "call", "pay", "deliver")
CHANNELS = ("web", "phone", "shop")


def generated(cases: int, seed: int = 1) -> Iterator[tuple[str, list[Event]]]:
    """Cases made on the fly, six events on average, never all in memory."""
    rng = random.Random(seed)
    start = datetime(2025, 1, 1, tzinfo=UTC)
    for number in range(cases):
        case, moment, events = f"c{number}", start, []
        for position in range(rng.randint(2, 10)):
            moment += timedelta(seconds=rng.randrange(1, 86_400))
            activity = rng.choice(ACTIVITIES)
            events.append(
                Event(case, moment, activity, position, rng.choice(CHANNELS), touchpoint=activity)
            )
        yield case, events


def peak(make: Callable[[], CaseAccumulator[object]], cases: int) -> int:
    tracemalloc.start()
    run(make(), generated(cases))
    _, top = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return top


@pytest.mark.slow
@pytest.mark.parametrize(
    "make",
    [
        DirectlyFollows,
        lambda: DropOff(["visit", "cart", "pay"]),
        lambda: RepeatContactCounter(within_days=7, contacts={"call"}),
        ChannelSwitchCounter,
        ReworkCounter,
        lambda: LaneCounter(list(ACTIVITIES)),
    ],
)
def test_ten_times_the_cases_in_about_the_same_memory(
    make: Callable[[], CaseAccumulator[object]],
) -> None:
    small, large = peak(make, 600), peak(make, 6_000)
    # What holding the large log's events would take, at the least:
    events = sum(len(e) for _, e in generated(6_000))
    held = events * sys.getsizeof(next(generated(1))[1][0])
    assert large < held / 4
    assert large < small + 1_000_000, (small, large)
