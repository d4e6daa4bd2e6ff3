"""The previous fold of the overlay index (until 2026-12-03), kept as a baseline for
``bench.overlay_incremental``: eight statements per 500 changed items, each id a bound
parameter, and the changed texts' items looked up 500 hashes at a time. The rows and sums
it writes are the same as ``db.overlay_fold``'s (the bench checks the overlay read after).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session

from cxgap.db import overlay_fold as now
from cxgap.db import overlay_index as index
from cxgap.db.overlay_index import TF, TF_COLUMNS, TI, TI_COLUMNS, Pairs
from cxgap.db.tables import Feedback, TextEnrichment, TextFinding
from cxgap.services import overlay as service

CHUNK = 500


@contextmanager
def previous_fold() -> Iterator[None]:
    """``services.overlay`` folds with the previous version inside the block."""
    saved = service.fold, index.changed_items
    service.fold, index.changed_items = fold, changed_items  # type: ignore[assignment]
    try:
        yield
    finally:
        service.fold, index.changed_items = saved  # type: ignore[assignment]


def fold(
    session: Session, workspace_id: int, mask: Any, pairs: Pairs, feedback_ids: Iterable[int]
) -> None:
    ws = workspace_id
    tallies: now.Sums = defaultdict(lambda: [0.0] * len(index.TALLY_FIELDS))
    counts: now.Sums = defaultdict(lambda: [0.0])
    ids = list(feedback_ids)
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        _collect(session, chunk, tallies, counts, sign=-1)
        session.execute(delete(TI).where(TI.feedback_id.in_(chunk)))
        session.execute(delete(TF).where(TF.feedback_id.in_(chunk)))
        items = index.items_of(ws, mask, Feedback.id.in_(chunk))
        rows = index.membership(items.cte(), ws, pairs, few=True)
        session.execute(insert(TF).from_select(TF_COLUMNS, rows))
        changed = TF.feedback_id.in_(chunk)
        session.execute(insert(TI).from_select(TI_COLUMNS, index.irritant_rows(ws, changed)))
        _collect(session, chunk, tallies, counts, sign=1)
    now._apply_tallies(session, ws, tallies)
    now._apply_counts(session, ws, counts)


def _collect(
    session: Session, chunk: list[int], tallies: now.Sums, counts: now.Sums, *, sign: int
) -> None:
    rows = session.execute(
        select(TF.touchpoint_key, TF.segment_mask, *index.tally_columns())
        .where(TF.feedback_id.in_(chunk))
        .group_by(TF.touchpoint_key, TF.segment_mask)
    )
    for tp, bits, *values in rows:
        total = tallies[(tp, bits)]
        for i, value in enumerate(values):
            total[i] += sign * float(value)
    rows = session.execute(
        select(TI.touchpoint_key, TI.segment_mask, TI.topic_key, func.count())
        .where(TI.feedback_id.in_(chunk))
        .group_by(TI.touchpoint_key, TI.segment_mask, TI.topic_key)
    )
    for tp, bits, topic, n in rows:
        counts[(tp, bits, topic)][0] += sign * n


def changed_items(
    session: Session,
    workspace_id: int,
    *,
    feedback: int,
    updated: datetime | None,
    enrichments: int,
    findings: int,
) -> list[int]:
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
    new = Feedback.id > feedback
    found: set[int] = set(
        session.scalars(select(Feedback.id).where(Feedback.workspace_id == ws, new))
    )
    if updated is not None:
        moved = Feedback.updated_at > updated
        found.update(session.scalars(select(Feedback.id).where(Feedback.workspace_id == ws, moved)))
    listed = sorted(hashes)
    for start in range(0, len(listed), CHUNK):
        among = Feedback.text_hash.in_(listed[start : start + CHUNK])
        found.update(session.scalars(select(Feedback.id).where(Feedback.workspace_id == ws, among)))
    return sorted(found)
