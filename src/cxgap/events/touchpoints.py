"""Activity → touchpoint suggestions: each activity name of an event log matched by name
against the workspace journeys' touchpoints (their key and their names in both languages).

Names are compared *normalised*: lower case, accents and punctuation dropped, words split on
anything else (``Appel entrant`` and ``appel-entrant`` are one name), then scored by the
best of three: the same name (1.0), one name's words all in the other (0.9), and the
character similarity of the two (``difflib``'s ratio). The best touchpoint at or above
``THRESHOLD`` is suggested; the analyst edits the suggestions before they are stored.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher

THRESHOLD = 0.72
_WORDS = re.compile(r"[a-z0-9]+")


@dataclass(frozen=True)
class TouchpointName:
    """A touchpoint the activities may map onto: its key and the names it goes by."""

    key: str
    names: tuple[str, ...]
    label: str


def words(text: str) -> tuple[str, ...]:
    """The name's words, lower case, without accents.

    >>> words("Appel entrant (Téléphone)")
    ('appel', 'entrant', 'telephone')
    """
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return tuple(_WORDS.findall(plain.replace("_", " ")))


def score(activity: str, name: str) -> float:
    """How alike two names are, from 0 to 1.

    >>> score("Add to cart", "add-to-cart"), score("Call centre", "call")
    (1.0, 0.9)
    """
    a, b = words(activity), words(name)
    if not a or not b:
        return 0.0
    if a == b:
        return 1.0
    if set(a) <= set(b) or set(b) <= set(a):
        return 0.9
    return SequenceMatcher(None, " ".join(a), " ".join(b)).ratio()


def suggest(
    activities: Iterable[str], touchpoints: Sequence[TouchpointName]
) -> dict[str, str | None]:
    """Each activity's best touchpoint key, or None when none is alike enough.

    >>> tps = [TouchpointName("checkout", ("checkout", "Paiement", "Payment"), "Payment")]
    >>> suggest(["payment page", "Survey"], tps)
    {'payment page': 'checkout', 'Survey': None}
    """
    suggested: dict[str, str | None] = {}
    for activity in activities:
        best, best_score = None, THRESHOLD
        for touchpoint in touchpoints:
            found = max((score(activity, name) for name in touchpoint.names), default=0.0)
            if found > best_score or (found == best_score and best is None):
                best, best_score = touchpoint.key, found
        suggested[activity] = best
    return suggested
