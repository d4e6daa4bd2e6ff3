"""The words of the tone library: channels, address forms, the customer's mood, a reply's
context, and what a check finds."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

from cxgap.errors import ValidationError
from cxgap.text.protocols import TextAnalysis

Channel = Literal["email", "chat", "phone", "social", "sms", "letter"]
CHANNELS: tuple[Channel, ...] = ("email", "chat", "phone", "social", "sms", "letter")
Address = Literal["vous", "tu"]
"""How the reply addresses the customer: ``vous`` is formal (French *vous*, English formal
register), ``tu`` informal (French *tu*, English casual register)."""
ADDRESSES: tuple[Address, ...] = ("vous", "tu")
ReplyLanguage = Literal["fr", "en"]
LANGUAGES: tuple[ReplyLanguage, ...] = ("fr", "en")
LengthPreference = Literal["short", "standard", "detailed"]
LENGTH_PREFERENCES: tuple[LengthPreference, ...] = ("short", "standard", "detailed")
SENTIMENTS = ("positive", "neutral", "negative")

# A negative message at or above this intensity is an angry customer: apology and empathy
# first. The analyzer's intensity mixes the clause's strength and its distance from neutral
# (cxgap.text.analyzer); 0.6 leaves plain complaints ("still not delivered") below it.
ANGRY_INTENSITY = 0.6


@dataclass(frozen=True)
class Mood:
    """The customer's emotion as the analyzer read their messages."""

    sentiment: str = "neutral"
    intensity: float = 0.0

    @property
    def angry(self) -> bool:
        return self.sentiment == "negative" and self.intensity >= ANGRY_INTENSITY

    @property
    def upset(self) -> bool:
        return self.sentiment == "negative"


@dataclass(frozen=True)
class ToneProfile:
    """What is known of the person: how to address them and how long they like replies."""

    address: Address = "vous"
    length: LengthPreference = "standard"


@dataclass(frozen=True)
class ReplyContext:
    """Everything a guidance or a check is relative to."""

    channel: Channel
    language: ReplyLanguage
    profile: ToneProfile = field(default_factory=ToneProfile)
    mood: Mood = field(default_factory=Mood)
    due: datetime | None = None  # the SLA due time of the reply or resolution
    now: datetime | None = None  # when the reply is written (promises count from it)


@dataclass(frozen=True)
class ToneFinding:
    """One problem of a draft: a code, the characters at fault and the message's params."""

    code: str
    start: int
    end: int
    params: dict[str, str] = field(default_factory=dict)


def mood_of(analyses: Sequence[TextAnalysis]) -> Mood:
    """The customer's mood from the analyses of their messages: the most negative message
    decides (an angry first e-mail is not forgiven by a calm reminder), else the latest.

    >>> from cxgap.text.protocols import TextAnalysis
    >>> calm = TextAnalysis("en", "neutral", 0.0, 0.2, (), (), ())
    >>> furious = TextAnalysis("en", "negative", -0.9, 0.85, (), (), ())
    >>> mood_of([furious, calm])
    Mood(sentiment='negative', intensity=0.85)
    """
    read = [a for a in analyses if a.sentiment]
    if not read:
        return Mood()
    negative = [a for a in read if a.sentiment == "negative"]
    if negative:
        worst = max(negative, key=lambda a: a.intensity or 0.0)
        return Mood("negative", worst.intensity or 0.0)
    last = read[-1]
    return Mood(last.sentiment, last.intensity or 0.0)


def checked_mood(sentiment: str | None, intensity: float | None) -> Mood:
    """A mood from user input, refused with the field and value when out of range."""
    if sentiment is None:
        return Mood()
    if sentiment not in SENTIMENTS:
        raise ValidationError.single(
            "customer_sentiment",
            f"must be one of {', '.join(SENTIMENTS)}",
            sentiment,
            code="choice",
            params={"allowed": ", ".join(SENTIMENTS)},
        )
    value = 0.5 if intensity is None else intensity
    if not 0.0 <= value <= 1.0:
        raise ValidationError.single(
            "customer_intensity", "must be between 0 and 1", intensity, code="range"
        )
    return Mood(sentiment, value)
