"""The tone check of a draft reply: each rule returns findings with a code, the characters at
fault and the parameters of its message (``tone.check.<code>`` in French and English).

The rules are language patterns (``cxgap.tone.phrases``, ``cxgap.tone.address``,
``cxgap.tone.promises``); what they do not see is listed in docs/replies.md.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from cxgap.sla.calendar import BusinessCalendar
from cxgap.tone.address import wrong_address
from cxgap.tone.guidance import Guidance, build_guidance
from cxgap.tone.model import ReplyContext, ToneFinding
from cxgap.tone.phrases import (
    BLAME,
    CAPS_WORD,
    CLOSING,
    EMPATHY,
    EXCLAMATIONS,
    GREETING,
    JARGON,
    THANKS,
)
from cxgap.tone.promises import office_calendar, promises

WORD = re.compile(r"\w[\w'’-]*")
PLACEHOLDER = re.compile(r"\{[A-Za-z_][A-Za-z0-9_]*\}")
SENTENCE_END = re.compile(r"[.!?]+(?:\s+|$)|\n+")
# An angry customer reads the apology in the first sentences or not at all.
OPENING_SENTENCES = 2
CAPS_RUN_LETTERS = 8


@dataclass(frozen=True)
class Draft:
    """A draft and what it is checked against."""

    text: str
    context: ReplyContext
    guidance: Guidance
    calendar: BusinessCalendar
    sentiment: str | None = None  # the analyzer's reading of the draft itself
    agent_name: str | None = None
    known_values: frozenset[str] = frozenset()  # customer details (an order reference…)


Rule = Callable[[Draft], Iterator[ToneFinding]]


def check_draft(
    text: str,
    context: ReplyContext,
    *,
    sentiment: str | None = None,
    calendar: BusinessCalendar | None = None,
    agent_name: str | None = None,
    known_values: Sequence[str] = (),
) -> list[ToneFinding]:
    """Every finding on ``text`` in ``context``, in the order of the text.

    ``calendar`` counts business hours and days of promises (default: Monday to Friday,
    09:00–18:00, in the zone of ``context.due`` or UTC).
    """
    zone = _zone_of(context.due)
    draft = Draft(
        text=text,
        context=context,
        guidance=build_guidance(context),
        calendar=calendar or office_calendar(zone),
        sentiment=sentiment,
        agent_name=agent_name,
        known_values=frozenset(v for v in known_values if v),
    )
    found = [finding for rule in RULES for finding in rule(draft)]
    return sorted(found, key=lambda f: (f.start, f.end, f.code))


def _zone_of(due: datetime | None) -> ZoneInfo:
    if due is not None and isinstance(due.tzinfo, ZoneInfo):
        return due.tzinfo
    return ZoneInfo("UTC")


def cold(draft: Draft) -> Iterator[ToneFinding]:
    text, language = draft.text, draft.context.language
    mood = draft.context.mood
    opening = _opening(text, OPENING_SENTENCES + 1)
    first = len(_opening(text, 1).rstrip())  # the span of a finding about the whole tone
    if draft.guidance.greeting and not _warm_opening(text[:first], language):
        yield ToneFinding("too_cold", 0, first, {"missing": "greeting"})
    empathy = EMPATHY[language].search(text)
    if mood.upset and empathy is None:
        yield ToneFinding("too_cold", 0, first, {"missing": "empathy"})
    elif mood.angry and empathy is not None and empathy.start() >= len(opening):
        yield ToneFinding("too_cold", empathy.start(), empathy.end(), {"missing": "empathy_first"})
    if mood.sentiment == "positive" and not THANKS[language].search(text):
        yield ToneFinding("too_cold", 0, first, {"missing": "thanks"})


def _warm_opening(first_sentence: str, language: str) -> bool:
    """A greeting, or a first sentence that thanks or apologises ("Thanks so much, Priya!")."""
    return bool(
        GREETING[language].search(first_sentence.lstrip())
        or THANKS[language].search(first_sentence)
        or EMPATHY[language].search(first_sentence)
    )


def _opening(text: str, sentences: int) -> str:
    """The first ``sentences`` sentences of the text (a greeting line counts as one)."""
    position, count = 0, 0
    for match in SENTENCE_END.finditer(text):
        if text[position : match.start()].strip():
            count += 1
        position = match.end()
        if count >= sentences:
            return text[: match.end()]
    return text


def length(draft: Draft) -> Iterator[ToneFinding]:
    words = list(WORD.finditer(draft.text))
    high = draft.guidance.words[1]
    if len(words) > high:
        params = {"words": str(len(words)), "high": str(high)}
        yield ToneFinding("too_long", words[high].start(), len(draft.text), params)
        return
    limit = draft.guidance.characters
    if limit is not None and len(draft.text.strip()) > limit:
        params = {"characters": str(len(draft.text.strip())), "limit": str(limit)}
        yield ToneFinding("too_long_characters", limit, len(draft.text), params)


def blame(draft: Draft) -> Iterator[ToneFinding]:
    for match in BLAME[draft.context.language].finditer(draft.text):
        yield ToneFinding("blame", match.start(), match.end(), {"text": match.group(0)})


def jargon(draft: Draft) -> Iterator[ToneFinding]:
    for match in JARGON.finditer(draft.text):
        if not any(match.group(0) in value for value in draft.known_values):
            yield ToneFinding("jargon", match.start(), match.end(), {"text": match.group(0)})


def address(draft: Draft) -> Iterator[ToneFinding]:
    expected = draft.context.profile.address
    for start, end, found in wrong_address(draft.text, draft.context.language, expected):
        params = {"expected": expected, "found": found, "text": draft.text[start:end]}
        yield ToneFinding(f"address_{found}", start, end, params)


def promised_time(draft: Draft) -> Iterator[ToneFinding]:
    due = draft.context.due
    if due is None:
        return
    now = draft.context.now or datetime.now(UTC)
    zone = draft.calendar.zone
    for promise in promises(draft.text, now, draft.calendar):
        if promise.deadline > due:
            params = {
                "text": promise.text,
                "promised": f"{promise.deadline.astimezone(zone):%Y-%m-%d %H:%M}",
                "due": f"{due.astimezone(zone):%Y-%m-%d %H:%M}",
            }
            yield ToneFinding("promise_after_due", promise.start, promise.end, params)


def shouting(draft: Draft) -> Iterator[ToneFinding]:
    run: list[re.Match[str]] = []
    for match in [*CAPS_WORD.finditer(draft.text), None]:
        joined = match is not None and run and _only_gap(draft.text[run[-1].end() : match.start()])
        if match is not None and (not run or joined):
            run.append(match)
            continue
        yield from _caps_run(run, draft.text)
        run = [match] if match is not None else []


def _only_gap(between: str) -> bool:
    return len(between) <= 3 and not any(c.isalpha() for c in between)


def _caps_run(run: list[re.Match[str]], text: str) -> Iterator[ToneFinding]:
    letters = sum(sum(c.isalpha() for c in m.group(0)) for m in run)
    if (len(run) >= 2 and letters >= CAPS_RUN_LETTERS) or letters >= CAPS_RUN_LETTERS + 2:
        start, end = run[0].start(), run[-1].end()
        yield ToneFinding("all_caps", start, end, {"text": text[start:end]})


def exclamations(draft: Draft) -> Iterator[ToneFinding]:
    for match in EXCLAMATIONS.finditer(draft.text):
        yield ToneFinding("exclamations", match.start(), match.end(), {"text": match.group(0)})


def signature(draft: Draft) -> Iterator[ToneFinding]:
    if not draft.guidance.signature or not draft.text.strip():
        return
    lines = [line for line in draft.text.rstrip().splitlines() if line.strip()]
    ending = "\n".join(lines[-3:])
    if CLOSING[draft.context.language].search(ending):
        return
    if draft.agent_name and draft.agent_name.lower() in ending.lower():
        return
    end = len(draft.text.rstrip())
    yield ToneFinding("no_signature", end - len(lines[-1].strip()), end, {})


def placeholders(draft: Draft) -> Iterator[ToneFinding]:
    for match in PLACEHOLDER.finditer(draft.text):
        yield ToneFinding("placeholder", match.start(), match.end(), {"text": match.group(0)})


def reads_negative(draft: Draft) -> Iterator[ToneFinding]:
    """The analyzer reads customer feedback: an apology names the problem ("désolé pour ce
    retard") and reads negative to it (measured: -0.91), so a draft that apologises, shows
    empathy or thanks is not held to its sentiment."""
    if draft.sentiment != "negative":
        return
    language = draft.context.language
    if EMPATHY[language].search(draft.text) or THANKS[language].search(draft.text):
        return
    yield ToneFinding("reads_negative", 0, len(draft.text), {})


RULES: tuple[Rule, ...] = (
    cold,
    length,
    blame,
    jargon,
    address,
    promised_time,
    shouting,
    exclamations,
    signature,
    placeholders,
    reads_negative,
)
