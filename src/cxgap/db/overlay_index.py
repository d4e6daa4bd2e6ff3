"""The SQL of the journey overlay's materialised index: building it whole, the statements a
fold of changed feedback items shares with it (the fold itself: ``db.overlay_fold``), and
the marks that say what it covers (``services.overlay`` decides which to do;
``db.overlay_queries`` reads it).

The rows: ``touchpoint_feedback`` (touchpoint key, item, measures, segment bits),
``touchpoint_irritants`` (its negative topics), and their sums per touchpoint and segment
bits, ``touchpoint_tallies`` and ``touchpoint_irritant_counts``. A fold replaces the first two
for the changed items only and adds the difference to the sums (a handful of rows per
touchpoint), so it costs in proportion to the items changed, not to the workspace.

``mask`` is the SQL expression of an item's segment bits over a ``feedback`` row, built by
the caller (the segment rules live in ``services``).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    String,
    and_,
    any_,
    case,
    delete,
    func,
    insert,
    literal,
    select,
    text,
    union,
    union_all,
)
from sqlalchemy import column as sql_column
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import Session

from cxgap.db.tables import (
    Feedback,
    TextEnrichment,
    TextFinding,
    TouchpointFeedback,
    TouchpointIrritant,
    TouchpointIrritantCount,
)
from cxgap.db.tables import TouchpointTally as TouchpointTallyRow
from cxgap.journeys.overlay import STRONG

TF, TI = TouchpointFeedback, TouchpointIrritant
TT, TIC = TouchpointTallyRow, TouchpointIrritantCount

TALLY_FIELDS = (
    "feedback_count", "enriched_count", "sentiment_sum", "intensity_sum", "strong_negative",
    "strong_positive", "promoters", "detractors", "nps_count", "csat_sum", "csat_count",
)  # fmt: skip
Pairs = Sequence[tuple[str, str]]  # (topic key, touchpoint key) links


@dataclass(frozen=True)
class Marks:
    """How far the tables reached when looked at: the highest text enrichment and finding
    ids of all workspaces, and the workspace's highest feedback id and latest update."""

    enrichments: int
    findings: int
    feedback: int
    updated: datetime | None


def marks(session: Session, workspace_id: int) -> Marks:
    """Four index reads (primary keys, and ``ix_feedback_ws_updated_at``)."""
    ws = Feedback.workspace_id == workspace_id
    return Marks(
        enrichments=session.scalar(select(func.max(TextEnrichment.id))) or 0,
        findings=session.scalar(select(func.max(TextFinding.id))) or 0,
        feedback=session.scalar(select(func.max(Feedback.id)).where(ws)) or 0,
        updated=session.scalar(select(func.max(Feedback.updated_at)).where(ws)),
    )


def count_feedback_upto(session: Session, workspace_id: int, feedback_id: int) -> int:
    """The workspace's feedback items with an id up to ``feedback_id`` (fewer than were
    folded: some were deleted). ``id + 0``: counted in a workspace index, not by reading
    the table's rows in a primary-key range (8.6 s against 0.8 s at 1M items)."""
    query = select(func.count()).select_from(Feedback)
    query = query.where(Feedback.workspace_id == workspace_id, Feedback.id + 0 <= feedback_id)
    return session.scalar(query) or 0


def latest_model(session: Session, workspace_id: int) -> str:
    """The text-model version of the workspace's latest enrichment ("" without any)."""
    query = select(TextEnrichment.model).where(TextEnrichment.workspace_id == workspace_id)
    return session.scalar(query.order_by(TextEnrichment.id.desc()).limit(1)) or ""


def analysed_since(session: Session, workspace_id: int, enrichments: int, findings: int) -> bool:
    """Whether the workspace has an enrichment or a finding stored above the marks (a
    re-enrichment replaces rows, so it shows too): a primary-key range, only the rows
    stored since, of any workspace, are read."""
    tables = ((TextEnrichment, enrichments), (TextFinding, findings))
    return any(
        session.scalar(
            select(table.id).where(table.id > seen, table.workspace_id == workspace_id).limit(1)
        )
        is not None
        for table, seen in tables
    )


def changed_items(
    session: Session,
    workspace_id: int,
    *,
    feedback: int,
    updated: datetime | None,
    enrichments: int,
    findings: int,
) -> list[int]:
    """Ids of the workspace's items whose overlay rows may differ from what is stored: new
    (id above ``feedback``), updated in place (``updated_at`` after ``updated``), or whose
    text has an enrichment or finding above the marks (analysed, or analysed again). The
    texts' items are found in one statement (their hashes as one parameter, looked up in
    ``ix_feedback_ws_text_hash``), not one per 500 hashes."""
    ws = workspace_id
    new_enrichments = select(TextEnrichment.text_hash).where(
        TextEnrichment.id > enrichments, TextEnrichment.workspace_id == ws
    )
    new_findings = (
        select(TextEnrichment.text_hash)
        .join(TextFinding, TextFinding.enrichment_id == TextEnrichment.id)
        .where(TextFinding.id > findings, TextFinding.workspace_id == ws)
    )
    hashes = set(session.scalars(new_enrichments)) | set(session.scalars(new_findings))
    found: set[int] = set(
        session.scalars(
            select(Feedback.id).where(Feedback.workspace_id == ws, Feedback.id > feedback)
        )
    )
    if updated is not None:
        found.update(
            session.scalars(
                select(Feedback.id).where(
                    Feedback.workspace_id == ws, Feedback.updated_at > updated
                )
            )
        )
    if hashes:
        dialect = session.get_bind().dialect.name
        analysed = among(dialect, Feedback.text_hash, sorted(hashes))
        found.update(
            session.scalars(select(Feedback.id).where(Feedback.workspace_id == ws, analysed))
        )
    return sorted(found)


def among(dialect: str, column: Any, values: Sequence[Any]) -> ColumnElement[bool]:
    """``column`` in ``values``, as one parameter (an array on PostgreSQL, a JSON array
    read by ``json_each`` on SQLite) however many: one statement, compiled once, instead of
    one per few hundred values. Both planners probe ``column``'s index with each value."""
    listed = list(values)
    if dialect == "postgresql":
        kind: Any = String if listed and isinstance(listed[0], str) else BigInteger
        return cast(ColumnElement[bool], column == any_(literal(listed, postgresql.ARRAY(kind))))
    each: Any = select(sql_column("value")).select_from(func.json_each(literal(json.dumps(listed))))
    return cast(ColumnElement[bool], column.in_(each))


# --- building whole ---------------------------------------------------------------------------


def rebuild(session: Session, workspace_id: int, mask: Any, pairs: Pairs) -> None:
    """Replace the workspace's rows: membership with the measures, irritants, then sums.
    Each statement writes in the order of the table's index, so that the B-trees grow at
    their end instead of being updated at random places."""
    ws = workspace_id
    for table in (TI, TF, TT, TIC):
        _clear(session, table, ws)
    items = items_of(ws, mask, Feedback.workspace_id == ws).cte("items")
    session.execute(insert(TF).from_select(TF_COLUMNS, membership(items, ws, pairs)))
    if session.get_bind().dialect.name == "postgresql":
        # Statistics on the rows just written: without them PostgreSQL expects a few thousand
        # and joins the findings by 2 M index probes (docs/performance.md, "The whole build").
        session.execute(text("ANALYZE touchpoint_feedback"))
    session.execute(
        insert(TI).from_select(TI_COLUMNS, irritant_rows(ws, TF.workspace_id == ws, ordered=True))
    )
    session.execute(
        insert(TT).from_select(
            ["workspace_id", "touchpoint_key", "segment_mask", *TALLY_FIELDS],
            select(TF.workspace_id, TF.touchpoint_key, TF.segment_mask, *tally_columns())
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


# --- the statements both share ----------------------------------------------------------------

TF_COLUMNS = [
    "touchpoint_key", "feedback_id", "workspace_id", "enrichment_id", "sentiment_score",
    "intensity", "nps", "csat", "segment_mask",
]  # fmt: skip
TI_COLUMNS = [
    "workspace_id", "touchpoint_key", "topic_key", "feedback_id", "sentiment_score",
    "segment_mask",
]  # fmt: skip


def items_of(ws: int, mask: Any, where: ColumnElement[bool]) -> Any:
    """One row per feedback item: its enrichment (one lookup by text hash), its measures and
    its segment bits, each computed once whatever the touchpoints."""
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
            mask.label("mask"),
        )
        .outerjoin(
            TextEnrichment,
            and_(TextEnrichment.workspace_id == ws, TextEnrichment.text_hash == Feedback.text_hash),
        )
        .where(where)
    )


def membership(items: Any, ws: int, pairs: Pairs, *, few: bool = False) -> Any:
    """Each item once per touchpoint key it concerns, with its measures, in (key, item)
    order: the key it names, and those its findings' topics map to (``UNION`` removes the
    repeats, and sorts). ``few`` items (a fold): their findings are read by enrichment id
    only; otherwise SQLite reads every finding of the workspace on each linked topic
    (``ix_text_findings_ws_topic``) for each few items: minutes at a million."""
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
    # A topic key wrapped for few items: no index on it then, the findings are found from
    # the items' enrichments (a topic key is never "", so nothing more matches).
    topic = func.coalesce(TextFinding.topic_key, "") if few else TextFinding.topic_key
    via_topics = (
        select(mapping.c.tp, items.c.fid, *measures)
        .select_from(items)
        .join(TextFinding, TextFinding.enrichment_id == items.c.eid)
        .join(mapping, mapping.c.topic == topic)
    )
    if not few:  # the item's enrichment is the workspace's already: this guides the plan
        via_topics = via_topics.where(TextFinding.workspace_id == ws)
    return union(direct, via_topics)


def irritant_rows(ws: int, which: ColumnElement[bool], *, ordered: bool = False) -> Any:
    """One row per (touchpoint, negative topic, item) of the ``which`` membership rows, with
    the item's most negative score on that topic."""
    worst = func.min(TextFinding.sentiment_score)
    query = (
        select(literal(ws), TF.touchpoint_key, TextFinding.topic_key, TF.feedback_id, worst,
               TF.segment_mask)
        .join(TextFinding, TextFinding.enrichment_id == TF.enrichment_id)
        .where(which, TextFinding.sentiment == "negative", TextFinding.topic_key.is_not(None))
        .group_by(TF.touchpoint_key, TextFinding.topic_key, TF.feedback_id, TF.segment_mask)
    )  # fmt: skip
    if ordered:
        return query.order_by(TF.touchpoint_key, TextFinding.topic_key, worst, TF.feedback_id)
    return query


def tally_columns() -> list[Any]:
    """The sums and counts of ``journeys.overlay.TouchpointTally`` over ``TF`` rows, in the
    order of ``TALLY_FIELDS``."""
    return [
        func.count(),
        func.count(TF.sentiment_score),
        func.coalesce(func.sum(TF.sentiment_score), 0.0),
        func.coalesce(func.sum(TF.intensity), 0.0),
        count_if(TF.sentiment_score <= -STRONG),
        count_if(TF.sentiment_score >= STRONG),
        count_if(TF.nps >= 9),
        count_if(TF.nps <= 6),
        func.count(TF.nps),
        func.coalesce(func.sum(TF.csat), 0),
        func.count(TF.csat),
    ]


def count_if(condition: Any) -> Any:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def touchpoint_pairs(links: dict[str, list[str]]) -> list[tuple[str, str]]:
    """(topic, touchpoint) for each link, sorted and without repeats."""
    return sorted({(topic, tp) for topic, tps in links.items() for tp in tps})
