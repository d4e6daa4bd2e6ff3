"""Sentences and clauses, so that one verbatim can carry several findings.

"Staff were lovely but delivery took three weeks" is one sentence and two opinions, on two
topics, of opposite polarity. The rules are deliberately plain: sentence ends on ``. ! ? …``
and line breaks (not after "M." or "e.g.", nor inside "3.5"), then clause breaks on ``;`` and
before the contrastive conjunctions of French and English. A concessive opening ("Although
the staff were kind, …", « Même si le prix est élevé, … ») is split at its comma. A break is
only made when both sides keep at least two words, so "not arrived yet" or "nice though"
stay whole.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

# Words after which a full stop does not end the sentence ("M. Dupont", "etc. et").
_ABBREVIATIONS = frozenset(
    re.findall(r"\S+", "m mme mlle mm dr pr st ste mr mrs ms etc ex cf vs env no n° tél tel av bd")
)
_SENTENCE_END = re.compile(r"(?:[.!?…]+[\"»”)\]]*|\n+)\s*")
# Contrastive connectors, longest first so "even though" wins over "though". Conjunctions
# open a clause wherever they stand; adverbs only after punctuation, because they also sit
# inside a clause (« le SAV par contre est injoignable »).
_CONJUNCTIONS = (
    "à part que",
    "sauf que",
    "alors que",
    "tandis que",
    "bien que",
    "même si",
    "except that",
    "even though",
    "although",
    "whereas",
    "mais",
    "but",
    "yet",
)
_ADVERBS = (
    "on the other hand",
    "par contre",
    "en revanche",
    "cependant",
    "pourtant",
    "toutefois",
    "néanmoins",
    "seulement",
    "however",
    "though",
)
_CONNECTOR = re.compile(
    r"(?:[,;:]\s*|\s+[-–—]\s+)(?=(?:" + "|".join(_CONJUNCTIONS + _ADVERBS) + r")\b)"
    r"|\s+(?=(?:" + "|".join(_CONJUNCTIONS) + r")\b)",
    re.IGNORECASE,
)
_SEMICOLON = re.compile(r"\s*;\s*")
_CONCESSIVE_OPENING = re.compile(
    r"^(?:although|though|even though|while|bien que|même si|quoique|malgré)\b[^,]*,",
    re.IGNORECASE,
)
_MIN_WORDS = 2
_TRIM = " \t\r\n,;:-–—"


@dataclass(frozen=True)
class Span:
    """A piece of a text and where it lies in it, so a finding can be highlighted."""

    text: str
    start: int
    end: int


def split_sentences(text: str) -> list[Span]:
    """The sentences of ``text``, in order.

    >>> [s.text for s in split_sentences("Livré en 3 jours. Merci M. Durand ! Top")]
    ['Livré en 3 jours.', 'Merci M. Durand !', 'Top']
    """
    spans: list[Span] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        if match.end() == len(text) or _ends_sentence(text, match):
            _append(spans, text, start, match.end())
            start = match.end()
    _append(spans, text, start, len(text))
    return spans


def split_clauses(text: str) -> list[Span]:
    """The clauses of ``text``: its sentences, cut again where the opinion may turn.

    >>> [c.text for c in split_clauses("Staff were lovely but delivery took three weeks.")]
    ['Staff were lovely', 'but delivery took three weeks.']
    """
    return [clause for sentence in split_sentences(text) for clause in _clauses_of(sentence)]


def _ends_sentence(text: str, match: re.Match[str]) -> bool:
    mark = match.group().strip()
    if mark.startswith("\n") or not mark:
        return True
    if mark == ".":
        before = re.search(r"(\S+)\.$", text[: match.start() + 1])
        word = before.group(1).lower() if before else ""
        if word in _ABBREVIATIONS or re.fullmatch(r"(?:[a-z]\.)*[a-z]", word):
            return False  # "M. Dupont", "e.g. this", "U.S. orders"
    following = text[match.end() : match.end() + 1]
    return not (following.isdigit() and text[match.start() - 1 : match.start()].isdigit())


def _clauses_of(sentence: Span) -> Iterator[Span]:
    cuts = [0]
    opening = _CONCESSIVE_OPENING.match(sentence.text)
    if opening:
        cuts.append(opening.end())
    cuts += [m.end() for m in _SEMICOLON.finditer(sentence.text)]
    cuts += [m.end() for m in _CONNECTOR.finditer(sentence.text) if m.start() > 0]
    kept = _keep_cuts_with_enough_words(sentence.text, sorted(set(cuts)))
    pieces = [*zip(kept, [*kept[1:], len(sentence.text)], strict=True)]
    for start, end in pieces:
        piece = _trimmed(sentence.text, start, end)
        if piece:
            yield Span(piece[0], sentence.start + piece[1], sentence.start + piece[2])


def _keep_cuts_with_enough_words(text: str, cuts: list[int]) -> list[int]:
    kept = [0]
    for cut in cuts[1:]:
        left = _words(text[kept[-1] : cut])
        right = _words(text[cut:])
        if left >= _MIN_WORDS and right >= _MIN_WORDS:
            kept.append(cut)
    return kept


def _words(text: str) -> int:
    return len(re.findall(r"\w+", text))


def _trimmed(text: str, start: int, end: int) -> tuple[str, int, int] | None:
    while start < end and text[start] in _TRIM:
        start += 1
    while end > start and text[end - 1] in _TRIM:
        end -= 1
    return (text[start:end], start, end) if start < end else None


def _append(spans: list[Span], text: str, start: int, end: int) -> None:
    piece = _trimmed(text, start, end)
    if piece and re.search(r"\w", piece[0]):
        spans.append(Span(*piece))
