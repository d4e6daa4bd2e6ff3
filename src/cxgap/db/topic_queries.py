"""Counts behind the topic suggestions of the journey editor and the empty overlay's reasons:
enriched verbatims and the topics they mention, per feedback channel or named touchpoint, and
the touchpoints of a workspace's journeys by name."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from cxgap.db.feedback_filters import enrichment_of_feedback
from cxgap.db.revisions import revision_column
from cxgap.db.tables import (
    Feedback,
    Job,
    JourneyRow,
    JourneyStageRow,
    JourneyTouchpointRow,
    TextEnrichment,
    TextFinding,
    Workspace,
)


def _enriched(columns: list[Any], workspace_id: int) -> Any:
    return (
        select(*columns)
        .select_from(Feedback)
        .join(TextEnrichment, enrichment_of_feedback())
        .where(Feedback.workspace_id == workspace_id)
    )


@dataclass(frozen=True)
class MentionCounts:
    """Enriched verbatims per (channel, named touchpoint), and per (channel, named
    touchpoint, topic) the verbatims mentioning the topic: any grouping of the two fields
    (or none) is a sum of these rows, since a verbatim has one channel and one touchpoint."""

    items: dict[tuple[str | None, str | None], int]
    mentions: dict[tuple[str | None, str | None, str], int]


def mention_counts(session: Session, workspace_id: int) -> MentionCounts:
    """Two passes over the workspace's enriched feedback; a verbatim counts once per topic
    however many of its clauses are on it (``DISTINCT`` on the findings first)."""
    fields = (Feedback.channel, Feedback.touchpoint)
    items_query = _enriched([*fields, func.count()], workspace_id).group_by(*fields)
    items = {(channel, tp): int(n) for channel, tp, n in session.execute(items_query)}
    topics = (
        select(TextFinding.enrichment_id, TextFinding.topic_key)
        .where(TextFinding.workspace_id == workspace_id, TextFinding.topic_key.is_not(None))
        .distinct()
        .subquery("topics")
    )
    mentions_query = (
        _enriched([*fields, topics.c.topic_key, func.count()], workspace_id)
        .join(topics, topics.c.enrichment_id == TextEnrichment.id)
        .group_by(*fields, topics.c.topic_key)
    )
    mentions = {
        (channel, tp, str(topic)): int(n)
        for channel, tp, topic, n in session.execute(mentions_query)
    }
    return MentionCounts(items, mentions)


def analysis_stamp(session: Session, workspace_id: int) -> tuple[object, ...]:
    """What ``mention_counts`` depends on, from primary keys and tiny tables: the database,
    the workspace (and when it was made), its data revision (every import bumps it), the
    highest text enrichment and finding ids (a re-enrichment writes new rows) and the progress
    of its latest enrichment job."""
    workspace = session.execute(
        select(Workspace.created_at, revision_column()).where(Workspace.id == workspace_id)
    ).one()
    job = session.execute(
        select(Job.id, Job.done)
        .where(Job.workspace_id == workspace_id, Job.kind == "enrich")
        .order_by(Job.id.desc())
        .limit(1)
    ).first()
    return (
        str(session.get_bind().engine.url),
        workspace_id,
        *workspace,
        session.scalar(select(func.max(TextEnrichment.id))),
        session.scalar(select(func.max(TextFinding.id))),
        None if job is None else tuple(job),
    )


def topics_mentioned(session: Session, workspace_id: int, keys: list[str]) -> set[str]:
    """Which of the topic ``keys`` some finding of the workspace has (one index probe each:
    ``ix_text_findings_ws_topic``)."""
    found = set()
    for key in keys:
        probe = select(TextFinding.id).where(
            TextFinding.workspace_id == workspace_id, TextFinding.topic_key == key
        )
        if session.scalar(probe.limit(1)) is not None:
            found.add(key)
    return found


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
