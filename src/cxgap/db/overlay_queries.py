"""Reading the journey overlay's materialised index (``db.overlay_index`` builds it): a few
rows per touchpoint summed (``segment_mask & bit`` for a persona), plus two short index reads
per irritant for its verbatims, whatever the number of feedback items."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session

from cxgap.db.overlay_index import TALLY_FIELDS, TF, TI, TIC, TT, tally_columns
from cxgap.db.tables import Feedback
from cxgap.journeys.overlay import VERBATIMS_PER_IRRITANT, TouchpointTally


@dataclass(frozen=True)
class Restriction:
    """Whose feedback counts: everyone, a segment by its materialised bit, or (more segments
    than bits) a segment by its rule, a SQL condition on the feedback rows."""

    bit: int | None = None
    rule: Any = None

    def on(self, query: Any, feedback_id: Any, mask: Any) -> Any:
        if self.bit is not None:
            return query.where(mask.op("&")(self.bit) != 0)
        if self.rule is not None:
            return query.join(Feedback, Feedback.id == feedback_id).where(self.rule)
        return query


def tallies(
    session: Session, workspace_id: int, keys: list[str], who: Restriction
) -> dict[str, TouchpointTally]:
    """The sums and counts per touchpoint key (keys without feedback omitted)."""
    if who.rule is not None:  # no materialised bit: sum the feedback rows themselves
        query = select(TF.touchpoint_key, *tally_columns()).where(
            TF.workspace_id == workspace_id, TF.touchpoint_key.in_(keys)
        )
        query = who.on(query, TF.feedback_id, TF.segment_mask).group_by(TF.touchpoint_key)
    else:
        query = select(
            TT.touchpoint_key, *(func.sum(getattr(TT, name)) for name in TALLY_FIELDS)
        ).where(TT.workspace_id == workspace_id, TT.touchpoint_key.in_(keys))
        query = who.on(query, None, TT.segment_mask).group_by(TT.touchpoint_key)
    found = {}
    for tp, *values in session.execute(query):
        fields = dict(zip(TALLY_FIELDS, values, strict=True))
        found[tp] = TouchpointTally(
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
    return found


def irritant_counts(
    session: Session, workspace_id: int, keys: list[str], who: Restriction
) -> dict[str, list[tuple[str, int]]]:
    """(negative topic, items) per touchpoint key."""
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
    return dict(by_tp)


def verbatims(
    session: Session, workspace_id: int, who: Restriction, wanted: Iterable[tuple[str, str]]
) -> dict[tuple[str, str], tuple[str, ...]]:
    """The most negative distinct texts per (touchpoint, topic) asked for, read in index
    order by one statement compiled once and run with new parameters."""
    query = _verbatim_query(workspace_id, who)
    return {
        (tp, topic): _distinct(session.scalars(query, {"tp": tp, "topic": topic}))
        for tp, topic in wanted
    }


def _verbatim_query(workspace_id: int, who: Restriction) -> Any:
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
