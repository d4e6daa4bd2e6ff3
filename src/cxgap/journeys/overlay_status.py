"""Why a journey's measured overlay is empty: the first missing step, in the order a team
takes them.

1. ``no_feedback``: no feedback imported into the workspace;
2. ``not_enriched``: feedback imported, none of it through the text enrichment yet;
3. ``no_links``: no touchpoint of the journey is linked to a topic (and no feedback names
   one of its touchpoints);
4. ``no_matches``: touchpoints are linked to topics, but no enriched verbatim mentions them.

Pure: ``services.topic_links`` gathers the facts, pages say them in the reader's language.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

TOP_CHANNELS = 5


class Missing(StrEnum):
    FEEDBACK = "no_feedback"
    ENRICHMENT = "not_enriched"
    LINKS = "no_links"
    MATCHES = "no_matches"


@dataclass(frozen=True)
class OverlayFacts:
    """What the overlay of one journey stands on."""

    feedback: int  # feedback items in the workspace
    enriched: int  # of which through the text enrichment
    linked: Mapping[str, int] = field(default_factory=dict)  # linked topic: mentions (0: none)
    channels: Mapping[str, int] = field(default_factory=dict)  # feedback channel: items


@dataclass(frozen=True)
class OverlayGap:
    """The first missing step, with what the message needs to be precise."""

    missing: Missing
    waiting: int = 0  # feedback items not enriched yet
    topics: tuple[str, ...] = ()  # linked topics no verbatim mentions
    channels: tuple[tuple[str, int], ...] = ()  # the feedback's channels, largest first


def overlay_gap(facts: OverlayFacts, *, measured_any: bool) -> OverlayGap | None:
    """The first missing step, or None when the overlay shows something.

    >>> overlay_gap(OverlayFacts(feedback=0, enriched=0), measured_any=False).missing.value
    'no_feedback'
    >>> overlay_gap(OverlayFacts(feedback=5, enriched=0), measured_any=False).waiting
    5
    """
    if measured_any:
        return None
    waiting = max(0, facts.feedback - facts.enriched)
    if not facts.feedback:
        return OverlayGap(Missing.FEEDBACK)
    if not facts.enriched:
        return OverlayGap(Missing.ENRICHMENT, waiting=waiting)
    if not facts.linked:
        return OverlayGap(Missing.LINKS, waiting=waiting)
    silent = tuple(topic for topic, n in facts.linked.items() if not n)
    channels = sorted(facts.channels.items(), key=lambda item: (-item[1], item[0]))
    return OverlayGap(
        Missing.MATCHES,
        waiting=waiting,
        topics=silent or tuple(facts.linked),
        channels=tuple(channels[:TOP_CHANNELS]),
    )
