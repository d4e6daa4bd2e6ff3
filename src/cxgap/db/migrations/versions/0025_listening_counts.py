"""Listening counts pre-aggregated: five count tables, filled from the rows

Revision ID: 0025
Revises: 0022
Create Date: 2026-12-03 09:30:00.000000

The Listening screens read these instead of every verbatim when their filters are keys of
the counts (docs/scale.md, "Listening counts pre-aggregated"). The backfill is set-based:
one ``INSERT … SELECT … GROUP BY`` per table (and per score column) over all workspaces, so
10 M rows take minutes, not hours. ``cxgap listening rebuild-counts`` recomputes one
workspace the same way.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0025"
down_revision: str | None = "0022"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

DIMENSIONS = ["day", "source_type", "channel", "touchpoint", "enriched", "language", "sentiment"]


def _columns(table: str) -> tuple[list[str], list[sa.Column]]:  # type: ignore[type-arg]
    if table == "listening_counts":
        return [], [sa.Column("n", sa.Integer(), nullable=False)]
    if table == "listening_topic_counts":
        return ["topic_key"], [
            sa.Column("topic_key", sa.String(64), nullable=False),
            sa.Column("n", sa.Integer(), nullable=False),
        ]
    if table == "listening_mention_counts":
        return ["topic_key", "finding_sentiment"], [
            sa.Column("topic_key", sa.String(64), nullable=False),
            sa.Column("finding_sentiment", sa.String(8), nullable=False),
            sa.Column("n", sa.Integer(), nullable=False),
            sa.Column("score_sum", sa.Float(), nullable=False),
        ]
    if table == "listening_score_counts":
        return ["metric", "value"], [
            sa.Column("metric", sa.String(8), nullable=False),
            sa.Column("value", sa.SmallInteger(), nullable=False),
            sa.Column("n", sa.Integer(), nullable=False),
        ]
    return ["metric", "value", "topics"], [
        sa.Column("metric", sa.String(8), nullable=False),
        sa.Column("value", sa.SmallInteger(), nullable=False),
        sa.Column("topics", sa.Text(), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
    ]


NAMES = [
    "listening_counts",
    "listening_topic_counts",
    "listening_mention_counts",
    "listening_score_counts",
    "listening_driver_counts",
]


def upgrade() -> None:
    for name in NAMES:
        extra, own = _columns(name)
        op.create_table(
            name,
            *own,
            sa.Column("id", sa.Integer(), primary_key=True),
            sa.Column(
                "workspace_id",
                sa.Integer(),
                sa.ForeignKey("workspaces.id", ondelete="CASCADE"),
                nullable=False,
            ),
            sa.Column("day", sa.Date(), nullable=False),
            sa.Column("source_type", sa.String(16), nullable=False),
            sa.Column("channel", sa.String(200), nullable=False),
            sa.Column("touchpoint", sa.String(200), nullable=False),
            sa.Column("enriched", sa.SmallInteger(), nullable=False),
            sa.Column("language", sa.String(8), nullable=False),
            sa.Column("sentiment", sa.String(8), nullable=False),
        )
        op.create_index(f"ux_{name}_key", name, ["workspace_id", *DIMENSIONS, *extra], unique=True)
    # The maintenance code's own statements, so that the backfill and every later change
    # count alike (imported here: the tables above must exist first).
    from cxgap.db.listening_counts import rebuild_all

    rebuild_all(op.get_bind())


def downgrade() -> None:
    for name in reversed(NAMES):
        op.drop_index(f"ux_{name}_key", table_name=name)
        op.drop_table(name)
