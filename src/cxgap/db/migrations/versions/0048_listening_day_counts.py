"""the month counts' day twins: the edge days of dates inside months from the counts

Revision ID: 0048
Revises: 0047
Create Date: 2026-12-04 17:45:00.000000

Under ``from``/``to`` dates inside months, the whole months came from the month counts and
the days at either end from the rows: half a month of items joined to their enrichments and
findings at each end, 3.6-7.1 s a page at 1 M on PostgreSQL (docs/scale.md, "Listening under
filters at 10 M"). Four tables hold what the topic, mention, score and driver counts hold with
the UTC day in place of the month (``listening_day_topic_counts``, ``_mention_counts``,
``_score_counts``, ``_driver_counts``): the edges, and a range inside one month, read a few
weeks of them. Filled from the rows in one grouped pass (``listening_count_build``: each
record's keys computed once into a work table, every table a ``GROUP BY`` of it), then kept
by the upkeep's statements. The tables are filled before their unique key is made (plain
inserts of distinct groups, then one index build), and analysed on PostgreSQL (the edge
reads are planned on their statistics).
"""

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0048"
down_revision: str | None = "0047"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FILTERED: list[tuple[str, Any]] = [
    ("day", sa.Date()),
    ("source_type", sa.String(16)),
    ("channel", sa.String(200)),
]
ENRICHED = ("enriched", sa.SmallInteger())
LANGUAGE = [("language", sa.String(8)), ("sentiment", sa.String(8))]
TOPIC = ("topic_key", sa.String(64))
SCORE = [("metric", sa.String(8)), ("value", sa.SmallInteger())]
# Each table's columns after workspace_id, in its key's order, and whether it sums scores.
TABLES: dict[str, tuple[list[tuple[str, Any]], bool]] = {
    "listening_day_topic_counts": ([*FILTERED, *LANGUAGE, TOPIC], False),
    "listening_day_mention_counts": (
        [*FILTERED, *LANGUAGE, TOPIC, ("finding_sentiment", sa.String(8))],
        True,
    ),
    "listening_day_score_counts": ([*FILTERED, ENRICHED, *LANGUAGE, *SCORE], False),
    "listening_day_driver_counts": ([("day", sa.Date()), *SCORE, ("topics", sa.Text())], False),
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
    from cxgap.db.listening_count_parts import DAY_TABLES
    from cxgap.db.listening_counts import rebuild_all

    bind = op.get_bind()
    rebuild_all(bind, DAY_TABLES)  # one grouped pass (listening_count_build): plain inserts
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
