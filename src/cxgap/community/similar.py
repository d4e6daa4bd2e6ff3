"""Ideas a new one may repeat, found while its title is typed, so people vote instead of
posting the same wish twice.

Words are compared folded (lower case, accents off: "livraison" finds "Livraison", "réduction"
finds "reduction"), French and English stop words left out, plurals made
singular. Each shared word weighs its rarity on the board (inverse document frequency), so
"delivery" shared with one idea counts more than "app" shared with forty. The score is the
share of the typed words' weight that an idea holds; matching by meaning against what
customers say is the Listening link's job (``services/idea_evidence.py``), not this one's.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from cxgap.text.clusters import STOP_WORDS

_WORD = re.compile(r"[a-z0-9]{2,}")
# Politeness says nothing about the wish.
_POLITE = frozenset({"please", "pls", "svp", "merci", "thanks", "thank", "idea", "idee"})
_FOLDED_STOP = _POLITE | frozenset(
    unicodedata.normalize("NFKD", w).encode("ascii", "ignore").decode() for w in STOP_WORDS
)
THRESHOLD = 0.34


def fold(text: str) -> str:
    """Lower case without accents, for comparing and searching.

    >>> fold("Réduction À l'ÉTÉ")
    "reduction a l'ete"
    """
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def words(text: str) -> frozenset[str]:
    """The words that identify a wish: folded, stop words out, plurals made singular
    (``-ies`` to ``-y``, a final ``s`` or ``x`` dropped).

    >>> sorted(words("Livraisons le samedi, please: Saturday deliveries!"))
    ['delivery', 'livraison', 'samedi', 'saturday']
    """
    found = set()
    for word in _WORD.findall(fold(text)):
        if word in _FOLDED_STOP:
            continue
        if len(word) > 4 and word.endswith("ies"):
            word = word[:-3] + "y"
        elif len(word) > 3 and word[-1] in "sx" and not word.endswith("ss"):
            word = word[:-1]
        found.add(word)
    return frozenset(found)


@dataclass(frozen=True)
class Match:
    """One idea like the typed text, with the share of the text's weight it holds (0-1)."""

    idea_id: int
    score: float
    shared: tuple[str, ...]


def similar(
    typed: str, ideas: Sequence[tuple[int, str]], *, limit: int = 5, threshold: float = THRESHOLD
) -> list[Match]:
    """The ideas (``(id, title and description)``) most like ``typed``, best first, at most
    ``limit``, each holding at least ``threshold`` of the typed words' weight.

    >>> board = [(1, "Deliver on Saturdays"), (2, "Dark mode in the app"), (3, "Saturday opening")]
    >>> [(m.idea_id, m.shared) for m in similar("saturday delivery please", board)]
    [(1, ('saturday',)), (3, ('saturday',))]
    """
    query = words(typed)
    if not query:
        return []
    bags = [(idea_id, words(text)) for idea_id, text in ideas]
    frequency = Counter(word for _, bag in bags for word in bag if word in query)
    total = len(bags) + 1

    def weight(word: str) -> float:
        return math.log(1 + total / (1 + frequency[word]))

    whole = sum(weight(w) for w in query)
    matches = []
    for idea_id, bag in bags:
        shared = tuple(sorted(query & bag))
        score = sum(weight(w) for w in shared) / whole
        if shared and score >= threshold:
            matches.append(Match(idea_id, round(score, 4), shared))
    matches.sort(key=lambda m: (-m.score, m.idea_id))
    return matches[:limit]
