"""the touchpoint and segment counts' day twins: their edge days from the counts

Revision ID: 0052
Revises: 0051
Create Date: 2026-12-05 03:00:00.000000

Under a touchpoint or segment (persona) filter with ``from``/``to`` inside months, the whole
months came from the touchpoint and segment counts (migration 0045) and the days at either
end from the rows, as did a topic with a touchpoint or a segment: far over 2 s a page at
10 M on PostgreSQL (docs/scale.md, "A touchpoint or segment with dates inside months"). Six
tables hold what those counts hold with the UTC day in place of the month, keyed by the
touchpoint (the segment) first and the day next: an edge is one range of the key. Filled
from the rows in one grouped pass (``listening_count_build``), before their unique key is
made, then analysed on PostgreSQL; kept by the upkeep's statements after (the segment tables
by membership changes too, ``db.listening_segments``).
"""

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0052"
down_revision: str | None = "0051"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

DAY: list[tuple[str, Any]] = [
    ("day", sa.Date()),
    ("source_type", sa.String(16)),
    ("channel", sa.String(200)),
]
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
TOUCHPOINT = ("touchpoint", sa.String(200))
SEGMENT = ("segment_id", sa.Integer())
# Each table's columns after workspace_id, in its key's order, and whether it sums scores.
TABLES: dict[str, tuple[list[tuple[str, Any]], bool]] = {
    f"listening_day_{name}_{kind}counts": (
        [first, *DAY, *([] if kind == "mention_" else [ENRICHED]), *REST,
         *(MENTION if kind == "mention_" else SCORE if kind == "score_" else [])],
        kind == "mention_",
    )
    for name, first in (("touchpoint", TOUCHPOINT), ("segment", SEGMENT))
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
    from cxgap.db.listening_count_parts import DAY_SEGMENT_TABLES, DAY_TOUCH_TABLES
    from cxgap.db.listening_counts import rebuild_all

    bind = op.get_bind()
    rebuild_all(bind, (*DAY_TOUCH_TABLES, *DAY_SEGMENT_TABLES))  # one grouped pass
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
