"""Replies in the right tone (docs/replies.md): the one entry point the command, the API and
the case page share to check a draft and to fill a template.

Inputs arrive as plain strings from a form, a file or JSON; each is checked here and refused
with ``ValidationError`` naming the field and the value.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from typing import Any, cast
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from cxgap.errors import ValidationError
from cxgap.sla.calendar import BusinessCalendar
from cxgap.text.language import RuleAndModelDetector
from cxgap.text.protocols import TextAnalysis, TextAnalyzer
from cxgap.tone.check import check_draft
from cxgap.tone.guidance import Guidance, build_guidance
from cxgap.tone.model import (
    ADDRESSES,
    CHANNELS,
    LANGUAGES,
    LENGTH_PREFERENCES,
    SENTIMENTS,
    Address,
    Channel,
    LengthPreference,
    Mood,
    ReplyContext,
    ReplyLanguage,
    ToneFinding,
    ToneProfile,
    checked_mood,
    mood_of,
)
from cxgap.tone.promises import office_calendar
from cxgap.tone.report import check_json
from cxgap.tone.templates import FilledTemplate, fill_template

DRAFT_LIMIT = 20_000  # characters: a long letter is 3,000


@dataclass(frozen=True)
class ReplyRequest:
    """A draft to check, as submitted."""

    text: str
    channel: str
    language: str | None = None  # None: detected from the draft
    address: str = "vous"
    length: str = "standard"
    due: datetime | None = None
    now: datetime | None = None
    timezone: str = "Europe/Paris"
    # The support hours promised business hours and days count on (a case's: its tier's or
    # the workspace's); None: Monday to Friday 09:00-18:00 in ``timezone``.
    calendar: BusinessCalendar | None = None
    customer_sentiment: str | None = None
    customer_intensity: float | None = None
    draft_sentiment: str | None = None
    agent_name: str | None = None
    known_values: Sequence[str] = ()
    # The customer's own messages: the analyzer reads their mood when no sentiment is given.
    customer_messages: Sequence[str] = ()
    analyze_draft: bool = False  # the analyzer reads the draft's sentiment (none given)


@dataclass(frozen=True)
class ReplyCheck:
    text: str
    context: ReplyContext
    guidance: Guidance
    findings: list[ToneFinding]

    draft_sentiment: str | None = None

    def as_json(self) -> dict[str, Any]:
        mood = self.context.mood
        return check_json(self.text, self.findings, self.guidance) | {
            "language": self.context.language,
            "customer_mood": {
                "sentiment": mood.sentiment,
                "intensity": mood.intensity,
                "angry": mood.angry,
            },
            "draft_sentiment": self.draft_sentiment,
        }


def check_reply(request: ReplyRequest, *, analyzer: TextAnalyzer | None = None) -> ReplyCheck:
    """The guidance for the reply and every finding on its draft.

    The analyzer (the bundled one unless given) runs only when customer messages are given
    without a sentiment, or when the draft's sentiment is asked for.
    """
    text = request.text
    if not text.strip():
        raise ValidationError.single("text", "the draft is empty", "", code="required")
    if len(text) > DRAFT_LIMIT:
        raise ValidationError.single(
            "text",
            f"at most {DRAFT_LIMIT} characters",
            len(text),
            code="too_long",
            params={"limit": DRAFT_LIMIT},
        )
    zone = _zone(request.timezone)
    analyses = _analyses(request, analyzer)
    draft_sentiment = request.draft_sentiment
    if draft_sentiment is None and request.analyze_draft and analyses:
        draft_sentiment = analyses[-1].sentiment or None
    context = ReplyContext(
        channel=cast(Channel, _choice("channel", request.channel, CHANNELS)),
        language=_language(request.language, text),
        profile=ToneProfile(
            cast(Address, _choice("address", request.address, ADDRESSES)),
            cast(LengthPreference, _choice("length", request.length, LENGTH_PREFERENCES)),
        ),
        mood=_mood(request, analyses[:-1] if analyses else []),
        due=_local(_aware("due", request.due), zone),
        now=_aware("now", request.now) or datetime.now(UTC),
    )
    if draft_sentiment is not None:
        _choice("draft_sentiment", draft_sentiment, SENTIMENTS)
    findings = check_draft(
        text,
        context,
        sentiment=draft_sentiment,
        calendar=request.calendar or office_calendar(zone),
        agent_name=request.agent_name,
        known_values=request.known_values,
    )
    return ReplyCheck(text, context, build_guidance(context), findings, draft_sentiment)


def _analyses(request: ReplyRequest, analyzer: TextAnalyzer | None) -> list[TextAnalysis]:
    """The analyses of the customer's messages then of the draft, or none when not needed."""
    messages = [m for m in request.customer_messages if m.strip()]
    for index, message in enumerate(messages):
        if len(message) > DRAFT_LIMIT:
            raise ValidationError.single(
                f"customer_messages[{index}]",
                f"at most {DRAFT_LIMIT} characters",
                len(message),
                code="too_long",
                params={"limit": DRAFT_LIMIT},
            )
    wanted = (messages and request.customer_sentiment is None) or (
        request.analyze_draft and request.draft_sentiment is None
    )
    if not wanted:
        return []
    return (analyzer or bundled_analyzer()).analyze([*messages, request.text])


def _mood(request: ReplyRequest, analyses: Sequence[TextAnalysis]) -> Mood:
    if request.customer_sentiment is not None or not analyses:
        return checked_mood(request.customer_sentiment, request.customer_intensity)
    return mood_of(analyses)


@cache
def bundled_analyzer() -> TextAnalyzer:
    """The bundled text models, loaded once per process on first use (a few seconds)."""
    from cxgap.text.analyzer import build_analyzer

    analyzer: TextAnalyzer = build_analyzer()
    return analyzer


def reply_template(
    *, situation: str, language: str, address: str = "vous", values: Mapping[str, str]
) -> FilledTemplate:
    """A template of the situation with the customer's details filled in."""
    return fill_template(situation, language, values, address)


def _choice(field: str, value: str, allowed: Sequence[str]) -> str:
    if value not in allowed:
        raise ValidationError.single(
            field,
            f"must be one of {', '.join(allowed)}",
            value,
            code="choice",
            params={"allowed": ", ".join(allowed)},
        )
    return value


def _language(language: str | None, text: str) -> ReplyLanguage:
    if language is not None:
        return cast(ReplyLanguage, _choice("language", language, LANGUAGES))
    detected = RuleAndModelDetector().detect(text)
    if detected not in LANGUAGES:
        raise ValidationError.single(
            "language",
            "the draft's language could not be told (French or English): give it",
            detected or None,
            code="choice",
            params={"allowed": ", ".join(LANGUAGES)},
        )
    return detected


def _local(instant: datetime | None, zone: ZoneInfo) -> datetime | None:
    """The due time on the workspace's clock, as the guidance says it to the member."""
    return None if instant is None else instant.astimezone(zone)


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValidationError.single(
            "timezone", "is not a known time zone", name, code="format"
        ) from exc


def _aware(field: str, value: datetime | None) -> datetime | None:
    if value is not None and value.utcoffset() is None:
        raise ValidationError.single(
            field,
            "must carry a UTC offset (2026-12-04T14:00+01:00)",
            value.isoformat(),
            code="format",
        )
    return value
