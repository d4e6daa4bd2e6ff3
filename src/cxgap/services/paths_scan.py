"""Every figure of the paths pages in one ordered read of a workspace's events.

The events come back in case order (``db.event_reads.workspace_events``); each case, once
grouped, goes through every accumulator of ``cxgap.paths`` in turn (variants, the
directly-follows graph, repeat contacts, channel switches, loops, the voice join and, when a
journey gives a design, the funnel, conformance and the lived lane), so a log of millions of
events is read once and never held whole. Cases outside the chosen persona or segment
(``members``) are skipped before any accumulator sees them.

Which activities are *contacts* (for repeat contacts) is the caller's choice; by default an
activity is one when most of its events are on an assisted channel (``ASSISTED``: phone,
chat, shop, counter… in French or English). E-mail is left out of that default: in most logs
the e-mail events are messages sent *to* the customer (a confirmation), not contacts.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass

from cxgap.events.model import Event, cases
from cxgap.paths.conformance import Conformance, ConformanceCounter
from cxgap.paths.contacts import (
    ChannelSwitchCounter,
    ChannelSwitches,
    RepeatContactCounter,
    RepeatContacts,
)
from cxgap.paths.dfg import DirectlyFollows, DirectlyFollowsGraph
from cxgap.paths.dropoff import DropOff, Funnel
from cxgap.paths.lane import LaneCounter, LivedLane
from cxgap.paths.rework import Rework, ReworkCounter
from cxgap.paths.stream import CaseAccumulator, by_touchpoint, check_in_order
from cxgap.paths.variants import Variant, Variants
from cxgap.paths.voice import CaseFeedback, VoiceJoin, VoiceOfPaths

ASSISTED = frozenset(
    {
        *("phone", "telephone", "téléphone", "call", "call centre", "call center", "voice"),
        *("chat", "live chat", "messaging", "whatsapp"),
        *("shop", "store", "boutique", "magasin", "showroom", "branch", "agence", "agency"),
        *("counter", "guichet", "desk", "letter", "courrier", "post", "visit", "visite"),
    }
)


def assisted(channel: str | None) -> bool:
    """Whether a channel is one where the customer deals with a person (a contact)."""
    return channel is not None and channel.strip().lower() in ASSISTED


def default_contacts(channels: Iterable[tuple[str, str | None, int]]) -> tuple[str, ...]:
    """The activities most of whose events are on an assisted channel, sorted by name, from
    ``(activity, channel, events)`` rows."""
    total: Counter[str] = Counter()
    on_assisted: Counter[str] = Counter()
    for activity, channel, n in channels:
        total[activity] += n
        if assisted(channel):
            on_assisted[activity] += n
    return tuple(sorted(a for a, n in total.items() if n and on_assisted[a] * 2 > n))


class VariantCounter:
    """``count_variants`` as an accumulator: the same counts and the same order (most cases
    first, equal counts in first-seen order)."""

    def __init__(self) -> None:
        self._counts: Counter[tuple[str, ...]] = Counter()
        self._events = 0

    def add(self, case: str, events: Sequence[Event]) -> None:
        self.count(tuple(event.activity for event in events))

    def count(self, variant: tuple[str, ...], times: int = 1) -> None:
        """Count ``times`` cases whose path is ``variant``."""
        self._counts[variant] += times
        self._events += times * len(variant)

    def result(self) -> Variants:
        total = self._counts.total()
        return Variants(
            cases=total,
            events=self._events,
            variants=tuple(
                Variant(path, n, n / total if total else 0.0)
                for path, n in self._counts.most_common()
            ),
        )


@dataclass(frozen=True)
class Scanned:
    """What one read of the log gave."""

    variants: Variants
    graph: DirectlyFollowsGraph
    repeats: RepeatContacts
    switches: ChannelSwitches
    rework: Rework
    voice: VoiceOfPaths
    answered_cases: int
    funnel: Funnel | None
    conformance: Conformance | None
    lane: LivedLane | None


def scan(
    events: Iterable[Event],
    *,
    feedback: Mapping[str, CaseFeedback],
    design: Sequence[str] | None,
    members: Collection[str] | None = None,
    within_days: int = 7,
    contacts: Collection[str] | None = None,
    top: int = 10,
) -> Scanned:
    """Feed each case of ``events`` (in case order) to every accumulator, once.

    ``design``: the journey's touchpoint keys in map order (None or empty: no funnel,
    conformance or lane); ``members``: the cases to keep (None: all)."""
    variants, graph, rework = VariantCounter(), DirectlyFollows(), ReworkCounter()
    repeats = RepeatContactCounter(within_days=within_days, contacts=contacts)
    switches = ChannelSwitchCounter()
    voice = VoiceJoin(feedback, within_days=within_days, contacts=contacts, top=top)
    funnel = DropOff(design, by_touchpoint) if design else None
    conform = ConformanceCounter(design) if design else None
    lane = LaneCounter(design) if design else None
    everyone: list[CaseAccumulator[object]] = [variants, graph, rework, repeats, switches, voice]
    everyone += [a for a in (funnel, conform, lane) if a is not None]
    answered = 0
    for case, path in cases(events):
        if members is not None and case not in members:
            continue
        check_in_order(case, path)
        answered += case in feedback
        for accumulator in everyone:
            accumulator.add(case, path)
    return Scanned(
        variants=variants.result(),
        graph=graph.result(),
        repeats=repeats.result(),
        switches=switches.result(),
        rework=rework.result(),
        voice=voice.result(),
        answered_cases=answered,
        funnel=None if funnel is None else funnel.result(),
        conformance=None if conform is None else conform.result(),
        lane=None if lane is None else lane.result(),
    )
