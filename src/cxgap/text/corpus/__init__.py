"""The labelled corpus the bundled heads are trained on, written for the project.

French and English customer-experience sentences (``train_*.tsv``) and whole verbatims kept
apart for evaluation (``heldout_*.tsv``, never trained on). Each line is
``label<TAB>topics<TAB>text``: the label is ``+``, ``=`` or ``-`` (positive, neutral, negative)
followed by an intensity digit 0–9 (tenths), topics are keys of the default taxonomy joined
by ``;`` (empty: none). Lines starting with ``#`` are comments.

:func:`expand` adds deterministic variants of the training sentences (seeded): lower case
without accents, SMS spelling, a typo, shouting, a greeting or an @-mention in front, and
pairs of same-polarity sentences joined as one verbatim. Real feedback is written that way;
the hand-written lines are not.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Literal

from cxgap.errors import ConfigError
from cxgap.text.keywords import fold
from cxgap.text.protocols import Sentiment

CORPUS_DIR = Path(__file__).resolve().parent
Split = Literal["train", "heldout"]
CorpusLanguage = Literal["fr", "en"]
LANGUAGES: tuple[CorpusLanguage, ...] = ("fr", "en")
_SENTIMENTS: dict[str, Sentiment] = {"+": "positive", "=": "neutral", "-": "negative"}


@dataclass(frozen=True)
class Example:
    """One labelled text of the corpus."""

    text: str
    language: CorpusLanguage
    sentiment: Sentiment
    intensity: float
    topics: tuple[str, ...] = ()


def parse_line(line: str, *, language: CorpusLanguage, where: str) -> Example | None:
    """One corpus line as an example; ``None`` for a comment or a blank line.

    >>> parse_line("-7\\tdelivery;price\\tToo late.", language="en", where="x:1")
    Example(text='Too late.', language='en', sentiment='negative', intensity=0.7, \
topics=('delivery', 'price'))
    """
    if not line.strip() or line.startswith("#"):
        return None
    parts = line.rstrip("\n").split("\t")
    if len(parts) != 3 or not re.fullmatch(r"[+=-]\d", parts[0]) or not parts[2].strip():
        raise ConfigError(f"{where}: expected 'label<TAB>topics<TAB>text', got {line!r}")
    topics = tuple(topic for topic in parts[1].split(";") if topic)
    return Example(
        parts[2].strip(), language, _SENTIMENTS[parts[0][0]], int(parts[0][1]) / 10, topics
    )


def load_examples(
    split: Split, languages: Sequence[CorpusLanguage] = LANGUAGES, *, directory: Path = CORPUS_DIR
) -> list[Example]:
    """Every example of ``split`` in the given languages, in file order."""
    examples = []
    for language in languages:
        path = directory / f"{split}_{language}.tsv"
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            example = parse_line(line, language=language, where=f"{path.name}:{number}")
            if example is not None:
                examples.append(example)
    return examples


_SMS = {
    "fr": {
        "beaucoup": "bcp",
        "toujours": "tjrs",
        "problème": "pb",
        "quelqu'un": "qqn",
        "quelque": "qq",
        "je suis": "jsuis",
        "c'est": "c",
        "pour": "pr",
        "vous": "vs",
        "rien": "ri1",
        "merci": "mrc",
        "s'il vous plaît": "svp",
        "aujourd'hui": "auj",
    },
    "en": {
        "you": "u",
        "are": "r",
        "please": "pls",
        "thanks": "thx",
        "because": "cuz",
        "really": "rly",
        "tonight": "tonite",
        "I am": "im",
        "I'm": "im",
        "don't": "dont",
        "can't": "cant",
        "to be honest": "tbh",
        "for": "4",
    },
}
_OPENINGS = {
    "fr": ("Bonjour, ", "Bonsoir. ", "Alors voilà : ", "Avis : ", ""),
    "en": ("@brand ", "@airline ", "Hi, ", "Review: ", "@support "),
}
_JOINERS = {"fr": (" ", " Et ", ". En plus, ", ", "), "en": (" ", " And ", ". Also, ", ", ")}


def expand(examples: Iterable[Example], *, seed: int = 0, pairs: int = 2) -> list[Example]:
    """The examples, each followed by noisy variants, then ``pairs`` joined pairs per example.

    Deterministic for a given seed and input order.
    """
    rng = random.Random(seed)
    originals = list(examples)
    out: list[Example] = []
    for example in originals:
        out.append(example)
        out.extend(_variants(example, rng))
    by_group: dict[tuple[str, str], list[Example]] = {}
    for example in originals:
        by_group.setdefault((example.language, example.sentiment), []).append(example)
    for example in originals:
        group = by_group[(example.language, example.sentiment)]
        for _ in range(pairs):
            out.append(_joined(example, rng.choice(group), rng))
    return out


def _variants(example: Example, rng: random.Random) -> list[Example]:
    text, language = example.text, example.language
    casual = fold(text).rstrip(".!") if language == "fr" else text.lower().rstrip(".!")
    variants = [casual, _sms(text, language), _typo(text, rng)]
    opening = rng.choice(_OPENINGS[language])
    variants.append(opening + (text[0].lower() + text[1:] if opening.endswith(" ") else text))
    if example.sentiment != "neutral":
        variants.append(
            text.rstrip(".!")
            + rng.choice(("!!", "!!!", " !!", " 😡" if example.sentiment == "negative" else " 😊"))
        )
    if example.sentiment == "negative" and example.intensity >= 0.7:
        variants.append(text.upper())
    unique = dict.fromkeys(variant for variant in variants if variant and variant != text)
    return [replace(example, text=variant) for variant in unique]


def _sms(text: str, language: CorpusLanguage) -> str:
    out = text
    for long, short in _SMS[language].items():
        out = re.sub(rf"(?<!\w){re.escape(long)}(?!\w)", short, out, flags=re.IGNORECASE)
    return out.lower()


def _typo(text: str, rng: random.Random) -> str:
    words = text.split(" ")
    long_words = [i for i, word in enumerate(words) if len(word) > 4 and word.isalpha()]
    if not long_words:
        return text
    i = rng.choice(long_words)
    word = words[i]
    j = rng.randrange(1, len(word) - 2)
    words[i] = word[:j] + word[j + 1] + word[j] + word[j + 2 :]
    return " ".join(words)


def _joined(first: Example, second: Example, rng: random.Random) -> Example:
    joiner = rng.choice(_JOINERS[first.language])
    tail = second.text if joiner.endswith(". ") or joiner == " " else _lower_first(second.text)
    head = first.text.rstrip(".") if joiner.startswith((",", ".")) else first.text
    return Example(
        text=head + joiner + tail,
        language=first.language,
        sentiment=first.sentiment,
        intensity=max(first.intensity, second.intensity),
        topics=tuple(dict.fromkeys(first.topics + second.topics)),
    )


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if text[:2] != text[:2].upper() else text
