"""Keyword rules: the part of topic detection an analyst writes and can read.

A rule is a word or phrase, compared with accents and case folded on whole words, with a
plural or feminine ending allowed (``s``, ``e``, ``es``, ``x``); a trailing ``*`` makes it a
prefix. All the rules of a taxonomy compile into one regular expression per topic.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from cxgap.text.protocols import TopicSpec

_ENDINGS = r"(?:s|e|es|x)?"


def fold(text: str) -> str:
    """Lower case, accents removed, typographic apostrophes made plain.

    >>> fold("Livrée À l’heure")
    "livree a l'heure"
    """
    decomposed = unicodedata.normalize("NFKD", text.lower().replace("’", "'"))
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def keyword_pattern(keywords: Sequence[str]) -> re.Pattern[str] | None:
    """One pattern matching any of ``keywords`` in folded text, or ``None`` when there are none.

    >>> pattern = keyword_pattern(["livré", "rembours*", "on hold"])
    >>> [bool(pattern.search(fold(t))) for t in ("Livrées hier", "remboursement", "livret")]
    [True, True, False]
    """
    parts = []
    for keyword in keywords:
        folded = fold(keyword.strip())
        if not folded.strip("*"):
            continue
        if folded.endswith("*"):
            parts.append(re.escape(folded.rstrip("*")) + r"\w*")
        else:
            parts.append(re.escape(folded) + _ENDINGS)
    if not parts:
        return None
    body = "|".join(sorted(parts, key=len, reverse=True)).replace(r"\ ", r"[\s'-]+")
    return re.compile(r"(?<!\w)(?:" + body + r")(?!\w)")


@dataclass(frozen=True)
class KeywordMatcher:
    """The compiled keyword rules of a taxonomy."""

    patterns: tuple[tuple[str, re.Pattern[str]], ...]

    @classmethod
    def of(cls, topics: Sequence[TopicSpec]) -> KeywordMatcher:
        compiled = ((topic.key, keyword_pattern(topic.keywords)) for topic in topics)
        return cls(tuple((key, pattern) for key, pattern in compiled if pattern is not None))

    def topics_in(self, text: str) -> tuple[str, ...]:
        """The keys of the topics whose rules match ``text``, in taxonomy order."""
        folded = fold(text)
        return tuple(key for key, pattern in self.patterns if pattern.search(folded))
