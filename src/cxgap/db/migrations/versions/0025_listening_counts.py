"""Listening counts pre-aggregated: five count tables, filled from the rows

Revision ID: 0025
Revises: 0022
Create Date: 2026-12-03 09:30:00.000000

The Listening screens read these instead of every verbatim when their filters are keys of
the counts (docs/scale.md, "Listening counts pre-aggregated"): ``listening_counts`` per UTC
day, the topic, mention, score and driver counts per UTC month, zero counts deleted through
a partial index on ``n = 0``. The backfill is set-based:
one ``INSERT … SELECT … GROUP BY`` per table (and per score column) over all workspaces, so
10 M rows take minutes, not hours. ``cxgap listening rebuild-counts`` recomputes one
workspace the same way.
"""

from collections.abc import Callable, Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0025"
down_revision: str | None = "0022"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FILTERED = ["month", "source_type", "channel", "language", "sentiment"]
# Each table: its key after workspace_id, and its measures.
KEYS = {
    "listening_counts": [
        "day", "source_type", "channel", "enriched", "language", "sentiment", "has_nps"
    ],
    "listening_topic_counts": [*FILTERED, "topic_key"],
    "listening_mention_counts": [*FILTERED, "topic_key", "finding_sentiment"],
    "listening_score_counts": [
        "month", "source_type", "channel", "enriched", "language", "sentiment", "metric", "value"
    ],
    "listening_driver_counts": ["month", "metric", "value", "topics"],
}  # fmt: skip
TYPES: dict[str, Callable[[], Any]] = {
    "day": sa.Date,
    "month": sa.Date,
    "source_type": lambda: sa.String(16),
    "channel": lambda: sa.String(200),
    "enriched": sa.SmallInteger,
    "has_nps": sa.SmallInteger,
    "language": lambda: sa.String(8),
    "sentiment": lambda: sa.String(8),
    "topic_key": lambda: sa.String(64),
    "finding_sentiment": lambda: sa.String(8),
    "metric": lambda: sa.String(8),
    "value": sa.SmallInteger,
    "topics": sa.Text,
}


def upgrade() -> None:
    for name, key in KEYS.items():
        measures: list[sa.Column[Any]] = [sa.Column("n", sa.Integer(), nullable=False)]
        if name == "listening_mention_counts":
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
            *(sa.Column(column, TYPES[column](), nullable=False) for column in key),
            *measures,
        )
        op.create_index(f"ux_{name}_key", name, ["workspace_id", *key], unique=True)
        zero = sa.text("n = 0")
        op.create_index(
            f"ix_{name}_zero", name, ["workspace_id"], sqlite_where=zero, postgresql_where=zero
        )
    # The maintenance code's own statements, so that the backfill and every later change
    # count alike (imported here: the tables above must exist first).
    # Only the five tables made here: a later migration's table does not exist yet (0028).
    from cxgap.db import listening_count_tables as t
    from cxgap.db.listening_counts import rebuild_all

    made = (t.ListeningCount, t.ListeningTopicCount, t.ListeningMentionCount,
            t.ListeningScoreCount, t.ListeningDriverCount)  # fmt: skip
    rebuild_all(op.get_bind(), made)


def downgrade() -> None:
    for name in reversed(KEYS):
        op.drop_index(f"ix_{name}_zero", table_name=name)
        op.drop_index(f"ux_{name}_key", table_name=name)
        op.drop_table(name)
