"""Linking journey touchpoints to taxonomy topics, from either side.

The one source of truth is the topic's ``touchpoint_keys`` (``db.tables.Topic``); the journey
editor edits it touchpoint by touchpoint (``link_touchpoints``, with the journey's save), the
taxonomy page topic by topic (``services.taxonomy.update_topic``). The overlay index notices
any change (its fingerprint covers the mapping) and is rebuilt at the next view. A link never
changes what the text models detect, so it queues no re-enrichment.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from cxgap.db.tables import JourneyRow, JourneyStageRow, JourneyTouchpointRow, Topic, Workspace
from cxgap.db.topic_queries import TouchpointPlace, touchpoint_places
from cxgap.errors import FieldProblem, ValidationError
from cxgap.journeys.model import Journey
from cxgap.journeys.topic_links import relink, topics_by_touchpoint
from cxgap.services.taxonomy import list_topics

PATH_SEPARATOR = " › "


@dataclass(frozen=True)
class TouchpointChoice:
    """One touchpoint key as the taxonomy page offers it: where it sits, by name."""

    key: str
    journey: str  # the name of the first journey that has it
    label: str  # stage › touchpoint
    also: tuple[str, ...] = ()  # the other journeys with a touchpoint of that key
    known: bool = True  # False: a linked key no journey has (kept, shown by key)


def active_topics(session: Session, workspace: Workspace) -> list[Topic]:
    return list_topics(session, workspace, include_retired=False)


def topic_choices(session: Session, workspace: Workspace, locale: str) -> list[tuple[str, str]]:
    """(key, name in ``locale``) of the active topics, in taxonomy order."""
    fr = locale == "fr"
    return [(t.key, t.name_fr if fr else t.name_en) for t in active_topics(session, workspace)]


def journey_topics(
    session: Session, *, workspace: Workspace, journey: Journey
) -> dict[str, list[str]]:
    """The active topics linked to each touchpoint of ``journey``."""
    topics = {t.key: list(t.touchpoint_keys) for t in active_topics(session, workspace)}
    return topics_by_touchpoint(topics, [tp.key for tp in journey.touchpoints])


def link_touchpoints(
    session: Session,
    *,
    workspace: Workspace,
    wanted: Mapping[str, Sequence[str]],
    dropped: Iterable[str] = (),
) -> list[str]:
    """Link each touchpoint key of ``wanted`` to exactly its topics (active ones: retired
    topics keep their links) and the ``dropped`` keys to none; the keys of the topics that
    changed. An unknown topic is refused, naming the touchpoint, before anything changes."""
    topics = active_topics(session, workspace)
    known = {t.key for t in topics}
    problems = [
        FieldProblem(f"touchpoints.{tp}.topics", "is not an active topic", key, code="choice")
        for tp, keys in wanted.items()
        for key in keys
        if key not in known
    ]
    if problems:
        raise ValidationError(problems, summary="The links were not saved")
    changes = relink({t.key: list(t.touchpoint_keys) for t in topics}, wanted, dropped)
    for topic in topics:
        if topic.key in changes:
            topic.touchpoint_keys = changes[topic.key]
    session.flush()
    return sorted(changes)


def keys_in_other_journeys(session: Session, workspace: Workspace, journey_key: str) -> set[str]:
    """Touchpoint keys used by the workspace's journeys other than ``journey_key``."""
    query = (
        select(JourneyTouchpointRow.key)
        .join(JourneyStageRow, JourneyStageRow.id == JourneyTouchpointRow.stage_id)
        .join(JourneyRow, JourneyRow.id == JourneyStageRow.journey_id)
        .where(JourneyRow.workspace_id == workspace.id, JourneyRow.key != journey_key)
    )
    return set(session.scalars(query))


def touchpoint_choices(
    session: Session, workspace: Workspace, locale: str
) -> list[TouchpointChoice]:
    """Each touchpoint key of the workspace's journeys once, current journeys first, then
    the keys the topics link to that no journey has (so that saving keeps them)."""
    places = touchpoint_places(session, workspace.id)
    places.sort(key=lambda p: (p.version != "current", p.journey_key))  # stable: order kept
    by_key: dict[str, list[TouchpointPlace]] = {}
    for place in places:
        by_key.setdefault(place.key, []).append(place)
    fr = locale == "fr"
    choices = [
        TouchpointChoice(
            key=key,
            journey=first.journey_fr if fr else first.journey_en,
            label=PATH_SEPARATOR.join(
                (first.stage_fr, first.name_fr) if fr else (first.stage_en, first.name_en)
            ),
            also=tuple(dict.fromkeys(p.journey_fr if fr else p.journey_en for p in rest)),
        )
        for key, (first, *rest) in by_key.items()
    ]
    linked = {k for t in list_topics(session, workspace) for k in t.touchpoint_keys}
    strays = sorted(linked - set(by_key))
    return choices + [TouchpointChoice(k, "", k, known=False) for k in strays]


def touchpoint_labels(choices: Sequence[TouchpointChoice]) -> dict[str, str]:
    """``journey › stage › touchpoint`` per key, for showing a topic's links."""
    return {c.key: PATH_SEPARATOR.join((c.journey, c.label)) if c.known else c.key for c in choices}
