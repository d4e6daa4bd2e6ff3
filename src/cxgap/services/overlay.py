"""The measured overlay of a journey, computed in the database.

Three aggregate queries, whatever the number of touchpoints or feedback items:

1. *membership*: (feedback id, touchpoint key) pairs — feedback whose ``touchpoint`` names a
   touchpoint of the journey, united with feedback whose text has a finding on a topic mapped
   to one (``topics.touchpoint_keys``), restricted to the persona's segment
   (``services.segments.segment_filter``);
2. *tallies*: per touchpoint, counts and sums over those items joined with their text
   enrichment (``journeys.overlay.TouchpointTally``);
3. *irritants*: per touchpoint, feedback counts of each negative topic, then two verbatims
   (the most negative) for each of the top three.

``journeys.overlay`` turns the numbers into ``Measured`` values.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import (
    Float,
    Select,
    String,
    and_,
    case,
    func,
    literal,
    select,
    tuple_,
    union,
    union_all,
)
from sqlalchemy.orm import Session

from cxgap.db.tables import Feedback, TextEnrichment, TextFinding, Topic, Workspace
from cxgap.journeys.model import Irritant, Journey, Measured, Text
from cxgap.journeys.overlay import (
    STRONG,
    TOP_IRRITANTS,
    VERBATIMS_PER_IRRITANT,
    TouchpointTally,
    lay_over,
    measure,
    top_irritants,
    topic_touchpoints,
)
from cxgap.services import journeys
from cxgap.services.segments import segment_filter


def journey_with_overlay(
    session: Session,
    *,
    workspace: Workspace,
    key: str,
    persona: str | None = None,
) -> tuple[Journey, int]:
    """Journey ``key`` with its measured overlay, and its revision. ``persona`` restricts the
    feedback to that persona's segment (a persona without a segment means everyone)."""
    journey, revision = journeys.get_journey(session, workspace=workspace, key=key)
    segment = None
    if persona is not None:
        segment = journeys.get_persona(session, workspace=workspace, key=persona).segment
    measured = measure_journey(session, workspace=workspace, journey=journey, segment=segment)
    return lay_over(journey, measured), revision


def measure_journey(
    session: Session, *, workspace: Workspace, journey: Journey, segment: str | None = None
) -> dict[str, Measured]:
    """``Measured`` per touchpoint key of ``journey`` (touchpoints without feedback omitted)."""
    condition = segment_filter(session, workspace=workspace, segment=segment)
    topics = _topics(session, workspace)
    pairs = topic_touchpoints(journey, {k: tps for k, (_, tps) in topics.items()})
    keys = [tp.key for tp in journey.touchpoints]
    if not keys:
        return {}
    members = _membership(workspace.id, keys, pairs, condition).subquery("members")
    tallies = _tallies(session, workspace.id, members)
    irritants = _irritants(session, workspace.id, members, topics)
    return {key: measure(tally, irritants.get(key, [])) for key, tally in tallies.items()}


def _topics(session: Session, workspace: Workspace) -> dict[str, tuple[Text, list[str]]]:
    rows = session.execute(
        select(Topic.key, Topic.name_en, Topic.name_fr, Topic.touchpoint_keys).where(
            Topic.workspace_id == workspace.id
        )
    )
    return {
        row.key: (Text(row.name_en, row.name_fr), list(row.touchpoint_keys or [])) for row in rows
    }


def _membership(
    workspace_id: int, keys: list[str], pairs: list[tuple[str, str]], condition: Any
) -> Any:
    """(fid, tp): each feedback item once per touchpoint it concerns."""
    direct = select(Feedback.id.label("fid"), Feedback.touchpoint.label("tp")).where(
        Feedback.workspace_id == workspace_id, Feedback.touchpoint.in_(keys), condition
    )
    if not pairs:
        return direct
    # A small literal table (SQLite has no column names for a VALUES alias).
    rows = [
        select(literal(t, String).label("topic"), literal(p, String).label("tp")) for t, p in pairs
    ]
    mapping = (rows[0] if len(rows) == 1 else union_all(*rows)).subquery("topic_map")
    via_topics = (
        select(Feedback.id.label("fid"), mapping.c.tp.label("tp"))
        .select_from(TextFinding)
        .join(mapping, mapping.c.topic == TextFinding.topic_key)
        .join(TextEnrichment, TextEnrichment.id == TextFinding.enrichment_id)
        .join(
            Feedback,
            and_(
                Feedback.workspace_id == workspace_id,
                Feedback.text_hash == TextEnrichment.text_hash,
            ),
        )
        .where(
            TextFinding.workspace_id == workspace_id,
            TextFinding.topic_key.in_(sorted({topic for topic, _ in pairs})),
            condition,
        )
    )
    return union(direct, via_topics)


def _joined(workspace_id: int, members: Any, *columns: Any) -> Select[Any]:
    return (
        select(*columns)
        .select_from(members)
        .join(Feedback, Feedback.id == members.c.fid)
        .outerjoin(
            TextEnrichment,
            and_(
                TextEnrichment.workspace_id == workspace_id,
                TextEnrichment.text_hash == Feedback.text_hash,
            ),
        )
    )


def _count_if(condition: Any) -> Any:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def _tallies(session: Session, workspace_id: int, members: Any) -> dict[str, TouchpointTally]:
    score = TextEnrichment.sentiment_score
    intensity = func.coalesce(TextEnrichment.intensity, func.abs(score))
    query = _joined(
        workspace_id,
        members,
        members.c.tp,
        func.count().label("feedback_count"),
        func.count(score).label("enriched_count"),
        func.coalesce(func.sum(score), 0.0).label("sentiment_sum"),
        func.coalesce(func.sum(case((score.is_not(None), intensity))), 0.0).label("intensity_sum"),
        _count_if(score <= -STRONG).label("strong_negative"),
        _count_if(score >= STRONG).label("strong_positive"),
        _count_if(Feedback.nps >= 9).label("promoters"),
        _count_if(Feedback.nps <= 6).label("detractors"),
        func.count(Feedback.nps).label("nps_count"),
        func.coalesce(func.sum(func.cast(Feedback.csat, Float)), 0.0).label("csat_sum"),
        func.count(Feedback.csat).label("csat_count"),
    ).group_by(members.c.tp)
    tallies = {}
    for row in session.execute(query):
        tallies[row.tp] = TouchpointTally(
            feedback_count=int(row.feedback_count),
            enriched_count=int(row.enriched_count),
            sentiment_sum=float(row.sentiment_sum),
            intensity_sum=float(row.intensity_sum),
            strong_negative=int(row.strong_negative),
            strong_positive=int(row.strong_positive),
            promoters=int(row.promoters),
            detractors=int(row.detractors),
            nps_count=int(row.nps_count),
            csat_sum=float(row.csat_sum),
            csat_count=int(row.csat_count),
        )
    return tallies


def _irritants(
    session: Session,
    workspace_id: int,
    members: Any,
    topics: dict[str, tuple[Text, list[str]]],
) -> dict[str, list[Irritant]]:
    negative = and_(
        TextFinding.enrichment_id == TextEnrichment.id,
        TextFinding.sentiment == "negative",
        TextFinding.topic_key.is_not(None),
    )
    counts = (
        _joined(
            workspace_id,
            members,
            members.c.tp,
            TextFinding.topic_key,
            func.count(func.distinct(members.c.fid)).label("n"),
        )
        .join(TextFinding, negative)
        .group_by(members.c.tp, TextFinding.topic_key)
    )
    by_tp: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for row in session.execute(counts):
        by_tp[row.tp].append((row.topic_key, int(row.n)))
    chosen = {tp: top_irritants(found, TOP_IRRITANTS) for tp, found in by_tp.items()}
    quotes = _verbatims(session, workspace_id, members, negative, chosen)
    return {
        tp: [
            Irritant(
                topic=topic,
                name=topics[topic][0] if topic in topics else Text(topic, topic),
                count=n,
                verbatims=tuple(quotes.get((tp, topic), [])),
            )
            for topic, n in found
        ]
        for tp, found in chosen.items()
    }


def _verbatims(
    session: Session,
    workspace_id: int,
    members: Any,
    negative: Any,
    chosen: dict[str, list[tuple[str, int]]],
) -> dict[tuple[str, str], list[str]]:
    """The most negative distinct texts for each chosen (touchpoint, topic)."""
    wanted = [(tp, topic) for tp, found in chosen.items() for topic, _ in found]
    if not wanted:
        return {}
    ranked = (
        _joined(
            workspace_id,
            members,
            members.c.tp,
            TextFinding.topic_key.label("topic"),
            Feedback.text,
            func.row_number()
            .over(
                partition_by=(members.c.tp, TextFinding.topic_key),
                order_by=(TextFinding.sentiment_score, TextEnrichment.id),
            )
            .label("rank"),
        )
        .join(TextFinding, negative)
        .where(
            tuple_(members.c.tp, TextFinding.topic_key).in_(wanted),
            Feedback.text != literal(""),
        )
        .subquery("ranked")
    )
    rows = session.execute(
        select(ranked.c.tp, ranked.c.topic, ranked.c.text)
        # a few more than needed: identical texts (one per feedback item) are skipped below
        .where(ranked.c.rank <= 3 * VERBATIMS_PER_IRRITANT)
        .order_by(ranked.c.tp, ranked.c.topic, ranked.c.rank)
    )
    quotes: dict[tuple[str, str], list[str]] = defaultdict(list)
    for row in rows:
        found = quotes[(row.tp, row.topic)]
        if row.text not in found and len(found) < VERBATIMS_PER_IRRITANT:
            found.append(row.text)
    return quotes
