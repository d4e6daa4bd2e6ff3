"""the topic-set counts' day twins: the edge days of a topic filter's dates from the counts

Revision ID: 0051
Revises: 0050
Create Date: 2026-12-04 23:30:00.000000

Under a topic or pillar filter with ``from``/``to`` inside months, the whole months came from
the topic-set counts and the days at either end from the rows, with the topic as
``text_hash IN`` (the texts of every finding of the topic): a cost that grew with the whole
topic, not with the edge days (10-103 s a page at 10 M on PostgreSQL, docs/scale.md "A topic
with dates inside months"). Three tables hold what the topic-set counts hold with the UTC day
in place of the month (``listening_day_set_counts``, ``_mention_counts``, ``_score_counts``):
the edges, and a range inside one month, read a few weeks of them. Filled from the rows in
one grouped pass (``listening_count_build``), before their unique key is made (plain inserts,
one index build), then analysed on PostgreSQL; kept by the upkeep's statements after.
"""

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0051"
down_revision: str | None = "0050"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The topic set first (the key's order): a topic filter reads the sets it matches, each a
# range of days.
SET: list[tuple[str, Any]] = [
    ("found", sa.Text()),
    ("day", sa.Date()),
    ("source_type", sa.String(16)),
    ("channel", sa.String(200)),
    ("language", sa.String(8)),
    ("sentiment", sa.String(8)),
]
# Each table's columns after workspace_id, in its key's order, and whether it sums scores.
TABLES: dict[str, tuple[list[tuple[str, Any]], bool]] = {
    "listening_day_set_counts": (SET, False),
    "listening_day_set_mention_counts": (
        [*SET, ("topic_key", sa.String(64)), ("finding_sentiment", sa.String(8))],
        True,
    ),
    "listening_day_set_score_counts": (
        [*SET, ("topics", sa.Text()), ("metric", sa.String(8)), ("value", sa.SmallInteger())],
        False,
    ),
}


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
            *(sa.Column(column, kind, nullable=False) for column, kind in columns),
            *measures,
        )
    from cxgap.db.listening_count_parts import DAY_SET_TABLES
    from cxgap.db.listening_counts import rebuild_all

    bind = op.get_bind()
    rebuild_all(bind, DAY_SET_TABLES)  # one grouped pass (listening_count_build): plain inserts
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
