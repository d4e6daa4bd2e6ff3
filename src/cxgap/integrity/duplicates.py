"""Duplicates: the same respondent again, or near-identical text, within a window.

Near-identical means a Jaccard similarity of at least ``Rules.duplicate_jaccard`` between the
sets of character 5-shingles of the two texts, folded (lower case, no accents, letters and
digits only). Candidate pairs come from prefix filtering (Chaudhuri et al. 2006): two sets
with a Jaccard of at least t share one of the first ``|x| − ⌈t·|x|⌉ + 1`` shingles of each in
one global order (rarest first), so no pair above the threshold is missed and the work stays
near-linear. The later response of a pair is flagged, naming the earlier one.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Sequence
from datetime import datetime

from cxgap.integrity.model import Flag, Response, Rules
from cxgap.integrity.normal import letters_only

SHINGLE = 5


def shingles(text: str) -> frozenset[str]:
    """The character 5-shingles of the folded text (``"Très bien"`` → ``{"tres ", …}``)."""
    folded = letters_only(text)
    if len(folded) < SHINGLE:
        return frozenset({folded}) if folded else frozenset()
    return frozenset(folded[i : i + SHINGLE] for i in range(len(folded) - SHINGLE + 1))


def jaccard(first: frozenset[str], second: frozenset[str]) -> float:
    if not first and not second:
        return 0.0
    return len(first & second) / len(first | second)


def duplicate_flags(responses: Sequence[Response], rules: Rules) -> dict[str, Flag]:
    """The later response of each duplicate pair, by response id, with the earlier one."""
    ordered = sorted(enumerate(responses), key=lambda pair: _order(pair[1], pair[0]))
    found = _same_respondent(ordered, rules)
    for later, (earlier, similarity) in _near_texts(ordered, rules).items():
        found.setdefault(later, Flag("duplicate", {"of": earlier, "similarity": similarity}))
    return found


def _order(response: Response, position: int) -> tuple[float, int]:
    when = response.submitted_at
    return (when.timestamp() if when else 0.0, position)


def _within(first: datetime | None, second: datetime | None, days: float) -> bool:
    if first is None or second is None:
        return True
    return abs((second - first).total_seconds()) <= days * 86400


def _same_respondent(ordered: list[tuple[int, Response]], rules: Rules) -> dict[str, Flag]:
    found: dict[str, Flag] = {}
    last: dict[str, Response] = {}
    for _, response in ordered:
        who = (response.respondent or "").strip().casefold()
        if not who:
            continue
        before = last.get(who)
        if before and _within(
            before.submitted_at, response.submitted_at, rules.respondent_window_days
        ):
            found[response.response_id] = Flag(
                "duplicate", {"of": before.response_id, "why": "respondent"}
            )
        last[who] = response
    return found


def _near_texts(ordered: list[tuple[int, Response]], rules: Rules) -> dict[str, tuple[str, float]]:
    sets = [
        (response, shingles(response.text))
        for _, response in ordered
        if len(letters_only(response.text)) >= rules.duplicate_min_chars
    ]
    frequency = Counter(shingle for _, found in sets for shingle in found)
    index: dict[str, list[int]] = defaultdict(list)
    found: dict[str, tuple[str, float]] = {}
    for position, (response, own) in enumerate(sets):
        prefix = _prefix(own, frequency, rules.duplicate_jaccard)
        candidates = {earlier for shingle in prefix for earlier in index[shingle]}
        for earlier in sorted(candidates):
            other, theirs = sets[earlier]
            if not _within(other.submitted_at, response.submitted_at, rules.text_window_days):
                continue
            similarity = jaccard(own, theirs)
            if similarity >= rules.duplicate_jaccard:
                found[response.response_id] = (other.response_id, round(similarity, 3))
                break
        for shingle in prefix:
            index[shingle].append(position)
    return found


def _prefix(own: frozenset[str], frequency: Counter[str], threshold: float) -> list[str]:
    ordered = sorted(own, key=lambda shingle: (frequency[shingle], shingle))
    return ordered[: len(ordered) - math.ceil(threshold * len(ordered)) + 1]
