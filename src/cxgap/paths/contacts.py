"""Repeat contacts and channel switches.

*Repeat contact*: a contact is repeated when the same case (a customer, a ticket) contacts
again within ``within_days`` days after it (elapsed time ≤ N × 24 h, on any channel). Which
events are contacts is the caller's choice (``contacts``: activity names; None: every event).
The rate by channel is that of the first contact's channel: a phone call followed within a
week by another contact counts against the phone.

*Channel switch*: two consecutive events of a case on different channels (events without a
channel skipped, so web, web, phone is one switch).
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import timedelta

from cxgap.events.model import Event
from cxgap.paths.stream import CaseEvents, positive, run

SWITCH_BUCKETS = ("0", "1", "2", "3+")


@dataclass(frozen=True, slots=True)
class ChannelRepeats:
    """Contacts on ``channel`` (None: no channel given), how many were repeated, the rate."""

    channel: str | None
    contacts: int
    repeated: int
    rate: float

    def as_json(self) -> dict[str, object]:
        return {
            "channel": self.channel,
            "contacts": self.contacts,
            "repeated": self.repeated,
            "rate": self.rate,
        }


@dataclass(frozen=True, slots=True)
class RepeatContacts:
    within_days: int
    cases: int
    cases_with_contact: int
    cases_with_repeat: int
    contacts: int
    repeated: int
    by_channel: tuple[ChannelRepeats, ...]  # most contacts first

    def as_json(self) -> dict[str, object]:
        return {
            "within_days": self.within_days,
            "cases": self.cases,
            "cases_with_contact": self.cases_with_contact,
            "cases_with_repeat": self.cases_with_repeat,
            "contacts": self.contacts,
            "repeated": self.repeated,
            "by_channel": [row.as_json() for row in self.by_channel],
        }


def repeated_contacts(
    events: Sequence[Event], contacts: Collection[str] | None, within: timedelta
) -> list[tuple[Event, bool]]:
    """A case's contacts, each with whether another contact followed within ``within``."""
    mine = [e for e in events if contacts is None or e.activity in contacts]
    following = [*mine[1:], None]
    return [
        (e, after is not None and after.timestamp - e.timestamp <= within)
        for e, after in zip(mine, following, strict=False)
    ]


class RepeatContactCounter:
    """Accumulates repeat contacts case by case (see ``cxgap.paths.stream``)."""

    def __init__(self, *, within_days: int, contacts: Collection[str] | None = None) -> None:
        self._days = positive("within_days", within_days)
        self._within = timedelta(days=within_days)
        self._contacts = None if contacts is None else frozenset(contacts)
        self._cases = self._with_contact = self._with_repeat = 0
        self._by_channel: Counter[str | None] = Counter()
        self._repeated: Counter[str | None] = Counter()

    def add(self, case: str, events: Sequence[Event]) -> None:
        flagged = repeated_contacts(events, self._contacts, self._within)
        self.count_flagged([(event.channel, repeated) for event, repeated in flagged])

    def count_flagged(self, flagged: Sequence[tuple[str | None, bool]], times: int = 1) -> None:
        """Count ``times`` cases whose contacts are ``flagged``: (channel, repeated) each."""
        self._cases += times
        self._with_contact += times * bool(flagged)
        self._with_repeat += times * any(repeated for _, repeated in flagged)
        for channel, repeated in flagged:
            self._by_channel[channel] += times
            self._repeated[channel] += times * repeated

    def result(self) -> RepeatContacts:
        rows = tuple(
            ChannelRepeats(channel, n, self._repeated[channel], self._repeated[channel] / n)
            for channel, n in self._by_channel.most_common()
        )
        return RepeatContacts(
            within_days=self._days,
            cases=self._cases,
            cases_with_contact=self._with_contact,
            cases_with_repeat=self._with_repeat,
            contacts=self._by_channel.total(),
            repeated=self._repeated.total(),
            by_channel=rows,
        )


def repeat_contacts(
    stream: Iterable[CaseEvents], *, within_days: int, contacts: Collection[str] | None = None
) -> RepeatContacts:
    """Repeat contacts within ``within_days`` days over a stream of cases in case order."""
    return run(RepeatContactCounter(within_days=within_days, contacts=contacts), stream)


@dataclass(frozen=True, slots=True)
class ChannelSwitches:
    """Cases by number of switches (``SWITCH_BUCKETS``), the exact distribution, the pairs."""

    cases: int
    switches: int
    by_bucket: tuple[tuple[str, int], ...]
    distribution: tuple[tuple[int, int], ...]  # (switches in the case, cases), ascending
    pairs: tuple[tuple[str, str, int], ...]  # (from, to, times), most frequent first

    def as_json(self) -> dict[str, object]:
        return {
            "cases": self.cases,
            "switches": self.switches,
            "mean_per_case": self.switches / self.cases if self.cases else None,
            "by_bucket": [{"switches": b, "cases": n} for b, n in self.by_bucket],
            "distribution": [{"switches": s, "cases": n} for s, n in self.distribution],
            "pairs": [{"from": a, "to": b, "times": n} for a, b, n in self.pairs],
        }


def channel_runs(events: Sequence[Event]) -> list[str]:
    """The case's channels in order, consecutive repeats and missing channels left out."""
    return runs_of(event.channel for event in events)


def runs_of(channels: Iterable[str | None]) -> list[str]:
    """``channel_runs`` of a case's channels in order (None: an event without one)."""
    runs: list[str] = []
    for channel in channels:
        if channel is not None and (not runs or runs[-1] != channel):
            runs.append(channel)
    return runs


def switch_bucket(switches: int) -> str:
    """The group of a number of switches: "0", "1", "2" or "3+"."""
    return SWITCH_BUCKETS[min(switches, 3)]


class ChannelSwitchCounter:
    """Accumulates channel switches case by case (see ``cxgap.paths.stream``)."""

    def __init__(self) -> None:
        self._distribution: Counter[int] = Counter()
        self._pairs: Counter[tuple[str, str]] = Counter()

    def add(self, case: str, events: Sequence[Event]) -> None:
        self.count_runs(channel_runs(events))

    def count_runs(self, runs: Sequence[str], times: int = 1) -> None:
        """Count ``times`` cases whose channel runs (``channel_runs``) are ``runs``."""
        self._distribution[max(len(runs) - 1, 0)] += times
        for pair in itertools.pairwise(runs):
            self._pairs[pair] += times

    def result(self) -> ChannelSwitches:
        buckets: Counter[str] = Counter()
        for switches, n in self._distribution.items():
            buckets[switch_bucket(switches)] += n
        return ChannelSwitches(
            cases=self._distribution.total(),
            switches=sum(s * n for s, n in self._distribution.items()),
            by_bucket=tuple((b, buckets[b]) for b in SWITCH_BUCKETS),
            distribution=tuple(sorted(self._distribution.items())),
            pairs=tuple((a, b, n) for (a, b), n in self._pairs.most_common()),
        )


def channel_switches(stream: Iterable[CaseEvents]) -> ChannelSwitches:
    """Channel switches over a stream of cases in case order."""
    return run(ChannelSwitchCounter(), stream)
