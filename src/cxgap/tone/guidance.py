"""Guidance for a reply: how to address the customer, how long to write, what to open with,
what to promise and what to avoid, from the channel, the customer's mood and their profile.

Each line of the guidance is a code with parameters, said in French or English from the
``tone.guidance.<code>`` messages (``guidance_lines``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from cxgap.i18n import translate
from cxgap.tone.model import Channel, LengthPreference, ReplyContext

# Words a reply should hold per channel (min, max), for a "standard" reader. An SMS is one
# 160-character segment or two; a public social reply stays short and moves the detail to a
# private channel; a letter carries the whole story once.
CHANNEL_WORDS: dict[Channel, tuple[int, int]] = {
    "sms": (8, 40),
    "social": (12, 50),
    "chat": (10, 80),
    "phone": (20, 120),
    "email": (50, 220),
    "letter": (100, 400),
}
# Characters a channel can carry at most, whatever the reader likes.
CHANNEL_CHARACTERS: dict[Channel, int] = {"sms": 320, "social": 280}
LENGTH_FACTOR: dict[LengthPreference, float] = {"short": 0.6, "standard": 1.0, "detailed": 1.4}
# Channels where a reply opens with a greeting and closes with a signature.
GREETED: frozenset[Channel] = frozenset({"email", "letter", "chat", "social"})
SIGNED: frozenset[Channel] = frozenset({"email", "letter"})
# What a reply must never contain, in the order the guidance says it.
AVOID = ("blame", "jargon", "all_caps", "exclamations")


@dataclass(frozen=True)
class GuidanceLine:
    code: str
    params: dict[str, str]

    def said(self, locale: str) -> str:
        return translate(f"tone.guidance.{self.code}", locale, **self.params)


@dataclass(frozen=True)
class Guidance:
    """What a good reply looks like in this context."""

    channel: Channel
    language: str
    address: str  # vous or tu (formal or casual register in English)
    words: tuple[int, int]
    characters: int | None
    greeting: bool
    signature: bool
    apology_first: bool  # an angry customer: apology and empathy before anything else
    empathy: bool  # any unhappy customer: acknowledge how they feel
    commit_before: datetime | None
    avoid: tuple[str, ...]
    lines: tuple[GuidanceLine, ...]


def word_range(channel: Channel, length: LengthPreference) -> tuple[int, int]:
    """The channel's word range scaled by the reader's preference.

    >>> word_range("email", "short"), word_range("sms", "detailed")
    ((30, 132), (11, 56))
    """
    low, high = CHANNEL_WORDS[channel]
    factor = LENGTH_FACTOR[length]
    return max(3, round(low * factor)), round(high * factor)


def build_guidance(context: ReplyContext) -> Guidance:
    """The guidance for a reply in ``context``."""
    words = word_range(context.channel, context.profile.length)
    characters = CHANNEL_CHARACTERS.get(context.channel)
    mood = context.mood
    lines = [_address_line(context), _length_line(words, characters)]
    if mood.angry:
        lines.append(GuidanceLine("apology_first", {}))
    elif mood.upset:
        lines.append(GuidanceLine("empathy", {}))
    elif mood.sentiment == "positive":
        lines.append(GuidanceLine("thanks", {}))
    if context.channel in GREETED:
        lines.append(GuidanceLine("greeting", {}))
    if context.channel == "social":
        lines.append(GuidanceLine("move_private", {}))
    lines.append(GuidanceLine("no_jargon", {}))
    lines.append(_commitment_line(context.due))
    lines.extend(GuidanceLine(f"avoid_{code}", {}) for code in AVOID if code != "jargon")
    if context.channel in SIGNED:
        lines.append(GuidanceLine("signature", {}))
    return Guidance(
        channel=context.channel,
        language=context.language,
        address=context.profile.address,
        words=words,
        characters=characters,
        greeting=context.channel in GREETED,
        signature=context.channel in SIGNED,
        apology_first=mood.angry,
        empathy=mood.upset,
        commit_before=context.due,
        avoid=AVOID,
        lines=tuple(lines),
    )


def guidance_lines(guidance: Guidance, locale: str) -> list[str]:
    """Each line of the guidance in ``locale`` (the reader's, not the reply's, language)."""
    return [line.said(locale) for line in guidance.lines]


def _address_line(context: ReplyContext) -> GuidanceLine:
    code = f"address_{context.language}_{context.profile.address}"
    return GuidanceLine(code, {})


def _length_line(words: tuple[int, int], characters: int | None) -> GuidanceLine:
    params = {"low": str(words[0]), "high": str(words[1])}
    if characters is None:
        return GuidanceLine("length", params)
    return GuidanceLine("length_characters", params | {"characters": str(characters)})


def _commitment_line(due: datetime | None) -> GuidanceLine:
    if due is None:
        return GuidanceLine("commit_no_due", {})
    return GuidanceLine("commit_before", {"due": f"{due:%Y-%m-%d %H:%M}"})
