"""Folding changed feedback items into the journey overlay's materialised index
(``db.overlay_index`` builds it whole; ``services.overlay`` decides which to do).

Set-based: the changed items go to the database once, as one parameter (an array on
PostgreSQL, a JSON array on SQLite: ``overlay_index.among``), and a fold is the same dozen
statements whether 10 or 250,000 items changed: what their old rows contribute to the sums,
taken off; their rows replaced (deleted by ``feedback_id``, membership and irritants
inserted for them only); what their new rows contribute, added; then the stored sums moved
by the difference (a handful of rows per touchpoint). The first version ran eight
statements per 500 items, a bound parameter per id: 160 for an import of 10,000
(docs/performance.md, *Incremental overlay index*).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.orm import Session

from cxgap.db.overlay_index import (
    TALLY_FIELDS,
    TF,
    TF_COLUMNS,
    TI,
    TI_COLUMNS,
    TIC,
    TT,
    Pairs,
    among,
    irritant_rows,
    items_of,
    membership,
    tally_columns,
)
from cxgap.db.tables import Feedback

Sums = dict[tuple[Any, ...], list[float]]
Changes = dict[tuple[Any, ...], tuple[int | None, dict[str, Any] | None]]


def fold(
    session: Session, workspace_id: int, mask: Any, pairs: Pairs, feedback_ids: Iterable[int]
) -> None:
    """Replace the rows of these items and move the sums by the difference: what their old
    rows contributed is taken off, what their new rows contribute is added (an item deleted
    since has no new rows). Same rows and sums as a rebuild, the sums to rounding."""
    ws, ids = workspace_id, sorted(set(feedback_ids))
    if not ids:
        return
    dialect = session.get_bind().dialect.name
    tallies: Sums = defaultdict(lambda: [0.0] * len(TALLY_FIELDS))
    counts: Sums = defaultdict(lambda: [0.0])
    _collect(session, dialect, ids, tallies, counts, sign=-1)
    session.execute(delete(TI).where(among(dialect, TI.feedback_id, ids)))
    session.execute(delete(TF).where(among(dialect, TF.feedback_id, ids)))
    # by primary key only: a planner without statistics may prefer the workspace's index
    items = items_of(ws, mask, among(dialect, Feedback.id, ids)).cte("items")
    session.execute(insert(TF).from_select(TF_COLUMNS, membership(items, ws, pairs, few=True)))
    changed = among(dialect, TF.feedback_id, ids)  # this index, not the workspace's
    session.execute(insert(TI).from_select(TI_COLUMNS, irritant_rows(ws, changed)))
    _collect(session, dialect, ids, tallies, counts, sign=1)
    _apply_tallies(session, ws, tallies)
    _apply_counts(session, ws, counts)


def _collect(
    session: Session, dialect: str, ids: list[int], tallies: Sums, counts: Sums, *, sign: int
) -> None:
    """Add (``sign`` 1) or take off (-1) what these items' rows contribute to the sums."""
    rows = session.execute(
        select(TF.touchpoint_key, TF.segment_mask, *tally_columns())
        .where(among(dialect, TF.feedback_id, ids))
        .group_by(TF.touchpoint_key, TF.segment_mask)
    )
    for tp, bits, *values in rows:
        total = tallies[(tp, bits)]
        for i, value in enumerate(values):
            total[i] += sign * float(value)
    rows = session.execute(
        select(TI.touchpoint_key, TI.segment_mask, TI.topic_key, func.count())
        .where(among(dialect, TI.feedback_id, ids))
        .group_by(TI.touchpoint_key, TI.segment_mask, TI.topic_key)
    )
    for tp, bits, topic, n in rows:
        counts[(tp, bits, topic)][0] += sign * n


def _apply_tallies(session: Session, ws: int, deltas: Sums) -> None:
    """Add the differences to the stored sums; a combination left without items goes, as a
    rebuild would not write it."""
    fields = [getattr(TT, name) for name in TALLY_FIELDS]
    query = select(TT.id, TT.touchpoint_key, TT.segment_mask, *fields)
    stored = {
        (tp, bits): (row_id, [float(v) for v in values])
        for row_id, tp, bits, *values in session.execute(query.where(TT.workspace_id == ws))
    }
    changes: Changes = {}
    for key, delta in deltas.items():
        if not any(delta):
            continue  # nothing moved: the row stays as it is
        row_id, before = stored.get(key, (None, [0.0] * len(TALLY_FIELDS)))
        after = (b + d for b, d in zip(before, delta, strict=True))
        values = dict(zip(TALLY_FIELDS, after, strict=True))
        changes[key] = (row_id, _exact(values) if round(values["feedback_count"]) > 0 else None)
    _write(session, TT, ("touchpoint_key", "segment_mask"), ws, changes)


def _exact(values: dict[str, float]) -> dict[str, Any]:
    """Counts as integers, and a sum over no values as 0 (not a rounding residue)."""
    out: dict[str, Any] = {
        name: value if name.endswith("_sum") else round(value) for name, value in values.items()
    }
    if out["enriched_count"] == 0:
        out["sentiment_sum"] = out["intensity_sum"] = 0.0
    if out["csat_count"] == 0:
        out["csat_sum"] = 0.0
    return out


def _apply_counts(session: Session, ws: int, deltas: Sums) -> None:
    """The same for the irritants' counts: only the keys whose count moved are read back."""
    moved = {key: round(delta) for key, (delta,) in deltas.items() if round(delta) != 0}
    if not moved:
        return
    topics = sorted({key[2] for key in moved})
    query = select(TIC.id, TIC.touchpoint_key, TIC.segment_mask, TIC.topic_key, TIC.items)
    query = query.where(TIC.workspace_id == ws, TIC.topic_key.in_(topics))
    stored = {
        (tp, bits, topic): (row_id, items)
        for row_id, tp, bits, topic, items in session.execute(query)
    }
    changes: Changes = {}
    for key, delta in moved.items():
        row_id, before = stored.get(key, (None, 0))
        items = before + delta
        changes[key] = (row_id, {"items": items} if items > 0 else None)
    _write(session, TIC, ("touchpoint_key", "segment_mask", "topic_key"), ws, changes)


def _write(session: Session, table: Any, keys: tuple[str, ...], ws: int, changes: Changes) -> None:
    """Rows by key: (stored id or None, new values or None to have none), in a few
    statements (deletes by id, one bulk update by primary key, one bulk insert)."""
    gone = [row_id for row_id, values in changes.values() if row_id is not None and values is None]
    updates = [
        {"id": row_id, **values}
        for row_id, values in changes.values()
        if row_id is not None and values is not None
    ]
    inserts = [
        {"workspace_id": ws, **dict(zip(keys, key, strict=True)), **values}
        for key, (row_id, values) in changes.items()
        if row_id is None and values is not None
    ]
    if gone:
        dialect = session.get_bind().dialect.name
        session.execute(delete(table).where(among(dialect, table.id, gone)))
    if updates:
        session.execute(update(table), updates)
    if inserts:
        session.execute(insert(table), inserts)
