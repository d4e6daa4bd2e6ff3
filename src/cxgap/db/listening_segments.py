"""The Listening aggregates under a segment or persona filter, from the counts per segment
(``listening_segment_*counts``, migration 0045), and their upkeep when a membership changes.

A segment filter keeps the segment's materialised members (``segment_members``, kept by
``db.segment_members``). The counts per segment hold the topic-set counts of each segment's
members, keyed by the segment first: the readers are those of ``listening_sets`` over the
``SEGMENT`` tables, whose condition adds the segment. Two things move them:

- a record's columns or enrichment change: ``listening_counts``' retract/add and the
  enrichment's batch path count a record once in each segment it belongs to then;
- a membership changes (``db.segment_members``): :func:`joined` after members are inserted,
  :func:`leaving` before they are deleted, :func:`forget` before a segment's members are
  rebuilt. A deleted segment's counts go with it (a foreign key, ``ON DELETE CASCADE``).
"""

from __future__ import annotations

import dataclasses

from sqlalchemy import ColumnElement, delete

from cxgap.db import listening_counts as counts
from cxgap.db import listening_cube as cube
from cxgap.db import member_rows
from cxgap.db.feedback_filters import FeedbackFilter
from cxgap.db.listening_count_build import build
from cxgap.db.member_rows import Rows
from cxgap.db.tables import SegmentMember


def serves(f: FeedbackFilter) -> bool:
    """Whether the counts hold every condition of ``f``: one segment (a segment and a persona
    standing for the same one), with topics, source, channel, language, sentiment and whole
    UTC months (no touchpoint, no search)."""
    if f.segment is None or len(set(f.segment_ids)) != 1:
        return False
    rest = dataclasses.replace(f, segment=None, segment_ids=(), topic_sets=())
    return cube.serves(rest, "month")


def serves_days(f: FeedbackFilter) -> bool:
    """Whether the day segment counts (migration 0052) hold every condition of ``f``: as
    :func:`serves` on any whole UTC days."""
    if f.segment is None or len(set(f.segment_ids)) != 1:
        return False
    rest = dataclasses.replace(f, segment=None, segment_ids=(), topic_sets=())
    return cube.serves(rest, "day")


def serves_touchpoint(f: FeedbackFilter, need: cube.Need = "month") -> bool:
    """Whether the counts of a segment's members by touchpoint (migration 0053) with the
    segment counts for the touchpoint's topics hold every condition of ``f``: one segment
    and a touchpoint, with topics, source, channel, language, sentiment and whole UTC months
    (``need`` "day": any whole UTC days)."""
    if f.segment is None or len(set(f.segment_ids)) != 1 or f.touchpoint is None:
        return False
    rest = dataclasses.replace(
        f, segment=None, segment_ids=(), touchpoint=None, touchpoint_topics=(), topic_sets=()
    )
    return cube.serves(rest, need)


def joined(db: counts.Database, workspace_id: int, segment_id: int, rows: Rows | None) -> None:
    """The members of ``segment_id`` among ``rows`` (all when None: its counts were
    forgotten, and are built in one grouped pass) were just inserted."""
    if rows is None:
        build(db, workspace_id, counts.SEGMENT_TABLES, segment_id=segment_id)
        return
    _move(db, 1, workspace_id, segment_id, rows)


def leaving(db: counts.Database, workspace_id: int, segment_id: int, rows: Rows) -> None:
    """The members of ``segment_id`` among ``rows`` are about to be deleted."""
    _move(db, -1, workspace_id, segment_id, rows)


def forget(db: counts.Database, segment_id: int) -> None:
    """Every count of ``segment_id`` deleted: its members are about to be rebuilt."""
    for model in counts.SEGMENT_TABLES:
        table = counts._table(model)
        db.execute(delete(table).where(table.c.segment_id == segment_id))


def _move(db: counts.Database, sign: int, workspace_id: int, segment_id: int, rows: Rows) -> None:
    shape = member_rows.shape(rows)

    def scope() -> ColumnElement[bool]:
        return (SegmentMember.segment_id == member_rows.segment()) & member_rows.condition(shape)

    params = {member_rows.SEGMENT: segment_id, **member_rows.values(rows)}
    counts.merge_members(db, sign, workspace_id, shape, scope, params, counts.SEGMENT_TABLES)
