"""Counts behind the topic suggestions of the journey editor and the empty overlay's reasons:
enriched verbatims and the topics they mention, per feedback channel or named touchpoint, and
the touchpoints of a workspace's journeys by name."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from cxgap.db.tables import (
    Feedback,
    JourneyRow,
    JourneyStageRow,
    JourneyTouchpointRow,
    TextEnrichment,
    TextFinding,
)


@dataclass(frozen=True)
class GroupCounts:
    """Enriched verbatims per group value, and (group value, topic) mentions."""

    items: dict[str | None, int]
    mentions: dict[tuple[str | None, str], int]


def _enriched(columns: list[Any], workspace_id: int) -> Any:
    return (
        select(*columns)
        .select_from(Feedback)
        .join(
            TextEnrichment,
            and_(
                TextEnrichment.workspace_id == Feedback.workspace_id,
                TextEnrichment.text_hash == Feedback.text_hash,
            ),
        )
        .where(Feedback.workspace_id == workspace_id)
    )


def topic_counts(session: Session, workspace_id: int, group: str | None) -> GroupCounts:
    """Enriched verbatims and their topic mentions (a verbatim counts once per topic),
    grouped by the feedback's ``channel`` or ``touchpoint`` field, or not at all (``None``:
    everything under the group value ``None``)."""
    column = None if group is None else getattr(Feedback, group)
    keys = [] if column is None else [column]
    items_query = _enriched([*keys, func.count()], workspace_id)
    if column is not None:
        items_query = items_query.where(column.is_not(None)).group_by(column)
    items = {
        (row[0] if keys else None): int(row[-1]) for row in session.execute(items_query) if row[-1]
    }
    mentions_query = (
        _enriched(
            [*keys, TextFinding.topic_key, func.count(func.distinct(Feedback.id))], workspace_id
        )
        .join(TextFinding, TextFinding.enrichment_id == TextEnrichment.id)
        .where(TextFinding.workspace_id == workspace_id, TextFinding.topic_key.is_not(None))
        .group_by(*keys, TextFinding.topic_key)
    )
    if column is not None:
        mentions_query = mentions_query.where(column.is_not(None))
    mentions = {
        ((row[0] if keys else None), str(row[-2])): int(row[-1])
        for row in session.execute(mentions_query)
    }
    return GroupCounts(items, mentions)


def feedback_channels(session: Session, workspace_id: int) -> dict[str, int]:
    """Feedback items per channel as written in the data (``""`` for none)."""
    query = (
        select(Feedback.channel, func.count())
        .where(Feedback.workspace_id == workspace_id)
        .group_by(Feedback.channel)
    )
    return {channel or "": int(n) for channel, n in session.execute(query)}


@dataclass(frozen=True)
class TouchpointPlace:
    """A touchpoint of one of the workspace's journeys, with where it sits."""

    key: str
    name_en: str
    name_fr: str
    stage_en: str
    stage_fr: str
    journey_key: str
    journey_en: str
    journey_fr: str
    version: str


def touchpoint_places(session: Session, workspace_id: int) -> list[TouchpointPlace]:
    """Every touchpoint of the workspace's journeys, by journey key, stage and position."""
    tp, stage, journey = JourneyTouchpointRow, JourneyStageRow, JourneyRow
    query = (
        select(tp.key, tp.name_en, tp.name_fr, stage.name_en, stage.name_fr, journey.key,
               journey.name_en, journey.name_fr, journey.version)
        .join(stage, stage.id == tp.stage_id)
        .join(journey, journey.id == stage.journey_id)
        .where(journey.workspace_id == workspace_id)
        .order_by(journey.key, stage.position, tp.position)
    )  # fmt: skip
    return [TouchpointPlace(*row) for row in session.execute(query)]
