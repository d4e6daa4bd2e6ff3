"""Variants: the distinct ordered activity sequences of the cases, with their counts.

A variant is the sequence of activity names of one case in timestamp order (ties in file
order, see ``cxgap.events.model.in_case_order``); every event counts, lifecycle transitions
included unless the caller filtered them. Most frequent first; variants with the same count
keep the order in which they were first seen, so the result does not depend on hashing.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Variant:
    """One distinct path, how many cases followed it and their share of all cases."""

    activities: tuple[str, ...]
    cases: int
    share: float


@dataclass(frozen=True, slots=True)
class Variants:
    """Every variant of a log, most frequent first, with the log's case and event counts."""

    cases: int
    events: int
    variants: tuple[Variant, ...]

    def as_json(self) -> dict[str, object]:
        """The contract's shape: ``{"cases", "events", "variants": [{"activities", "cases"}]}``."""
        return {
            "cases": self.cases,
            "events": self.events,
            "variants": [
                {"activities": list(v.activities), "cases": v.cases, "share": v.share}
                for v in self.variants
            ],
        }


def count_variants(paths: Iterable[Sequence[str]]) -> Variants:
    """Count the variants of the given paths (one sequence of activity names per case)."""
    counts: Counter[tuple[str, ...]] = Counter()
    events = 0
    for path in paths:
        key = tuple(path)
        counts[key] += 1
        events += len(key)
    total = sum(counts.values())
    ranked = counts.most_common()  # stable: equal counts keep first-seen order
    return Variants(
        cases=total,
        events=events,
        variants=tuple(
            Variant(activities, count, count / total if total else 0.0)
            for activities, count in ranked
        ),
    )
