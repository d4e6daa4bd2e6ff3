"""Lexical cues of sentiment and intensity: a small polarity lexicon per language, negation,
intensifiers, questions, exclamation and shouting.

Sentence embeddings blur what a single word decides ("not", "nul", "!!!"); these few numbers
put it back next to the vector the heads read. The word lists are the project's own
(``lexicons/fr.txt``, ``lexicons/en.txt``): a word or a ``*`` prefix, accents folded, with a
weight from -3 to 3; idioms ("pas terrible", "not bad") are matched before single words. A
polar word within three words after a negator, in the same clause, counts half, with the
opposite sign.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import numpy as np

from cxgap.errors import ConfigError
from cxgap.text.keywords import fold
from cxgap.text.protocols import Language, Matrix

LEXICON_DIR = Path(__file__).resolve().parent / "lexicons"
FEATURES = (
    "positive",
    "negative",
    "net",
    "question_mark",
    "question_opening",
    "exclamations",
    "shouting",
    "intensifiers",
    "negators",
    "length",
    "positive_emoji",
    "negative_emoji",
)
_TOKEN = re.compile(r"[a-z0-9]+(?:'[a-z]+)?|[!?,.;:]")
_BREAKS = frozenset(",.;:!?")
_MENTION = re.compile(r"@\w+")
_NEGATION_REACH = 3
_POSITIVE_EMOJI = frozenset("😀😃😄😁😊😍🥰😘👍👌🙏❤💯🎉✨🙂😉🤩💪⭐")
_NEGATIVE_EMOJI = frozenset("😡😠🤬😤😞😒🙄👎😢😭💩😩😫🤮😱😑😕☹")


@dataclass(frozen=True)
class Lexicon:
    """The word lists of one language."""

    words: dict[str, float]
    prefixes: tuple[tuple[str, float], ...]
    idioms: dict[tuple[str, ...], float]
    negators: frozenset[str]
    intensifiers: frozenset[str]
    questions: frozenset[str]
    _seen: dict[str, float] = field(default_factory=dict, compare=False, repr=False)

    def weight(self, token: str) -> float:
        known = self._seen.get(token)
        if known is None:
            known = self.words.get(token, 0.0) or next(
                (weight for prefix, weight in self.prefixes if token.startswith(prefix)), 0.0
            )
            if len(self._seen) < 200_000:  # bounded: vocabularies are far smaller
                self._seen[token] = known
        return known


def parse_lexicon(text: str, *, where: str) -> Lexicon:
    """A lexicon from its file's text (sections ``[polarity]``, ``[idioms]``, ``[negators]``,
    ``[intensifiers]``, ``[questions]``)."""
    sections: dict[str, list[str]] = {}
    current = ""
    for number, raw in enumerate(text.splitlines(), 1):
        line = fold(raw.strip())
        if not line or line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]"):
            current = line[1:-1]
            sections[current] = []
        elif not current:
            raise ConfigError(f"{where}:{number}: a line before any [section]")
        else:
            sections[current].append(line)
    words: dict[str, float] = {}
    prefixes: list[tuple[str, float]] = []
    idioms: dict[tuple[str, ...], float] = {}
    for line in sections.get("polarity", []) + sections.get("idioms", []):
        term, _, weight = line.rpartition(" ")
        tokens = tuple(_TOKEN.findall(term.rstrip("*")))
        if len(tokens) > 1:
            idioms[tokens] = float(weight)
        elif term.endswith("*"):
            prefixes.append((term[:-1], float(weight)))
        else:
            words[term] = float(weight)
    return Lexicon(
        words=words,
        prefixes=tuple(sorted(prefixes, key=lambda item: -len(item[0]))),
        idioms=idioms,
        negators=frozenset(sections.get("negators", [])),
        intensifiers=frozenset(sections.get("intensifiers", [])),
        questions=frozenset(sections.get("questions", [])),
    )


@cache
def load_lexicon(language: str) -> Lexicon:
    """The bundled lexicon of ``"fr"`` or ``"en"``."""
    path = LEXICON_DIR / f"{language}.txt"
    return parse_lexicon(path.read_text(encoding="utf-8"), where=str(path))


def lexical_features(text: str, language: Language) -> list[float]:
    """The cues of one text, in the order of :data:`FEATURES` (French and English lexicons
    both read when the language is neither).

    >>> features = dict(zip(FEATURES, lexical_features("Pas terrible, vraiment déçu !", "fr")))
    >>> features["negative"] > 0, features["positive"], features["exclamations"]
    (True, 0.0, 0.3333333333333333)
    """
    tokens = _TOKEN.findall(fold(_MENTION.sub(" ", text)))
    lexicons = [load_lexicon(language)] if language in ("fr", "en") else _both()
    positive = negative = 0.0
    for lexicon in lexicons:
        pos, neg = _polarity(tokens, lexicon)
        positive, negative = max(positive, pos), max(negative, neg)
    words = [token for token in tokens if token not in _BREAKS]
    letters = [char for char in text if char.isalpha()]
    return [
        positive,
        negative,
        float(np.tanh((positive - negative) / 3)),
        float("?" in text),
        float(bool(words) and any(words[0] in lexicon.questions for lexicon in lexicons)),
        min(text.count("!"), 3) / 3,
        float(len(letters) >= 8 and sum(c.isupper() for c in letters) / len(letters) > 0.6),
        float(sum(any(w in lexicon.intensifiers for lexicon in lexicons) for w in words)),
        float(sum(any(w in lexicon.negators for lexicon in lexicons) for w in words)),
        float(np.log1p(len(words)) / 4),
        float(any(char in _POSITIVE_EMOJI for char in text)),
        float(any(char in _NEGATIVE_EMOJI for char in text)),
    ]


def feature_matrix(texts: list[str], languages: list[Language]) -> Matrix:
    """:func:`lexical_features` of each text, one row each."""
    rows = [lexical_features(text, lang) for text, lang in zip(texts, languages, strict=True)]
    return np.asarray(rows, dtype=np.float32).reshape(len(texts), len(FEATURES))


def _both() -> list[Lexicon]:
    return [load_lexicon("fr"), load_lexicon("en")]


def _polarity(tokens: list[str], lexicon: Lexicon) -> tuple[float, float]:
    positive = negative = 0.0
    negated_until = -1
    i = 0
    while i < len(tokens):
        weight, length = _idiom_at(tokens, i, lexicon)
        if not length:
            weight, length = lexicon.weight(tokens[i]), 1
            if tokens[i] in _BREAKS:
                negated_until = -1
            elif tokens[i] in lexicon.negators:
                negated_until = i + _NEGATION_REACH
            elif weight and i <= negated_until:
                weight = -0.5 * weight
        if weight > 0:
            positive += weight
        else:
            negative -= weight
        i += length
    return positive, negative


def _idiom_at(tokens: list[str], i: int, lexicon: Lexicon) -> tuple[float, int]:
    for size in (4, 3, 2):
        weight = lexicon.idioms.get(tuple(tokens[i : i + size]))
        if weight is not None:
            return weight, size
    return 0.0, 0


LEXICAL_WEIGHT = 0.5
"""How much the lexical cues weigh next to a unit-length sentence vector: picked from
0, 0.5, 1 and 2 on the project's held-out set and the Allociné proxy (docs/accuracy.md)."""


def with_cues(vectors: Matrix, texts: list[str], languages: list[Language]) -> Matrix:
    """Sentence vectors with the lexical cues of each text appended, as the sentiment and
    intensity models read them (polarity sums scaled to the range of the other cues)."""
    cues = feature_matrix(texts, languages)
    cues[:, :2] /= 3
    return np.hstack([np.asarray(vectors, dtype=np.float32), LEXICAL_WEIGHT * cues])
