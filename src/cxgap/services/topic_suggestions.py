"""Topic suggestions for the touchpoints of a journey, with their evidence in words.

The counts come from ``db.topic_queries``, the choice from ``journeys.topic_suggestions``
(pure, see there for the rule); this module joins them and says why, in the reader's
language: "23 verbatims on the App channel mention Delivery, 3× the average".
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Collection, Mapping
from typing import Any

from sqlalchemy.orm import Session

from cxgap.db.tables import Workspace
from cxgap.db.topic_queries import MentionCounts, analysis_stamp, mention_counts
from cxgap.i18n import plural_form, translate
from cxgap.journeys.model import Journey, channel_label
from cxgap.journeys.topic_suggestions import (
    Suggestion,
    TopicCounts,
    TouchpointScope,
    counts_by_channel,
    suggest_topics,
)
from cxgap.reporting.formatting import format_number
from cxgap.services.topic_links import topic_choices


def touchpoint_scopes(journey: Journey) -> list[TouchpointScope]:
    return [
        TouchpointScope(tp.key, tp.channel, stage.key, tuple(t.key for t in stage.touchpoints))
        for stage in journey.stages
        for tp in stage.touchpoints
    ]


def suggestions_for(
    session: Session,
    *,
    workspace: Workspace,
    journey: Journey,
    linked: Mapping[str, Collection[str]],
) -> dict[str, list[Suggestion]]:
    """Suggested topics per touchpoint key of ``journey`` (topics in ``linked`` left out)."""
    counts = _mention_counts(session, workspace)
    overall = _summed(counts, lambda channel, tp: "all")
    by_touchpoint = _summed(counts, lambda channel, tp: tp)
    by_channel = counts_by_channel(_summed(counts, lambda channel, tp: channel))
    active = {key for key, _ in topic_choices(session, workspace, "en")}
    found = suggest_topics(
        touchpoint_scopes(journey),
        by_touchpoint={k: v for k, v in by_touchpoint.items() if k is not None},
        by_channel=by_channel,
        overall=overall.get("all", TopicCounts()),
        linked=linked,
    )
    return {tp: [s for s in items if s.topic in active] for tp, items in found.items()}


_COUNTS: dict[tuple[object, ...], MentionCounts] = {}
CACHED = 8  # workspaces (or states of one) whose counts are kept


def _mention_counts(session: Session, workspace: Workspace) -> MentionCounts:
    """The counts, computed once per state of the workspace's analyses: an editor asks for
    suggestions at every touchpoint it opens, and the counts read every enriched verbatim."""
    stamp = analysis_stamp(session, workspace.id)
    counts = _COUNTS.get(stamp)
    if counts is None:
        counts = mention_counts(session, workspace.id)
        while len(_COUNTS) >= CACHED:
            _COUNTS.pop(next(iter(_COUNTS)))
        _COUNTS[stamp] = counts
    return counts


def _summed(
    counts: MentionCounts, group: Callable[[str | None, str | None], str | None]
) -> dict[str | None, TopicCounts]:
    """The counts summed by ``group(channel, touchpoint)``."""
    items: dict[str | None, int] = defaultdict(int)
    mentions: dict[str | None, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for (channel, tp), n in counts.items.items():
        items[group(channel, tp)] += n
    for (channel, tp, topic), n in counts.mentions.items():
        mentions[group(channel, tp)][topic] += n
    return {g: TopicCounts(n, dict(mentions[g])) for g, n in items.items()}


def suggestions_document(
    session: Session,
    *,
    workspace: Workspace,
    journey: Journey,
    linked: Mapping[str, Collection[str]],
    locale: str,
) -> dict[str, list[dict[str, Any]]]:
    """The suggestions as JSON for the editor, each with its evidence in ``locale``."""
    names = dict(topic_choices(session, workspace, locale))
    stages = {s.key: s.name.get(locale) for s in journey.stages}
    stage_of = {tp.key: s.key for s in journey.stages for tp in s.touchpoints}
    channel_of = {tp.key: tp.channel for tp in journey.touchpoints}
    found = suggestions_for(session, workspace=workspace, journey=journey, linked=linked)
    return {
        tp: [
            {
                "topic": s.topic,
                "name": names.get(s.topic, s.topic),
                "scope": s.scope,
                "count": s.count,
                "items": s.items,
                "lift": s.lift,
                "evidence": evidence(
                    s,
                    locale,
                    topic=names.get(s.topic, s.topic),
                    stage=stages[stage_of[tp]],
                    channel=channel_label(channel_of[tp], locale),
                ),
            }
            for s in items
        ]
        for tp, items in found.items()
    }


def evidence(suggestion: Suggestion, locale: str, *, topic: str, stage: str, channel: str) -> str:
    """Why the topic is suggested, in ``locale``.

    >>> s = Suggestion("tp", "delivery", "channel", 23, 40, 3.04)
    >>> evidence(s, "en", topic="Delivery", stage="Order", channel="App")
    '23 verbatims on the App channel mention Delivery, 3× the average'
    >>> evidence(s, "fr", topic="Livraison", stage="Commande", channel="Application")
    '23 verbatims du canal Application parlent de Livraison, 3 × la moyenne'
    """
    form = plural_form(suggestion.count, locale)
    return translate(
        f"journey_editor.suggest.{suggestion.scope}_{form}",
        locale,
        n=suggestion.count,
        topic=topic,
        stage=stage,
        channel=channel,
        lift=format_lift(suggestion.lift, locale),
    )


def format_lift(value: float, locale: str) -> str:
    """A lift as people say it: whole from 3 up, else one decimal.

    >>> format_lift(3.04, "en"), format_lift(1.76, "fr"), format_lift(12.4, "en")
    ('3', '1,8', '12')
    """
    return format_number(value, locale, decimals=0 if value >= 3 else 1)
