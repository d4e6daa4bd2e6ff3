"""The paths report's figures from case shapes: the same ``Scanned`` as ``paths_scan.scan``,
without building an event object.

The cases come as shape rows (``db.path_aggregates``: on PostgreSQL made by the server, one
short row per case). Each distinct sequence of activities (with touchpoints, under a
journey) and of channels is read once (``paths.shapes``); per case only what depends on
its times is done here: its durations (directly-follows edges, funnel steps, lane cells)
go to buffers folded into the digests in one step, and its repeat contacts are flagged.
A sequence is given to the accumulators at its first case, so every counter meets its keys
in the order the case-by-case scan meets them and ties rank the same; its later cases are
added together afterwards. The report is the same, figure for figure
(``tests/services/test_paths_compact.py``). The voice join sums what each answering
customer said: it takes those cases one by one, in case order, and counts the silent ones
by group.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass

from cxgap.db.path_aggregates import Codes, ShapeRow
from cxgap.paths.conformance import ConformanceCounter
from cxgap.paths.contacts import ChannelSwitchCounter, RepeatContactCounter, runs_of
from cxgap.paths.dfg import DirectlyFollows
from cxgap.paths.dropoff import DropOff
from cxgap.paths.durations import DurationBuffer, DurationDigest
from cxgap.paths.lane import LaneCounter
from cxgap.paths.rework import ReworkCounter
from cxgap.paths.shapes import ActivityShape, MapShape, activity_shape, map_shape, repeats
from cxgap.paths.stream import by_touchpoint, positive
from cxgap.paths.voice import CaseFeedback, VoiceJoin
from cxgap.services.paths_scan import Scanned, VariantCounter

DAY_US = 86_400 * 1_000_000
BUFFERED = 131_072  # durations held in the buffers at most before they go to their digests
HELD_SEQUENCES = 65_536  # distinct sequences whose readings are held before a trim

# One duration of a case: (where it goes, from event, to event), positions in the case.
Timing = tuple[Callable[[float], None], int, int]


class _Counters:
    """The accumulators of one report (those of ``paths_scan.scan``), and the buffers of
    their digests."""

    def __init__(
        self,
        feedback: Mapping[str, CaseFeedback],
        design: Sequence[str] | None,
        within_days: int,
        contacts: Collection[str] | None,
        top: int,
    ) -> None:
        self.variants, self.graph, self.rework = (
            VariantCounter(),
            DirectlyFollows(),
            ReworkCounter(),
        )
        self.repeats = RepeatContactCounter(within_days=within_days, contacts=contacts)
        self.switches = ChannelSwitchCounter()
        self.voice = VoiceJoin(feedback, within_days=within_days, contacts=contacts, top=top)
        self.funnel = DropOff(design, by_touchpoint) if design else None
        self.conform = ConformanceCounter(design) if design else None
        self.lane = LaneCounter(design) if design else None
        self.buffers: dict[int, DurationBuffer] = {}
        self._edges: dict[tuple[str, str], Callable[[float], None]] = {}

    def _to(self, digest: DurationDigest) -> Callable[[float], None]:
        buffer = self.buffers.get(id(digest))
        if buffer is None:
            buffer = self.buffers[id(digest)] = DurationBuffer(digest)
        return buffer.append

    def edge_timings(self, variant: Sequence[str]) -> tuple[Timing, ...]:
        edges, found = self._edges, []
        for index, pair in enumerate(itertools.pairwise(variant)):
            add = edges.get(pair)
            if add is None:
                add = edges[pair] = self._to(self.graph.digest(pair))
            found.append((add, index, index + 1))
        return tuple(found)

    def map_timings(self, shape: MapShape, events: int) -> tuple[Timing, ...]:
        found: list[Timing] = []
        if self.funnel is not None:
            gap, at = self.funnel.gap, shape.matched
            found += [(self._to(gap(i)), at[i - 1], at[i]) for i in range(1, len(at))]
        if self.lane is not None:
            to_next = self.lane.to_next
            found += [(self._to(to_next(k)), p, p + 1) for k, p in shape.visits if p + 1 < events]
        return tuple(found)

    def flush(self) -> None:
        for buffer in self.buffers.values():
            buffer.flush()

    def count_activities(self, shape: ActivityShape, times: int) -> None:
        self.variants.count(shape.variant, times)
        self.graph.count_path(shape.variant, times)
        self.rework.count_loops(dict(shape.loops), times)

    def count_map(self, shape: MapShape, times: int) -> None:
        if self.funnel is not None:
            self.funnel.count_reached(len(shape.matched), times)
        if self.conform is not None:
            self.conform.count_read(shape.read, times)
        if self.lane is not None:
            self.lane.count_visits([key for key, _ in shape.visits], times)

    def scanned(self, answered: int) -> Scanned:
        self.flush()
        return Scanned(
            variants=self.variants.result(),
            graph=self.graph.result(),
            repeats=self.repeats.result(),
            switches=self.switches.result(),
            rework=self.rework.result(),
            voice=self.voice.result(),
            answered_cases=answered,
            funnel=None if self.funnel is None else self.funnel.result(),
            conformance=None if self.conform is None else self.conform.result(),
            lane=None if self.lane is None else self.lane.result(),
        )


@dataclass(frozen=True, slots=True)
class _Sequence:
    """A case's activities (and touchpoints, with a design) as read once for all its cases."""

    activities: ActivityShape
    places: MapShape | None
    timings: tuple[Timing, ...]


class _ShapeScan:
    """One pass over the shape rows (see the module): each distinct sequence read once.

    A sequence is counted at its first case (so every counter meets its keys in case order,
    as the case-by-case scan does); its later cases are counted together when the readings
    are trimmed or at the end, which only adds to keys already there. So a reading can be
    dropped and read again without changing the report."""

    def __init__(
        self,
        codes: Codes,
        counters: _Counters,
        within_us: int,
        design: Sequence[str] | None,
        contacts: Collection[str] | None,
    ) -> None:
        self.codes, self.counters, self.within_us = codes, counters, within_us
        self.design = design or None
        self.contacts = None if contacts is None else frozenset(contacts)
        self.sequences: dict[str, _Sequence] = {}
        self.switches: dict[str, tuple[str, ...]] = {}  # channels' codes: their runs
        self.later: Counter[str] = Counter()  # cases of a sequence after its first, not counted
        self.later_channels: Counter[str] = Counter()
        self.later_contacts: Counter[tuple[tuple[str | None, ...], tuple[bool, ...]]] = Counter()
        self.silent: Counter[tuple[str, int, bool]] = Counter()  # by sequence

    def sequence(self, activities: str, touchpoints: str, events: int) -> tuple[str, _Sequence]:
        """A case's sequence (activities; and touchpoints with a design) and its reading."""
        key = activities if self.design is None else f"{activities};{touchpoints}"
        found = self.sequences.get(key)
        if found is None:
            found = self.sequences[key] = self._read(activities, touchpoints, events)
            self._count(found, 1)
        else:
            self.later[key] += 1
        return key, found

    def _read(self, activities: str, touchpoints: str, events: int) -> _Sequence:
        variant = self.codes.activity_names(activities)
        self.counters.voice.meet(tuple(variant))  # a group opened at its first case
        timings = self.counters.edge_timings(variant)
        places = None
        if self.design is not None:
            places = map_shape(variant, self.codes.touchpoints.decode(touchpoints), self.design)
            timings += self.counters.map_timings(places, events)
        return _Sequence(activity_shape(variant, self.contacts), places, timings)

    def _count(self, read: _Sequence, times: int) -> None:
        self.counters.count_activities(read.activities, times)
        if read.places is not None:
            self.counters.count_map(read.places, times)

    def repeated(self, shape: ActivityShape, channels: str, times: list[int]) -> bool:
        """Flag the case's contacts as repeated or not; whether any was."""
        flags: tuple[bool, ...] = ()
        on: tuple[str | None, ...] = ()
        if shape.contacts:
            flags = repeats(times, shape.contacts, self.within_us)
            parts, names = channels.split(","), self.codes.channels.names
            on = tuple(names[int(parts[position])] for position in shape.contacts)
        key = (on, flags)
        if key in self.later_contacts:
            self.later_contacts[key] += 1
        else:
            self.later_contacts[key] = 0
            self.counters.repeats.count_flagged(list(zip(on, flags, strict=True)))
        return any(flags)

    def switched(self, channels: str) -> int:
        runs = self.switches.get(channels)
        if runs is None:
            runs = self.switches[channels] = tuple(runs_of(self.codes.channels.decode(channels)))
            self.counters.switches.count_runs(runs)
        else:
            self.later_channels[channels] += 1
        return max(len(runs) - 1, 0)

    def trim(self, *, keep: bool) -> None:
        """Count the later cases; with ``keep``, keep the readings of the sequences met since
        the last trim (most others are the long tail, met once in the whole log)."""
        counters = self.counters
        for (key, switched, repeated), times in self.silent.items():
            variant = self.sequences[key].activities.variant
            counters.voice.count_silent(variant, switched, repeated, times)
        self.silent.clear()
        for key, times in self.later.items():
            self._count(self.sequences[key], times)
        for channels, times in self.later_channels.items():
            counters.switches.count_runs(self.switches[channels], times)
        keep = keep and len(self.later) <= HELD_SEQUENCES // 2  # else trimmed at every case
        self.sequences = {k: self.sequences[k] for k in self.later} if keep else {}
        self.switches = {k: self.switches[k] for k in self.later_channels} if keep else {}
        self.later.clear()
        self.later_channels.clear()

    def finish(self) -> None:
        self.trim(keep=False)
        for (on, flags), times in self.later_contacts.items():
            if times:
                self.counters.repeats.count_flagged(list(zip(on, flags, strict=True)), times)


def scan_shapes(
    rows: Iterable[ShapeRow],
    codes: Codes,
    *,
    feedback: Mapping[str, CaseFeedback],
    design: Sequence[str] | None,
    members: Collection[str] | None = None,
    within_days: int = 7,
    contacts: Collection[str] | None = None,
    top: int = 10,
) -> Scanned:
    """``paths_scan.scan`` over shape rows in case order, ``codes`` naming their codes. The
    other arguments as there."""
    counters = _Counters(feedback, design, within_days, contacts, top)
    within_us = positive("within_days", within_days) * DAY_US
    scan = _ShapeScan(codes, counters, within_us, design, contacts)
    add_case = counters.voice.add_facts
    answered = pending = 0
    for case, activities, channels, touchpoints, times in rows:
        if members is not None and case not in members:
            continue
        if len(scan.sequences) > HELD_SEQUENCES:  # between two cases
            scan.trim(keep=True)
        key, read = scan.sequence(activities, touchpoints, len(times))
        for add, start, end in read.timings:
            add((times[end] - times[start]) / 1e6)  # as timedelta.total_seconds()
        pending += len(read.timings)
        if pending > BUFFERED:
            counters.flush()
            pending = 0
        shape = read.activities
        repeated = scan.repeated(shape, channels, times)
        if case in feedback:  # what it said is summed in case order
            add_case(case, shape.variant, scan.switched(channels), repeated)
            answered += 1
        else:
            scan.silent[(key, scan.switched(channels), repeated)] += 1
    scan.finish()
    return counters.scanned(answered)
