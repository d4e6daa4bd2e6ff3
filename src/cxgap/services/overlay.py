"""The measured overlay of a journey, computed in the database.

A feedback item concerns a touchpoint when its ``touchpoint`` names the touchpoint's key or
when one of its text's findings has a topic mapped to it (``topics.touchpoint_keys``).
Finding that out joins feedback, text enrichments and findings on the text hash: about
10 µs an item on SQLite, far too slow to repeat for every page view over a million items.
So the membership is **materialised** once per change of the data (``refresh_overlay_index``):

- ``touchpoint_feedback``: (touchpoint key, feedback id) with the measures the overlay sums
  (sentiment score, intensity, NPS, CSAT) and the item's segment bits (bit i: it belongs to
  the workspace's i-th segment, by its rule);
- ``touchpoint_irritants``: (touchpoint key, negative topic, feedback id, score), for the
  verbatims;
- ``touchpoint_tallies`` and ``touchpoint_irritant_counts``: their sums and counts per
  touchpoint key and combination of segment bits — a handful of rows per touchpoint;
- ``overlay_index_state``: the fingerprint of what they were built from (the workspace's data
  revision, which every feedback import bumps, its latest enrichment job and its progress,
  the topic-to-touchpoint mapping and the segment rules), and the enrichment and finding ids
  looked at so far: a row of the workspace above them is a new analysis. A view that finds
  either changed rebuilds first, so the overlay is never stale; another workspace's analyses
  do not count. ``invalidate_overlay_index`` forces it (for rows rewritten in place outside a
  job). An enrichment job rebuilds it as it finishes (``jobs.runner``), so after a job the
  first view does not wait.

The rebuild is a few statements that each write in the order of their table's index: one
pass over the workspace's feedback (enrichment looked up once, segment bits computed once per
item), the membership deduplicated and sorted by ``UNION``, then the irritants and the sums.

Reading an overlay then sums a few rows per touchpoint (``segment_mask & bit`` for a
persona), plus two short index reads per irritant for its verbatims, whatever the number of
feedback items. ``journeys.overlay`` turns the numbers into ``Measured`` values.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    ColumnElement,
    String,
    and_,
    bindparam,
    case,
    delete,
    func,
    insert,
    literal,
    select,
    union,
    union_all,
)
from sqlalchemy.orm import Session

from cxgap.db.tables import (
    Feedback,
    Job,
    OverlayIndexState,
    Segment,
    TextEnrichment,
    TextFinding,
    Topic,
    TouchpointFeedback,
    TouchpointIrritant,
    TouchpointIrritantCount,
    Workspace,
    utcnow,
)
from cxgap.db.tables import TouchpointTally as TouchpointTallyRow
from cxgap.errors import NotFoundError
from cxgap.journeys.model import Irritant, Journey, Measured, Text
from cxgap.journeys.overlay import (
    STRONG,
    TOP_IRRITANTS,
    VERBATIMS_PER_IRRITANT,
    TouchpointTally,
    lay_over,
    measure,
    top_irritants,
)
from cxgap.services import journeys
from cxgap.services.segments import compile_rule, segment_filter, segment_rule

TF, TI = TouchpointFeedback, TouchpointIrritant
TT, TIC = TouchpointTallyRow, TouchpointIrritantCount
MASK_BITS = 62  # segments whose membership is materialised as bits of a BIGINT


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
    """``Measured`` per touchpoint key of ``journey`` (touchpoints without feedback omitted).
    Rebuilds the materialised index first when the data changed (needs a writable session)."""
    keys = [tp.key for tp in journey.touchpoints]
    if not keys:
        return {}
    refresh_overlay_index(session, workspace=workspace)
    names = {key: name for key, (name, _) in _topics(session, workspace).items()}
    restriction = _restriction(session, workspace, segment)
    tallies = _tallies(session, workspace.id, keys, restriction)
    irritants = _irritants(session, workspace.id, keys, restriction, names)
    return {key: measure(tally, irritants.get(key, [])) for key, tally in tallies.items()}


# --- the materialised index --------------------------------------------------------------------


def refresh_overlay_index(session: Session, *, workspace: Workspace, force: bool = False) -> bool:
    """Rebuild the workspace's overlay rows if its data changed since; True when rebuilt."""
    ws = workspace.id
    topics = _topics(session, workspace)
    seen = _last_ids(session)  # read first: whatever is stored later has higher ids
    fingerprint = _fingerprint(session, workspace, topics)
    state = session.get(OverlayIndexState, ws)
    unchanged = state is not None and state.fingerprint == fingerprint
    if state is not None and unchanged and not force and not _analysed_since(session, ws, state):
        state.enrichments_seen, state.findings_seen = seen  # others' analyses: look past them
        return False
    _rebuild(session, workspace, topics)
    if state is None:
        state = OverlayIndexState(workspace_id=ws)
        session.add(state)
    state.fingerprint, state.built_at = fingerprint, utcnow()
    state.enrichments_seen, state.findings_seen = seen
    session.flush()
    return True


def _rebuild(
    session: Session, workspace: Workspace, topics: dict[str, tuple[Text, list[str]]]
) -> None:
    """Replace the workspace's rows: membership with the measures, irritants, then sums.
    Each statement writes in the order of the table's index, so that the B-trees grow at
    their end instead of being updated at random places."""
    ws = workspace.id
    for table in (TI, TF, TT, TIC):
        _clear(session, table, ws)
    pairs = sorted((topic, tp) for topic, (_, tps) in topics.items() for tp in set(tps))
    session.execute(
        insert(TF).from_select(
            ["touchpoint_key", "feedback_id", "workspace_id", "enrichment_id", "sentiment_score",
             "intensity", "nps", "csat", "segment_mask"],
            _membership(_items(session, workspace).cte("items"), ws, pairs),
        )
    )  # fmt: skip
    worst = func.min(TextFinding.sentiment_score)
    session.execute(
        insert(TI).from_select(
            ["workspace_id", "touchpoint_key", "topic_key", "feedback_id", "sentiment_score",
             "segment_mask"],
            select(literal(ws), TF.touchpoint_key, TextFinding.topic_key, TF.feedback_id, worst,
                   TF.segment_mask)
            .join(TextFinding, TextFinding.enrichment_id == TF.enrichment_id)
            .where(
                TF.workspace_id == ws,
                TextFinding.sentiment == "negative",
                TextFinding.topic_key.is_not(None),
            )
            .group_by(TF.touchpoint_key, TextFinding.topic_key, TF.feedback_id, TF.segment_mask)
            .order_by(TF.touchpoint_key, TextFinding.topic_key, worst, TF.feedback_id),
        )
    )  # fmt: skip
    _summarise(session, ws)


def _clear(session: Session, table: Any, ws: int) -> None:
    """Delete the workspace's rows: all rows, without a condition to search the index for,
    when it is the only workspace there."""
    lowest = session.scalar(select(func.min(table.workspace_id)))
    highest = session.scalar(select(func.max(table.workspace_id)))
    if lowest is None:
        return
    if lowest == highest == ws:
        session.execute(delete(table))
    else:
        session.execute(delete(table).where(table.workspace_id == ws))


def _items(session: Session, workspace: Workspace) -> Any:
    """One row per feedback item of the workspace: its enrichment (one lookup by text hash),
    its measures and its segment bits, each computed once whatever the touchpoints."""
    ws = workspace.id
    score = TextEnrichment.sentiment_score
    intensity = func.coalesce(TextEnrichment.intensity, func.abs(score))
    return (
        select(
            Feedback.id.label("fid"),
            Feedback.touchpoint.label("named"),
            Feedback.workspace_id.label("ws"),
            TextEnrichment.id.label("eid"),
            score.label("score"),
            case((score.is_not(None), intensity)).label("intensity"),
            Feedback.nps.label("nps"),
            Feedback.csat.label("csat"),
            _mask_expression(session, workspace).label("mask"),
        )
        .outerjoin(TextEnrichment, _enrichment_of_feedback(ws))
        .where(Feedback.workspace_id == ws)
    )


def _summarise(session: Session, ws: int) -> None:
    """Sums per (touchpoint, segment bits) and irritant counts per (touchpoint, topic, bits)."""
    session.execute(
        insert(TT).from_select(
            ["workspace_id", "touchpoint_key", "segment_mask", *_TALLY_FIELDS],
            select(TF.workspace_id, TF.touchpoint_key, TF.segment_mask, *_tally_columns())
            .where(TF.workspace_id == ws)
            .group_by(TF.workspace_id, TF.touchpoint_key, TF.segment_mask),
        )
    )
    session.execute(
        insert(TIC).from_select(
            ["workspace_id", "touchpoint_key", "segment_mask", "topic_key", "items"],
            select(TI.workspace_id, TI.touchpoint_key, TI.segment_mask, TI.topic_key, func.count())
            .where(TI.workspace_id == ws)
            .group_by(TI.workspace_id, TI.touchpoint_key, TI.segment_mask, TI.topic_key),
        )
    )


def _tally_columns() -> list[Any]:
    """The sums and counts of ``journeys.overlay.TouchpointTally`` over ``TF`` rows."""
    return [
        func.count(),
        func.count(TF.sentiment_score),
        func.coalesce(func.sum(TF.sentiment_score), 0.0),
        func.coalesce(func.sum(TF.intensity), 0.0),
        _count_if(TF.sentiment_score <= -STRONG),
        _count_if(TF.sentiment_score >= STRONG),
        _count_if(TF.nps >= 9),
        _count_if(TF.nps <= 6),
        func.count(TF.nps),
        func.coalesce(func.sum(TF.csat), 0),
        func.count(TF.csat),
    ]


_TALLY_FIELDS = (
    "feedback_count", "enriched_count", "sentiment_sum", "intensity_sum", "strong_negative",
    "strong_positive", "promoters", "detractors", "nps_count", "csat_sum", "csat_count",
)  # fmt: skip


def _segments(session: Session, workspace: Workspace) -> list[Segment]:
    """The segments whose membership is materialised, in bit order."""
    query = select(Segment).where(Segment.workspace_id == workspace.id).order_by(Segment.id)
    return list(session.scalars(query.limit(MASK_BITS)))


def _mask_expression(session: Session, workspace: Workspace) -> Any:
    """Sum of 2**i over the segments (in bit order) the joined feedback row belongs to."""
    terms = [
        case(
            (compile_rule(segment_rule(session, workspace=workspace, key=row.key)), 1 << i), else_=0
        )
        for i, row in enumerate(_segments(session, workspace))
    ]
    return sum(terms[1:], terms[0]) if terms else literal(0)


@dataclass(frozen=True)
class _Restriction:
    """Whose feedback counts: everyone, a segment by its materialised bit, or (more segments
    than bits) a segment by its rule on the feedback rows."""

    bit: int | None = None
    rule: Any = None

    def on(self, query: Any, feedback_id: Any, mask: Any) -> Any:
        if self.bit is not None:
            return query.where(mask.op("&")(self.bit) != 0)
        if self.rule is not None:
            return query.join(Feedback, Feedback.id == feedback_id).where(self.rule)
        return query


def _restriction(session: Session, workspace: Workspace, segment: str | None) -> _Restriction:
    if segment is None:
        return _Restriction()
    for i, row in enumerate(_segments(session, workspace)):
        if row.key == segment:
            return _Restriction(bit=1 << i)
    return _Restriction(rule=segment_filter(session, workspace=workspace, segment=segment))


def invalidate_overlay_index(session: Session, *, workspace: Workspace) -> None:
    """Make the next overlay rebuild its rows (after texts were re-enriched in place)."""
    session.execute(delete(OverlayIndexState).where(OverlayIndexState.workspace_id == workspace.id))


def _fingerprint(
    session: Session, workspace: Workspace, topics: dict[str, tuple[Text, list[str]]]
) -> str:
    """What the overlay rows depend on besides new analyses (``_analysed_since``), read from
    primary keys and tiny tables: the workspace's data revision (feedback imports), its
    latest enrichment job and its progress, the topic mapping and the segment rules."""
    ws = workspace.id
    revision = session.scalar(select(Workspace.data_revision).where(Workspace.id == ws))
    job = session.execute(
        select(Job.id, Job.status, Job.done)
        .where(Job.workspace_id == ws, Job.kind == "enrich")
        .order_by(Job.id.desc())
        .limit(1)
    ).first()
    segments = [(row.key, row.rule) for row in _segments(session, workspace)]
    mapping = json.dumps([sorted((k, sorted(tps)) for k, (_, tps) in topics.items()), segments])
    digest = hashlib.sha256(mapping.encode()).hexdigest()[:16]
    jobs = "-" if job is None else f"{job.id}:{job.status}:{job.done}"
    return f"r{revision}|j{jobs}|t{digest}"


def _last_ids(session: Session) -> tuple[int, int]:
    """The highest text enrichment and finding ids of all workspaces (two primary-key reads)."""
    enrichment = session.scalar(select(func.max(TextEnrichment.id)))
    finding = session.scalar(select(func.max(TextFinding.id)))
    return enrichment or 0, finding or 0


def _analysed_since(session: Session, ws: int, state: OverlayIndexState) -> bool:
    """Whether the workspace has an enrichment or a finding stored after the last look (a
    re-enrichment replaces rows, so it shows too). A primary-key range: only the rows stored
    since, of any workspace, are read; another workspace's analyses only move the marks."""
    tables = ((TextEnrichment, state.enrichments_seen), (TextFinding, state.findings_seen))
    return any(
        session.scalar(select(table.id).where(table.id > seen, table.workspace_id == ws).limit(1))
        is not None
        for table, seen in tables
    )


def _topics(session: Session, workspace: Workspace) -> dict[str, tuple[Text, list[str]]]:
    rows = session.execute(
        select(Topic.key, Topic.name_en, Topic.name_fr, Topic.touchpoint_keys).where(
            Topic.workspace_id == workspace.id, Topic.active.is_(True)
        )
    )
    return {r.key: (Text(r.name_en, r.name_fr), list(r.touchpoint_keys or [])) for r in rows}


def _enrichment_of_feedback(workspace_id: int) -> ColumnElement[bool]:
    return and_(
        TextEnrichment.workspace_id == workspace_id,
        TextEnrichment.text_hash == Feedback.text_hash,
    )


def _membership(items: Any, ws: int, pairs: list[tuple[str, str]]) -> Any:
    """Each item once per touchpoint key it concerns, with its measures, in (key, item)
    order: the key it names, and those its findings' topics map to (``UNION`` removes the
    repeats, and sorts)."""
    measures = (items.c.ws, items.c.eid, items.c.score, items.c.intensity, items.c.nps,
                items.c.csat, items.c.mask)  # fmt: skip
    direct = select(items.c.named.label("tp"), items.c.fid, *measures).where(
        items.c.named.is_not(None)
    )
    if not pairs:
        return direct.order_by(items.c.named, items.c.fid)
    # A small literal table (SQLite names no columns of a VALUES alias).
    rows = [
        select(literal(t, String).label("topic"), literal(p, String).label("tp")) for t, p in pairs
    ]
    mapping = (rows[0] if len(rows) == 1 else union_all(*rows)).subquery("topic_map")
    via_topics = (
        select(mapping.c.tp, items.c.fid, *measures)
        .select_from(items)
        .join(TextFinding, TextFinding.enrichment_id == items.c.eid)
        .join(mapping, mapping.c.topic == TextFinding.topic_key)
        .where(TextFinding.workspace_id == ws)
    )
    return union(direct, via_topics)


# --- reading ----------------------------------------------------------------------------------


def _count_if(condition: Any) -> Any:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def _tallies(
    session: Session, workspace_id: int, keys: list[str], who: _Restriction
) -> dict[str, TouchpointTally]:
    if who.rule is not None:  # no materialised bit: sum the feedback rows themselves
        query = select(TF.touchpoint_key, *_tally_columns()).where(
            TF.workspace_id == workspace_id, TF.touchpoint_key.in_(keys)
        )
        query = who.on(query, TF.feedback_id, TF.segment_mask).group_by(TF.touchpoint_key)
    else:
        query = select(
            TT.touchpoint_key, *(func.sum(getattr(TT, name)) for name in _TALLY_FIELDS)
        ).where(TT.workspace_id == workspace_id, TT.touchpoint_key.in_(keys))
        query = who.on(query, None, TT.segment_mask).group_by(TT.touchpoint_key)
    tallies = {}
    for tp, *values in session.execute(query):
        fields = dict(zip(_TALLY_FIELDS, values, strict=True))
        tallies[tp] = TouchpointTally(
            feedback_count=int(fields["feedback_count"]),
            enriched_count=int(fields["enriched_count"]),
            sentiment_sum=float(fields["sentiment_sum"]),
            intensity_sum=float(fields["intensity_sum"]),
            strong_negative=int(fields["strong_negative"]),
            strong_positive=int(fields["strong_positive"]),
            promoters=int(fields["promoters"]),
            detractors=int(fields["detractors"]),
            nps_count=int(fields["nps_count"]),
            csat_sum=float(fields["csat_sum"]),
            csat_count=int(fields["csat_count"]),
        )
    return tallies


def _irritants(
    session: Session,
    workspace_id: int,
    keys: list[str],
    who: _Restriction,
    names: dict[str, Text],
) -> dict[str, list[Irritant]]:
    if who.rule is not None:
        # one TI row per (touchpoint, topic, feedback item): a count is a number of items
        counts = select(TI.touchpoint_key, TI.topic_key, func.count()).where(
            TI.workspace_id == workspace_id, TI.touchpoint_key.in_(keys)
        )
        counts = who.on(counts, TI.feedback_id, TI.segment_mask)
        counts = counts.group_by(TI.touchpoint_key, TI.topic_key)
    else:
        counts = select(TIC.touchpoint_key, TIC.topic_key, func.sum(TIC.items)).where(
            TIC.workspace_id == workspace_id, TIC.touchpoint_key.in_(keys)
        )
        counts = who.on(counts, None, TIC.segment_mask)
        counts = counts.group_by(TIC.touchpoint_key, TIC.topic_key)
    by_tp: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for tp, topic, n in session.execute(counts):
        by_tp[tp].append((topic, int(n)))
    chosen = {tp: top_irritants(found, TOP_IRRITANTS) for tp, found in by_tp.items()}
    verbatims = _verbatim_query(workspace_id, who)
    return {
        tp: [
            Irritant(
                topic=topic,
                name=names.get(topic, Text(topic, topic)),
                count=n,
                verbatims=_distinct(session.scalars(verbatims, {"tp": tp, "topic": topic})),
            )
            for topic, n in found
        ]
        for tp, found in chosen.items()
    }


def _verbatim_query(workspace_id: int, who: _Restriction) -> Any:
    """The most negative texts on topic ``:topic`` at touchpoint ``:tp``, read in index order.
    Built once and run per irritant with new parameters (compiled once, cached)."""
    query = (
        select(Feedback.text)
        .select_from(TI)
        .join(Feedback, Feedback.id == TI.feedback_id)
        .where(
            TI.workspace_id == workspace_id,
            TI.touchpoint_key == bindparam("tp"),
            TI.topic_key == bindparam("topic"),
            Feedback.text != "",
        )
        .order_by(TI.sentiment_score, TI.feedback_id)
        # a few more than needed: identical texts (one per feedback item) are skipped
        .limit(4 * VERBATIMS_PER_IRRITANT)
    )
    if who.bit is not None:
        return query.where(TI.segment_mask.op("&")(who.bit) != 0)
    if who.rule is not None:
        return query.where(who.rule)
    return query


def _distinct(texts: Iterable[str]) -> tuple[str, ...]:
    found: list[str] = []
    for text in texts:
        if text not in found:
            found.append(text)
    return tuple(found[:VERBATIMS_PER_IRRITANT])


def journey_pair(
    session: Session, *, workspace: Workspace, key: str, persona: str | None = None
) -> tuple[Journey, Journey]:
    """(current, target) around journey ``key``, each with its overlay: the target that is
    ``based_on`` it, or the current one it is based on. NotFoundError when there is none."""
    journey, _ = journeys.get_journey(session, workspace=workspace, key=key)
    rows = journeys.list_journeys(session, workspace=workspace)
    if journey.based_on is not None:
        current_key, target_key = journey.based_on, key
    else:
        targets = [row.key for row in rows if row.based_on == key]
        if not targets:
            raise NotFoundError(f"Journey {key!r} has no target version to compare with")
        current_key, target_key = key, targets[0]
    current, _ = journey_with_overlay(
        session, workspace=workspace, key=current_key, persona=persona
    )
    target, _ = journey_with_overlay(session, workspace=workspace, key=target_key, persona=persona)
    return current, target
