"""Names a person would give an emerging topic, from the clauses of its cluster.

A cluster's name is its best **phrase**: two content words next to each other, or joined by a
short connector ("place de parking", "opening hours", "temps d'attente"), scored class-based
TF-IDF (c-TF-IDF, as in BERTopic) against the other clusters and said by several members.
Without such a phrase, its best keywords; without keywords (a cluster of very short or very
common words), the first phrase or the content words of its representative clause. Never a
stop word, a pronoun or a negation ("personne", "nobody"), never the workspace's own name (a
brand says nothing about a topic) nor a word most clauses of the corpus use; and never a bare
"emerging-N".
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence

from cxgap.text.clusters import STOP_WORDS

# Short words that may join two content words inside a phrase: "place de parking".
CONNECTORS = frozenset(
    [
        "a",
        "à",
        "au",
        "aux",
        "d",
        "de",
        "des",
        "du",
        "en",
        "l",
        "la",
        "le",
        "les",
        "of",
        "the",
        "for",
        "to",
        "on",
        "in",
        "with",
        "sur",
        "pour",
    ]
)
FREQUENT_SHARE = 0.3  # a word in this share of the corpus's clauses names no topic…
FREQUENT_MIN_TEXTS = 30  # …once the corpus is large enough for the share to mean something
PHRASE_MIN_SHARE = 0.15  # a phrase must be said by this share of the cluster (and by 2)
MAX_NAME_WORDS = 4
_TOKEN = re.compile(r"[^\W\d_]+", re.UNICODE)


def fold(text: str) -> str:
    return unicodedata.normalize("NFC", text.lower())


def name_words(name: str) -> frozenset[str]:
    """The words of a name (a workspace's, a brand's) to keep out of topic names.

    >>> sorted(name_words("Lumen Maison — démo"))
    ['démo', 'lumen', 'maison']
    """
    return frozenset(word for word in _TOKEN.findall(fold(name)) if len(word) >= 3)


def frequent_words(texts: Sequence[str]) -> frozenset[str]:
    """Words used by at least ``FREQUENT_SHARE`` of the clauses (from ``FREQUENT_MIN_TEXTS``
    clauses on): in the clauses no topic covers, they are the corpus's background noise."""
    if len(texts) < FREQUENT_MIN_TEXTS:
        return frozenset()
    documents = Counter(word for text in texts for word in set(_TOKEN.findall(fold(text))))
    return frozenset(w for w, n in documents.items() if n >= FREQUENT_SHARE * len(texts))


def _is_content(word: str, exclude: frozenset[str]) -> bool:
    return len(word) >= 3 and word not in STOP_WORDS and word not in exclude


def content_words(text: str, exclude: frozenset[str] = frozenset()) -> list[str]:
    """Lower-case content words: no stop word, pronoun, negation or excluded word.

    >>> content_words("Personne ne répond chez Lumen", frozenset({"lumen"}))
    ['répond']
    """
    return [w for w in _TOKEN.findall(fold(text)) if _is_content(w, exclude)]


def phrases(text: str, exclude: frozenset[str] = frozenset()) -> list[str]:
    """Two content words side by side, or joined by one connector, as written (folded).

    >>> phrases("Impossible de trouver une place de parking")
    ['impossible de trouver', 'place de parking']
    >>> phrases("Opening hours are too short")
    ['opening hours']
    """
    folded = fold(text)
    tokens = [(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(folded)]
    found = []
    for i, (word, start, _) in enumerate(tokens):
        if not _is_content(word, exclude):
            continue
        for j in (i + 1, i + 2):
            if j >= len(tokens):
                break
            if j == i + 2 and tokens[i + 1][0] not in CONNECTORS:
                break
            if _is_content(tokens[j][0], exclude):
                found.append(re.sub(r"\s+", " ", folded[start : tokens[j][2]]))
                break
    return found


def _ctfidf(bags: list[Counter[str]]) -> list[list[tuple[float, str]]]:
    """Each bag's terms scored ``tf × log(1 + A / f)``, best first (ties alphabetical)."""
    overall: Counter[str] = Counter()
    for bag in bags:
        overall.update(bag)
    average = sum(overall.values()) / max(len(bags), 1)
    scored = []
    for bag in bags:
        total = sum(bag.values()) or 1
        terms = [(-(n / total) * math.log(1 + average / overall[t]), t) for t, n in bag.items()]
        scored.append(sorted(terms))
    return scored


def cluster_names(
    groups: Sequence[Sequence[str]],
    keywords: Sequence[Sequence[str]],
    *,
    exclude: Iterable[str] = (),
) -> list[str]:
    """A name for each group of clauses (its members, representative first).

    ``keywords`` are the groups' c-TF-IDF keywords, the fallback when no phrase is shared.

    >>> cluster_names(
    ...     [["No place de parking", "Une place de parking introuvable", "Parking full"],
    ...      ["Personne ne répond", "Personne au téléphone", "nobody answers the phone"]],
    ...     [["parking", "place"], ["personne", "téléphone"]])
    ['Place de parking', 'Téléphone']
    """
    banned = frozenset(exclude)
    phrase_bags = [
        Counter(p for text in group for p in set(phrases(text, banned))) for group in groups
    ]
    names = []
    for group, bag, ranked, words in zip(
        groups, phrase_bags, _ctfidf(phrase_bags), keywords, strict=True
    ):
        needed = max(2, math.ceil(PHRASE_MIN_SHARE * len(group)))
        shared = [term for _, term in ranked if bag[term] >= needed]
        usable = [w for w in words if _is_content(w, banned)]
        if shared:
            name = shared[0]
        elif usable:
            name = " / ".join(usable[:2]) if len(usable) > 1 else usable[0]
        else:
            own = phrases(group[0], banned)
            name = own[0] if own else " ".join(content_words(group[0], banned)[:MAX_NAME_WORDS])
        names.append(_capitalised(name) or _capitalised(_shortened(group[0])))
    return names


def _capitalised(name: str) -> str:
    return name[:1].upper() + name[1:]


def _shortened(text: str, limit: int = 40) -> str:
    """The representative clause itself, cut at a word: the last resort for a name."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0] + "…"
