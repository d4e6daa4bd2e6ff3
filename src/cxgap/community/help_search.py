"""Searching the help centre: articles and customers' questions, found by their words
(``docs/community.md``, "Help centre").

Words are compared as ``similar.words`` makes them: folded (lower case, accents off, so
"resilier" finds "Résilier"), stop words out, plurals made singular ("remboursement" finds
"Remboursements"). The score is TF-IDF with a presence weight: each query word a document
holds adds its rarity among the N documents searched, ``idf = ln(1 + (N + 1) / (df + 1))``
(a word no document holds weighs most: it still counts in a question's whole), counted
``TITLE_WEIGHT`` times when the word is in the title and once when it is in the body (both
when in both). A title says what the page is about; a body mentions many things in passing.

``suggest`` is for the ask form: the articles that already answer a question being typed,
each holding at least a third of the question's words' weight, shown before it is posted.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from cxgap.community.similar import THRESHOLD, words

TITLE_WEIGHT = 2.0


@dataclass(frozen=True)
class Document:
    """Something to search: an article or a question (``kind``), its title and body."""

    id: int
    kind: str
    title: str
    body: str = ""


@dataclass(frozen=True)
class Hit:
    """A document that holds some of the query's words: its score and its share of the
    query's weight (0-1), the words it shares."""

    id: int
    kind: str
    score: float
    share: float
    shared: tuple[str, ...]


def search(query: str, documents: Sequence[Document], *, limit: int = 20) -> list[Hit]:
    """The documents holding words of ``query``, best first (ties: articles before
    questions, then the lowest id), at most ``limit``.

    >>> docs = [Document(1, "article", "Remboursements", "Délai de remboursement"),
    ...         Document(2, "article", "Livraison", "Un remboursement possible")]
    >>> [(h.id, h.score) for h in search("remboursement", docs)]
    [(1, 2.0794), (2, 0.6931)]
    """
    asked = words(query)
    if not asked:
        return []
    bags = [(doc, words(doc.title), words(doc.body)) for doc in documents]
    frequency = Counter(w for _, title, body in bags for w in (title | body) & asked)
    total = len(bags)

    def idf(word: str) -> float:
        return math.log(1 + (total + 1) / (frequency[word] + 1))

    whole = sum(idf(w) for w in asked)
    hits = []
    for doc, title, body in bags:
        shared = tuple(sorted(asked & (title | body)))
        if not shared:
            continue
        score = sum(idf(w) * (TITLE_WEIGHT * (w in title) + (w in body)) for w in shared)
        share = sum(idf(w) for w in shared) / whole
        hits.append(Hit(doc.id, doc.kind, round(score, 4), round(share, 4), shared))
    hits.sort(key=lambda h: (-h.score, h.kind != "article", h.id))
    return hits[:limit]


def suggest(
    question_text: str,
    articles: Sequence[Document],
    *,
    limit: int = 3,
    threshold: float = THRESHOLD,
) -> list[Hit]:
    """The articles that may already answer ``question_text`` (its title and body), best
    first: each holds at least ``threshold`` of the question's words' weight.

    >>> docs = [Document(1, "article", "Résilier mon abonnement"),
    ...         Document(2, "article", "Changer d'adresse")]
    >>> [h.id for h in suggest("Comment resilier l'abonnement ?", docs)]
    [1]
    """
    hits = search(question_text, articles, limit=len(articles))
    return [h for h in hits if h.share >= threshold][:limit]
