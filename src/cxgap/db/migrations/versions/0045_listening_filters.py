"""the Listening filters at scale: counts per touchpoint, the search's trigram index

Revision ID: 0045
Revises: 0038
Create Date: 2026-12-04 01:00:00.000000

Under a touchpoint filter every Listening page read the rows (> 30 s at 10 M on PostgreSQL:
docs/scale.md, "Listening under filters at 10 M"). The filter keeps the records carrying the
touchpoint or about one of its topics: the second part is the topic-set counts' (0040); three
tables hold the first, the topic-set counts of the records carrying a touchpoint keyed by it
first, enriched or not. Filled from the rows by the maintenance code's own statements, then
kept by them. On PostgreSQL, the search's trigram index where ``pg_trgm`` can be had
(``db/search_index.py``).
"""

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0045"
down_revision: str | None = "0038"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

DIMENSIONS: list[tuple[str, Any]] = [
    ("touchpoint", sa.String(200)),
    ("month", sa.Date()),
    ("source_type", sa.String(16)),
    ("channel", sa.String(200)),
    ("language", sa.String(8)),
    ("sentiment", sa.String(8)),
    ("found", sa.Text()),
]
ENRICHED = ("enriched", sa.SmallInteger())
# Each table's own columns, and its key's order (the model's TOUCH_*KEY).
TABLES: dict[str, tuple[list[tuple[str, Any]], list[str]]] = {
    "listening_touchpoint_counts": (
        [ENRICHED],
        [
            "touchpoint",
            "month",
            "source_type",
            "channel",
            "enriched",
            "language",
            "sentiment",
            "found",
        ],
    ),
    "listening_touchpoint_mention_counts": (
        [("topic_key", sa.String(64)), ("finding_sentiment", sa.String(8))],
        [
            "touchpoint",
            "month",
            "source_type",
            "channel",
            "language",
            "sentiment",
            "found",
            "topic_key",
            "finding_sentiment",
        ],
    ),
    "listening_touchpoint_score_counts": (
        [ENRICHED, ("topics", sa.Text()), ("metric", sa.String(8)), ("value", sa.SmallInteger())],
        [
            "touchpoint",
            "month",
            "source_type",
            "channel",
            "enriched",
            "language",
            "sentiment",
            "found",
            "topics",
            "metric",
            "value",
        ],
    ),
}


def upgrade() -> None:
    for name, (own, key) in TABLES.items():
        measures: list[sa.Column[Any]] = [sa.Column("n", sa.Integer(), nullable=False)]
        if name == "listening_touchpoint_mention_counts":
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
            *(sa.Column(column, kind, nullable=False) for column, kind in [*DIMENSIONS, *own]),
            *measures,
        )
        op.create_index(f"ux_{name}_key", name, ["workspace_id", *key], unique=True)
        zero = sa.text("n = 0")
        op.create_index(
            f"ix_{name}_zero", name, ["workspace_id"], sqlite_where=zero, postgresql_where=zero
        )
    from cxgap.db.listening_count_tables import (
        ListeningTouchpointCount,
        ListeningTouchpointMentionCount,
        ListeningTouchpointScoreCount,
    )
    from cxgap.db.listening_counts import rebuild_all

    rebuild_all(
        op.get_bind(),
        (ListeningTouchpointCount, ListeningTouchpointMentionCount, ListeningTouchpointScoreCount),
    )
    from cxgap.db import search_index

    search_index.create(op.get_bind())


def downgrade() -> None:
    from cxgap.db import search_index

    search_index.drop(op.get_bind())
    for name in reversed(TABLES):
        op.drop_index(f"ix_{name}_zero", table_name=name)
        op.drop_index(f"ux_{name}_key", table_name=name)
        op.drop_table(name)
