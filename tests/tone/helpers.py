"""Building contexts and reading findings for the tone tests."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from cxgap.tone.check import check_draft
from cxgap.tone.model import Address, Channel, Mood, ReplyContext, ReplyLanguage, ToneProfile

PARIS = ZoneInfo("Europe/Paris")
# Friday 4 December 2026, 10:00 in Paris: the reply is written then.
NOW = datetime(2026, 12, 4, 10, 0, tzinfo=PARIS)
CALM = Mood("neutral", 0.2)
ANGRY = Mood("negative", 0.85)


def context(
    language: ReplyLanguage,
    channel: Channel = "chat",
    address: Address = "vous",
    mood: Mood = CALM,
    due: datetime | None = None,
) -> ReplyContext:
    return ReplyContext(channel, language, ToneProfile(address), mood, due=due, now=NOW)


def codes(text: str, ctx: ReplyContext, code: str, **kwargs: object) -> list[str]:
    """The texts at fault of the findings with ``code`` (a prefix: ``address`` matches
    ``address_tu``)."""
    return [
        text[f.start : f.end]
        for f in check_draft(text, ctx, **kwargs)  # type: ignore[arg-type]
        if f.code.startswith(code)
    ]
