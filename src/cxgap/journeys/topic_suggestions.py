"""Which topics to link to a touchpoint, read from what the verbatims say.

For each touchpoint, three groups of enriched verbatims are looked at, the most specific
first: those naming the touchpoint itself (the feedback's ``touchpoint`` field), those naming
another touchpoint of the same stage, and those collected on the touchpoint's channel. A topic
is suggested when at least ``MIN_COUNT`` verbatims of a group mention it and its share there
is at least ``MIN_LIFT`` times its share among all the workspace's enriched verbatims (the
*lift*): "23 verbatims on the app channel mention Delivery, 3× the average". Topics already
linked are not suggested. Pure: counts in, suggestions out (``services.topic_links`` counts).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from cxgap.journeys.model import CHANNELS

MIN_COUNT = 3  # verbatims of the group that mention the topic
MIN_LIFT = 1.5  # share in the group / share in the workspace
LIMIT = 3  # suggestions per touchpoint
SCOPES = ("touchpoint", "stage", "channel")

# Words customers' tools write for a channel, beyond its key and its English / French names.
_SYNONYMS = {
    "mobile app": "app", "application mobile": "app", "ios": "app", "android": "app",
    "web": "website", "site": "website", "online": "website", "en ligne": "website",
    "courriel": "email", "e mail": "email", "mel": "email",
    "telephone": "phone", "call": "phone", "call centre": "phone", "call center": "phone",
    "store": "shop", "magasin": "shop", "boutique": "shop", "showroom": "shop",
    "live chat": "chat", "whatsapp": "chat", "messenger": "chat", "text": "sms",
    "post": "mail", "courrier": "mail", "letter": "mail", "reviews": "review",
    "avis": "review", "trustpilot": "review", "google reviews": "review",
    "facebook": "social", "instagram": "social", "twitter": "social",
}  # fmt: skip


@dataclass(frozen=True)
class TopicCounts:
    """Enriched verbatims of a group, and how many of them mention each topic."""

    items: int = 0
    mentions: Mapping[str, int] = field(default_factory=dict)

    def plus(self, other: TopicCounts) -> TopicCounts:
        mentions = dict(self.mentions)
        for topic, n in other.mentions.items():
            mentions[topic] = mentions.get(topic, 0) + n
        return TopicCounts(self.items + other.items, mentions)


@dataclass(frozen=True)
class TouchpointScope:
    """A touchpoint as the suggestions see it: its key, channel and its stage's keys."""

    key: str
    channel: str
    stage: str  # the stage's key
    stage_keys: tuple[str, ...]  # keys of the stage's touchpoints, this one included


@dataclass(frozen=True)
class Suggestion:
    """Topic ``topic`` for touchpoint ``touchpoint``: ``count`` of the ``items`` enriched
    verbatims of the ``scope`` group mention it, ``lift`` times the workspace's share."""

    touchpoint: str
    topic: str
    scope: str  # touchpoint | stage | channel
    count: int
    items: int
    lift: float


def channel_key(raw: str | None) -> str | None:
    """The journey channel a feedback channel stands for, or None when none is recognised.

    >>> channel_key("Application mobile"), channel_key(" E-mail "), channel_key("Zendesk")
    ('app', 'email', None)
    """
    if raw is None:
        return None
    text = unicodedata.normalize("NFKD", raw).encode("ascii", "ignore").decode().casefold()
    text = " ".join(re.split(r"[\s_\-/.]+", text)).strip()
    if text in CHANNELS:
        return text
    for key, names in CHANNELS.items():
        if text in {_plain(name) for name in names}:
            return key
    return _SYNONYMS.get(text)


def _plain(name: str) -> str:
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().casefold()
    return " ".join(re.split(r"[\s_\-/.]+", text)).strip()


def counts_by_channel(by_raw_channel: Mapping[str | None, TopicCounts]) -> dict[str, TopicCounts]:
    """Counts per feedback channel (as written in the data) summed per journey channel.

    >>> got = counts_by_channel({"App": TopicCounts(2, {"x": 1}), "ios": TopicCounts(3, {})})
    >>> got["app"].items, got["app"].mentions
    (5, {'x': 1})
    """
    summed: dict[str, TopicCounts] = {}
    for raw, counts in by_raw_channel.items():
        key = channel_key(raw)
        if key is not None:
            summed[key] = summed.get(key, TopicCounts()).plus(counts)
    return summed


def lift(count: int, items: int, overall: TopicCounts, topic: str) -> float:
    """How many times more often the group mentions ``topic`` than the whole workspace.

    >>> lift(6, 20, TopicCounts(100, {"delay": 10}), "delay")  # 30 % against 10 %
    3.0
    """
    base = overall.mentions.get(topic, 0)
    if not items or not base or not overall.items:
        return 0.0
    return round((count / items) / (base / overall.items), 6)


def suggest_topics(
    touchpoints: Sequence[TouchpointScope],
    *,
    by_touchpoint: Mapping[str, TopicCounts],
    by_channel: Mapping[str, TopicCounts],
    overall: TopicCounts,
    linked: Mapping[str, Collection[str]],
    limit: int = LIMIT,
) -> dict[str, list[Suggestion]]:
    """Up to ``limit`` suggestions per touchpoint key, the most mentioned first (then the
    highest lift, then the topic key); every touchpoint gets a (maybe empty) list."""
    found: dict[str, list[Suggestion]] = {}
    for tp in touchpoints:
        groups = _groups(tp, by_touchpoint, by_channel)
        chosen: dict[str, Suggestion] = {}
        for scope, counts in groups:
            for topic, n in counts.mentions.items():
                if topic in chosen or topic in linked.get(tp.key, ()):
                    continue
                ratio = lift(n, counts.items, overall, topic)
                if n >= MIN_COUNT and ratio >= MIN_LIFT:
                    chosen[topic] = Suggestion(tp.key, topic, scope, n, counts.items, ratio)
        ranked = sorted(chosen.values(), key=lambda s: (-s.count, -s.lift, s.topic))
        found[tp.key] = ranked[:limit]
    return found


def _groups(
    tp: TouchpointScope,
    by_touchpoint: Mapping[str, TopicCounts],
    by_channel: Mapping[str, TopicCounts],
) -> Iterable[tuple[str, TopicCounts]]:
    own = by_touchpoint.get(tp.key, TopicCounts())
    yield "touchpoint", own
    others = [by_touchpoint[k] for k in tp.stage_keys if k != tp.key and k in by_touchpoint]
    if others:  # the stage adds something to the touchpoint alone
        stage = own
        for counts in others:
            stage = stage.plus(counts)
        yield "stage", stage
    yield "channel", by_channel.get(tp.channel, TopicCounts())
