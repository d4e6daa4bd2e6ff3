"""What customers said, joined with the paths they lived.

The service supplies, per case, a summary of its feedback (``CaseFeedback``: an NPS answer,
a sentiment score, the topics it raised negatively). Cases are grouped three ways: by
variant (the ``top`` most frequent, the rest as one "other" group), by number of channel
switches (0, 1, 2, 3+) and by whether they made a repeat contact; each group gets its NPS
with a confidence interval (``cxgap.analytics.nps``), its mean sentiment and its most
frequent irritants (negative topics, counted once per case).

Variants: by default every variant is tallied and the top ones kept at the end, so memory
grows with the number of distinct variants; pass ``variants`` (e.g. the top of
``count_variants``) to tally only those and keep it bounded.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import timedelta

from cxgap.analytics.nps import NpsResult, compute_nps
from cxgap.errors import ValidationError
from cxgap.events.model import Event
from cxgap.paths.contacts import SWITCH_BUCKETS, channel_runs, repeated_contacts, switch_bucket
from cxgap.paths.stream import CaseEvents, positive, run

OTHER = "other"


@dataclass(frozen=True, slots=True)
class CaseFeedback:
    """One case's feedback: NPS answer (0–10), sentiment (−1…1), negative topics."""

    nps: int | None = None
    sentiment: float | None = None
    negative_topics: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class GroupVoice:
    """A group of cases and what they said; ``answered``: cases with any feedback."""

    group: str
    cases: int
    answered: int
    nps: NpsResult
    sentiment_mean: float | None
    sentiment_n: int
    irritants: tuple[tuple[str, int], ...]  # (topic, cases), most cases first
    activities: tuple[str, ...] | None = None  # the variant, for a group of variants

    def as_json(self) -> dict[str, object]:
        return {
            "group": self.group,
            "activities": None if self.activities is None else list(self.activities),
            "cases": self.cases,
            "answered": self.answered,
            "nps": self.nps.to_dict(),
            "sentiment_mean": self.sentiment_mean,
            "sentiment_n": self.sentiment_n,
            "irritants": [{"topic": t, "cases": n} for t, n in self.irritants],
        }


@dataclass(frozen=True, slots=True)
class VoiceOfPaths:
    by_variant: tuple[GroupVoice, ...]  # most frequent first, then "other" when not empty
    by_switches: tuple[GroupVoice, ...]  # "0", "1", "2", "3+"
    by_repeat: tuple[GroupVoice, ...]  # "yes", "no"

    def as_json(self) -> dict[str, object]:
        return {
            "by_variant": [g.as_json() for g in self.by_variant],
            "by_switches": [g.as_json() for g in self.by_switches],
            "by_repeat": [g.as_json() for g in self.by_repeat],
        }


@dataclass
class _Tally:
    cases: int = 0
    answered: int = 0
    scores: list[int] = field(default_factory=lambda: [0] * 11)
    sentiment_sum: float = 0.0
    sentiment_n: int = 0
    topics: Counter[str] = field(default_factory=Counter)

    def add(self, said: CaseFeedback | None) -> None:
        self.cases += 1
        if said is None:
            return
        self.answered += 1
        if said.nps is not None:
            self.scores[said.nps] += 1
        if said.sentiment is not None:
            self.sentiment_sum += said.sentiment
            self.sentiment_n += 1
        self.topics.update(set(said.negative_topics))

    def voice(self, group: str, top: int, activities: tuple[str, ...] | None = None) -> GroupVoice:
        n = self.sentiment_n
        return GroupVoice(
            group=group,
            cases=self.cases,
            answered=self.answered,
            nps=compute_nps(self.scores),
            sentiment_mean=self.sentiment_sum / n if n else None,
            sentiment_n=n,
            irritants=tuple(self.topics.most_common(top)),
            activities=activities,
        )


def checked(case: str, said: CaseFeedback) -> CaseFeedback:
    """``said`` when its scores are in range, else a ValidationError naming the case."""
    if said.nps is not None and (type(said.nps) is not int or not 0 <= said.nps <= 10):
        raise ValidationError.single(
            "nps", f"case {case!r}: NPS is a whole number from 0 to 10", said.nps
        )
    if said.sentiment is not None and not -1.0 <= said.sentiment <= 1.0:
        raise ValidationError.single(
            "sentiment", f"case {case!r}: sentiment is −1 to 1", said.sentiment
        )
    return said


class VoiceJoin:
    """Accumulates the groups case by case (see ``cxgap.paths.stream``)."""

    def __init__(
        self,
        feedback: Mapping[str, CaseFeedback],
        *,
        within_days: int = 7,
        contacts: Collection[str] | None = None,
        top: int = 10,
        top_irritants: int = 5,
        variants: Sequence[Sequence[str]] | None = None,
    ) -> None:
        self._feedback = feedback
        self._within = timedelta(days=positive("within_days", within_days))
        self._contacts = None if contacts is None else frozenset(contacts)
        self._top = positive("top", top)
        self._top_irritants = positive("top_irritants", top_irritants)
        self._chosen = None if variants is None else {tuple(v) for v in variants}
        self._variants: dict[tuple[str, ...], _Tally] = {}
        self._other = _Tally()
        self._switches = {bucket: _Tally() for bucket in SWITCH_BUCKETS}
        self._repeat = {"yes": _Tally(), "no": _Tally()}

    def add(self, case: str, events: Sequence[Event]) -> None:
        flagged = repeated_contacts(events, self._contacts, self._within)
        self.add_facts(
            case,
            tuple(event.activity for event in events),
            max(len(channel_runs(events)) - 1, 0),
            any(r for _, r in flagged),
        )

    def add_facts(self, case: str, variant: tuple[str, ...], switches: int, repeated: bool) -> None:
        """Add one case from what its events gave: its variant, its number of channel
        switches and whether it made a repeat contact."""
        said = self._feedback.get(case)
        if said is not None:
            checked(case, said)
        if self._chosen is None or variant in self._chosen:
            self._variants.setdefault(variant, _Tally()).add(said)
        else:
            self._other.add(said)
        self._switches[switch_bucket(switches)].add(said)
        self._repeat["yes" if repeated else "no"].add(said)

    def meet(self, variant: tuple[str, ...]) -> None:
        """Open the group of ``variant`` at its first case, whether the case answered or not
        (the groups keep that order; ``count_silent`` adds the silent cases later)."""
        if self._chosen is None or variant in self._chosen:
            self._variants.setdefault(variant, _Tally())

    def count_silent(
        self, variant: tuple[str, ...], switches: int, repeated: bool, times: int
    ) -> None:
        """Add ``times`` cases without feedback (``meet`` their variant at its first case)."""
        chosen = self._chosen is None or variant in self._chosen
        for tally in (
            self._variants[variant] if chosen else self._other,
            self._switches[switch_bucket(switches)],
            self._repeat["yes" if repeated else "no"],
        ):
            tally.cases += times

    def result(self) -> VoiceOfPaths:
        ranked = sorted(self._variants.items(), key=lambda item: -item[1].cases)
        other = self._other
        for _, tally in ranked[self._top :]:
            other = _merged(other, tally)
        top = self._top_irritants
        by_variant = [
            tally.voice(" → ".join(variant), top, variant) for variant, tally in ranked[: self._top]
        ]
        if other.cases:
            by_variant.append(other.voice(OTHER, top))
        return VoiceOfPaths(
            by_variant=tuple(by_variant),
            by_switches=tuple(t.voice(b, top) for b, t in self._switches.items()),
            by_repeat=tuple(t.voice(k, top) for k, t in self._repeat.items()),
        )


def _merged(a: _Tally, b: _Tally) -> _Tally:
    return _Tally(
        cases=a.cases + b.cases,
        answered=a.answered + b.answered,
        scores=[x + y for x, y in zip(a.scores, b.scores, strict=True)],
        sentiment_sum=a.sentiment_sum + b.sentiment_sum,
        sentiment_n=a.sentiment_n + b.sentiment_n,
        topics=a.topics + b.topics,
    )


def voice_of_paths(
    stream: Iterable[CaseEvents],
    feedback: Mapping[str, CaseFeedback],
    *,
    within_days: int = 7,
    contacts: Collection[str] | None = None,
    top: int = 10,
    top_irritants: int = 5,
    variants: Sequence[Sequence[str]] | None = None,
) -> VoiceOfPaths:
    """NPS, sentiment and irritants by variant, channel switches and repeat contact."""
    join = VoiceJoin(
        feedback,
        within_days=within_days,
        contacts=contacts,
        top=top,
        top_irritants=top_irritants,
        variants=variants,
    )
    return run(join, stream)
