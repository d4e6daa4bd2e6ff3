"""Compose customer verbatims that read like real ones and agree with the scores given.

A comment is built from a phrase bank (``phrases_fr``, ``phrases_en``): complaints come from
the pillars the customer rated lowest, praise from the highest, passives mix both in one
sentence ("staff were lovely but delivery took three weeks") because text analytics must cope
with that. Then it is roughened the way people type: lower case, missing accents, a typo, an
emoji now and then.
"""

from __future__ import annotations

import random
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Literal

from cxgap.demo import phrases_en, phrases_fr
from cxgap.demo.phrases import PhraseBank, topics_by_pillar

Tone = Literal["negative", "mixed", "positive"]
Polarity = Literal["negative", "positive"]

BANKS: Mapping[str, PhraseBank] = {"fr": phrases_fr.BANK, "en": phrases_en.BANK}
_TOPICS = topics_by_pillar()

# Sentences per comment: short = one ready-made fragment; otherwise 1 to 4 sentences.
# Unhappy customers write more, happy ones keep it brief.
_LENGTHS: Mapping[Tone, Mapping[int, float]] = {
    "negative": {0: 0.12, 1: 0.22, 2: 0.27, 3: 0.25, 4: 0.14},
    "mixed": {0: 0.18, 1: 0.25, 2: 0.31, 3: 0.18, 4: 0.08},
    "positive": {0: 0.26, 1: 0.28, 2: 0.26, 3: 0.14, 4: 0.06},
}
_SENTENCE_ENDS = (".", ".", ".", ".", ".", "!", "!")
_TRAILING_ENDS = (".", ".", ".", ".", ".", ".", "!", "…")  # sighs belong to complaints
OPENER_SHARE = 0.3
SHORT_TAIL_SHARE = 0.55
_STOPS = (".", "!", "?", "…")
_CONTINUING = (",", ":", " et", " and")
_EMOJI_MIXED = ("😐", "🤔", "🤷")


def tone_for_nps(rng: random.Random, nps: int) -> Tone:
    """What a customer with this NPS writes about; the borders blur as in real data."""
    roll = rng.random()
    if nps <= 4:
        return "negative"
    if nps <= 6:
        return "negative" if roll < 0.6 else "mixed"
    if nps <= 8:
        return "mixed" if roll < 0.75 else ("positive" if roll < 0.9 else "negative")
    return "positive" if roll < 0.9 else "mixed"


def write_comment(
    rng: random.Random,
    *,
    language: str,
    tone: Tone,
    segment_key: str,
    performance: Mapping[str, int],
    importance: Mapping[str, int],
    slant: Slant | None = None,
) -> str:
    """One verbatim in ``language``, about the pillars this customer's scores point to
    (and to the topics ``slant`` says, when given)."""
    writer = _Writer(rng, BANKS[language], segment_key, performance, importance, slant)
    lengths = _LENGTHS[tone]
    n_sentences = rng.choices(list(lengths), weights=list(lengths.values()))[0]
    text = writer.short(tone) if n_sentences == 0 else writer.compose(tone, n_sentences)
    return roughen(rng, text, language=language, tone=tone)


@dataclass(frozen=True)
class Slant:
    """Where a comment's complaints and praise go among the topics of the pillar its scores
    point to: a ``preferred`` topic whenever the pillar has one, never an ``avoided`` one
    (unless the pillar has no other). The topic is drawn as without a slant and changed only
    when the slant says so, so a comment that never touches those topics stays as it was;
    the default slant changes nothing."""

    preferred: Mapping[Polarity, frozenset[str]] = field(default_factory=dict)
    avoided: Mapping[Polarity, frozenset[str]] = field(default_factory=dict)

    def topic(self, rng: random.Random, polarity: Polarity, topics: tuple[str, ...]) -> str:
        topic = rng.choice(topics)
        preferred = [t for t in topics if t in self.preferred.get(polarity, frozenset())]
        if preferred and topic not in preferred:
            return rng.choice(preferred)
        others = [t for t in topics if t not in self.avoided.get(polarity, frozenset())]
        if topic not in others and others:
            return rng.choice(others)
        return topic


class _Slots(dict[str, str]):
    """Fills ``{slot}`` placeholders on first use and keeps the value for the whole comment,
    so a comment talks about one shop, one order, one gender of writer."""

    def __init__(self, rng: random.Random, bank: PhraseBank) -> None:
        super().__init__()
        self._rng = rng
        self._bank = bank

    def __missing__(self, key: str) -> str:
        value = self._draw(key)
        self[key] = value
        return value

    def _draw(self, key: str) -> str:
        if key in self._bank.slots:
            return self._rng.choice(self._bank.slots[key])
        return NUMBER_SLOTS[key](self._rng)


# Slots drawn fresh rather than from the bank: numbers make each complaint concrete (and the
# comments unique), "e" marks a French writer's gender (déçu / déçue) once per comment.
NUMBER_SLOTS: Mapping[str, Callable[[random.Random], str]] = {
    "e": lambda rng: "e" if rng.random() < 0.55 else "",
    "minutes": lambda rng: str(rng.randrange(20, 80, 5)),
    "short_minutes": lambda rng: str(rng.choice((2, 3, 5))),
    "days": lambda rng: str(rng.randint(2, 12)),
    "hours": lambda rng: str(rng.randint(2, 5)),
    "count": lambda rng: str(rng.randint(2, 5)),
    "order": lambda rng: str(rng.randrange(4_000_000, 5_000_000)),
    "price": lambda rng: str(rng.randrange(149, 2490, 10)),
    "small_price": lambda rng: str(rng.randrange(20, 300, 10)),
}


class _Writer:
    """Builds the sentences of one comment.

    Sentences are kept as written in the bank (clauses start in lower case, "I" and names
    keep their capital) and capitalised only when the comment is assembled, because an
    opener such as "Bonjour," continues the first sentence instead.
    """

    def __init__(
        self,
        rng: random.Random,
        bank: PhraseBank,
        segment_key: str,
        performance: Mapping[str, int],
        importance: Mapping[str, int],
        slant: Slant | None = None,
    ) -> None:
        self.rng = rng
        self.bank = bank
        self.segment_key = segment_key
        self.slots = _Slots(rng, bank)
        self.used: set[str] = set()
        self.topics: set[str] = set()
        self.slant = slant or Slant()
        pillars = [key for key in performance if key in _TOPICS]
        self.pillars = pillars
        # Complain where the score is low and the pillar matters; praise where it is high.
        # People write about what matters to them, hence importance squared.
        weight = {p: importance.get(p, 3) ** 2 for p in pillars}
        self.low_weights = [(6 - performance[p]) ** 2 * weight[p] for p in pillars]
        self.high_weights = [performance[p] ** 2 * weight[p] for p in pillars]
        self.leaning: Polarity = (
            "positive" if sum(self.high_weights) > sum(self.low_weights) else "negative"
        )

    def fill(self, template: str) -> str:
        return template.format_map(self.slots)

    def pick(self, options: tuple[str, ...]) -> str:
        """A phrase not yet used in this comment, as far as a few tries can tell."""
        for _ in range(3):
            choice = self.rng.choice(options)
            if choice not in self.used:
                break
        self.used.add(choice)
        return choice

    def clause(self, polarity: Polarity) -> str:
        weights = self.low_weights if polarity == "negative" else self.high_weights
        # A topic already talked about is not praised and blamed in the same comment.
        for _ in range(3):
            pillar = self.rng.choices(self.pillars, weights=weights)[0]
            topic = self.slant.topic(self.rng, polarity, _TOPICS[pillar])
            if topic not in self.topics:
                break
        self.topics.add(topic)
        bank = self.bank.negative if polarity == "negative" else self.bank.positive
        return self.fill(self.pick(bank[topic]))

    def sentence_end(self, polarity: Polarity | None) -> str:
        end = self.rng.choice(_SENTENCE_ENDS if polarity == "positive" else _TRAILING_ENDS)
        # French typography puts a space before "!", which about half of people type.
        if end == "!" and self.bank.language == "fr" and self.rng.random() < 0.5:
            return " !"
        return end

    def plain(self, polarity: Polarity) -> str:
        return self.clause(polarity) + self.sentence_end(polarity)

    def mixed(self) -> tuple[str, bool]:
        """Praise and complaint in one sentence, and whether it starts as a clause."""
        template = self.pick(self.bank.mixed)
        text = template.format(pos=self.clause("positive"), neg=self.clause("negative"))
        return text + self.sentence_end(None), template.startswith("{")

    def whole(self, options: tuple[str, ...]) -> str:
        return self.fill(self.pick(options))

    def short(self, tone: Tone) -> str:
        """A few words, sometimes with a word or two more, as people dash them off."""
        fragments, tails = {
            "negative": (self.bank.short_negative, self.bank.short_tails_negative),
            "mixed": (self.bank.short_mixed, self.bank.short_tails_mixed),
            "positive": (self.bank.short_positive, self.bank.short_tails_positive),
        }[tone]
        text = _capitalise(self.whole(fragments))
        if self.rng.random() < SHORT_TAIL_SHARE:
            separator = " " if text.endswith(_STOPS) else ". "
            text = text + separator + self.whole(tails)
        return text

    def compose(self, tone: Tone, n_sentences: int) -> str:
        first, from_clause = self.first_sentence(tone)
        rest = [
            _capitalise(self.next_sentence(tone, last=count == n_sentences - 1))
            for count in range(1, n_sentences)
        ]
        if self.rng.random() < OPENER_SHARE:
            opener = self.fill(self.rng.choice(_openers(self.bank, tone)))
            if opener.endswith(_CONTINUING):
                first = opener + " " + (first if from_clause else _lowercase_start(first))
            else:
                first = opener + " " + _capitalise(first)
        else:
            first = _capitalise(first)
        return " ".join([first, *rest])

    def first_sentence(self, tone: Tone) -> tuple[str, bool]:
        """The opening sentence, and whether it starts as a clause (whose case is right as
        it is) rather than as a sentence written with a capital."""
        roll = self.rng.random()
        if tone == "mixed":
            return self.mixed() if roll < 0.75 else (self.plain(self.leaning), True)
        if roll < 0.12:
            segment_bank = (
                self.bank.segment_negative if tone == "negative" else self.bank.segment_positive
            )
            return self.whole(segment_bank[self.segment_key]), False
        return self.plain(tone), True

    def next_sentence(self, tone: Tone, *, last: bool) -> str:
        if last and self.rng.random() < 0.45:
            return self.whole(_closings(self.bank, tone))
        kinds = _NEXT_KINDS[tone]
        kind = self.rng.choices(list(kinds), weights=list(kinds.values()))[0]
        if kind == "negative":
            return self.plain("negative")
        if kind == "positive":
            return self.plain("positive")
        if kind == "mixed":
            return self.mixed()[0]
        if kind == "consequence":
            return self.whole(self.bank.consequences)
        if kind == "follow_up":
            return self.whole(self.bank.praise_follow_ups)
        segment_bank = (
            self.bank.segment_negative if kind == "segment_negative" else self.bank.segment_positive
        )
        return self.whole(segment_bank[self.segment_key])


_NEXT_KINDS: Mapping[Tone, Mapping[str, float]] = {
    "negative": {"negative": 3, "consequence": 3, "segment_negative": 1, "mixed": 0.7},
    "mixed": {"mixed": 1, "negative": 2, "positive": 2, "consequence": 1, "follow_up": 0.4},
    "positive": {"positive": 3, "follow_up": 3, "segment_positive": 1, "mixed": 0.6},
}


def _openers(bank: PhraseBank, tone: Tone) -> tuple[str, ...]:
    return {
        "negative": bank.openers_negative,
        "mixed": bank.openers_mixed,
        "positive": bank.openers_positive,
    }[tone]


def _closings(bank: PhraseBank, tone: Tone) -> tuple[str, ...]:
    return {
        "negative": bank.closings_negative,
        "mixed": bank.closings_mixed,
        "positive": bank.closings_positive,
    }[tone]


def _capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]


def _lowercase_start(text: str) -> str:
    """Continue a written sentence after "Bonjour," — but "I" stays "I"."""
    if text.startswith(("I ", "I'")):
        return text
    return text[:1].lower() + text[1:]


# -- how people actually type -----------------------------------------------------------------


def roughen(rng: random.Random, text: str, *, language: str, tone: Tone) -> str:
    """Lower case, dropped accents and stops, a typo, an emoji: each now and then."""
    if language == "fr" and rng.random() < 0.12:
        text = strip_accents(text)
    if rng.random() < 0.08:
        text = text.lower()
    if rng.random() < 0.06:
        text = add_typo(rng, text)
    if rng.random() < 0.1:
        text = text.rstrip(".")
    if rng.random() < 0.035:
        emoji = {
            "negative": BANKS[language].emoji_negative,
            "positive": BANKS[language].emoji_positive,
            "mixed": _EMOJI_MIXED,
        }[tone]
        text = f"{text} {rng.choice(emoji)}"
    return text


def strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text)
    kept = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return unicodedata.normalize("NFC", kept)


def add_typo(rng: random.Random, text: str) -> str:
    """Swap or drop one letter inside one longer word."""
    words = text.split(" ")
    candidates = [i for i, word in enumerate(words) if len(word) >= 6 and word.isalpha()]
    if not candidates:
        return text
    index = rng.choice(candidates)
    word = words[index]
    at = rng.randrange(1, len(word) - 2)
    if rng.random() < 0.5:
        word = word[:at] + word[at + 1] + word[at] + word[at + 2 :]
    else:
        word = word[:at] + word[at + 1 :]
    words[index] = word
    return " ".join(words)
