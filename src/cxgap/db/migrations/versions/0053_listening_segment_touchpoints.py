"""a segment's members by touchpoint: a segment and a touchpoint together from the counts

Revision ID: 0053
Revises: 0052
Create Date: 2026-12-05 03:30:00.000000

A segment (or persona) filter with a touchpoint filter read the rows, the touchpoint's
topics as ``text_hash IN`` over every finding of them: over 120 s a page at 1 M on
PostgreSQL (docs/scale.md, "A segment and a touchpoint together"). The records about the
touchpoint's topics are the segment counts with those topics as one more set; the members
carrying the touchpoint itself are counted here, keyed by the segment and the touchpoint,
per UTC month and per UTC day (the edge days of dates inside months). Filled from the rows
in one grouped pass (``listening_count_build``) before their unique key is made, analysed on
PostgreSQL; kept after by the upkeep and by membership changes (``db.listening_segments``).
"""

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0053"
down_revision: str | None = "0052"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FIRST: list[tuple[str, Any]] = [("segment_id", sa.Integer()), ("touchpoint", sa.String(200))]
DIMENSIONS: list[tuple[str, Any]] = [("source_type", sa.String(16)), ("channel", sa.String(200))]
REST: list[tuple[str, Any]] = [
    ("language", sa.String(8)),
    ("sentiment", sa.String(8)),
    ("found", sa.Text()),
]
ENRICHED = ("enriched", sa.SmallInteger())
MENTION: list[tuple[str, Any]] = [("topic_key", sa.String(64)), ("finding_sentiment", sa.String(8))]
SCORE: list[tuple[str, Any]] = [
    ("topics", sa.Text()),
    ("metric", sa.String(8)),
    ("value", sa.SmallInteger()),
]
# Each table's columns after workspace_id, in its key's order, and whether it sums scores.
TABLES: dict[str, tuple[list[tuple[str, Any]], bool]] = {
    f"listening_{prefix}segment_touchpoint_{kind}counts": (
        [*FIRST, (period, sa.Date()), *DIMENSIONS,
         *([] if kind == "mention_" else [ENRICHED]), *REST,
         *(MENTION if kind == "mention_" else SCORE if kind == "score_" else [])],
        kind == "mention_",
    )
    for prefix, period in (("", "month"), ("day_", "day"))
    for kind in ("", "mention_", "score_")
}  # fmt: skip


def _column(name: str, kind: Any) -> sa.Column[Any]:
    if name == "segment_id":
        foreign = sa.ForeignKey("segments.id", ondelete="CASCADE")
        return sa.Column(name, kind, foreign, nullable=False)
    return sa.Column(name, kind, nullable=False)


def upgrade() -> None:
    for name, (columns, summed) in TABLES.items():
        measures: list[sa.Column[Any]] = [sa.Column("n", sa.Integer(), nullable=False)]
        if summed:
            measures.append(sa.Column("score_sum", sa.Float(), nullable=False))
        op.create_table(
            name,
            sa.Column("id", sa.Integer(), primary_key=True),
            sa.Column(
                "workspace_id",
                sa.Integer(),
                sa.ForeignKey("workspaces.id", ondelete="CASCADE"),
                nullable=False,
            ),
            *(_column(column, kind) for column, kind in columns),
            *measures,
        )
    from cxgap.db.listening_count_parts import SEGMENT_TOUCH_TABLES
    from cxgap.db.listening_counts import rebuild_all

    bind = op.get_bind()
    rebuild_all(bind, SEGMENT_TOUCH_TABLES)  # one grouped pass (listening_count_build)
    for name, (columns, _) in TABLES.items():
        key = ["workspace_id", *(column for column, _ in columns)]
        op.create_index(f"ux_{name}_key", name, key, unique=True)
        zero = sa.text("n = 0")
        op.create_index(
            f"ix_{name}_zero", name, ["workspace_id"], sqlite_where=zero, postgresql_where=zero
        )
        if bind.dialect.name == "postgresql":
            op.execute(f"ANALYZE {name}")


def downgrade() -> None:
    for name in reversed(TABLES):
        op.drop_index(f"ix_{name}_zero", table_name=name)
        op.drop_index(f"ux_{name}_key", table_name=name)
        op.drop_table(name)
