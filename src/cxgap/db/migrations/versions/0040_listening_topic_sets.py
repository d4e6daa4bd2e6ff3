"""the Listening counts per topic set: a topic, pillar or touchpoint-topics filter, and the
drivers under any month filter, from the counts

Revision ID: 0040
Revises: 0037
Create Date: 2026-12-03 21:20:00.000000

Under a topic or pillar filter every Listening page read the rows (> 30 s at 10 M on
PostgreSQL), and the drivers under a source, channel, language or sentiment filter too
(15-18 s): docs/scale.md, "Listening under filters at 10 M". Three tables keyed by the
month, the filters' dimensions and ``found``, the set of topics the record's findings are
about (``|a|b|``): a topic filter is a test on it, an OR of topics (a pillar) too, and the
scores' table also keeps the stored topic keys, the drivers' pattern. Filled from the rows by
the maintenance code's own statements, then kept by them.
"""

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0040"
down_revision: str | None = "0037"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

DIMENSIONS: list[tuple[str, Any]] = [
    ("month", sa.Date()),
    ("source_type", sa.String(16)),
    ("channel", sa.String(200)),
    ("language", sa.String(8)),
    ("sentiment", sa.String(8)),
    ("found", sa.Text()),
]
TABLES: dict[str, list[tuple[str, Any]]] = {
    "listening_set_counts": [],
    "listening_set_mention_counts": [
        ("topic_key", sa.String(64)),
        ("finding_sentiment", sa.String(8)),
    ],
    "listening_set_score_counts": [
        ("topics", sa.Text()),
        ("metric", sa.String(8)),
        ("value", sa.SmallInteger()),
    ],
}


def upgrade() -> None:
    for name, own in TABLES.items():
        key = [*DIMENSIONS, *own]
        measures: list[sa.Column[Any]] = [sa.Column("n", sa.Integer(), nullable=False)]
        if name == "listening_set_mention_counts":
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
            *(sa.Column(column, kind, nullable=False) for column, kind in key),
            *measures,
        )
        names = ["workspace_id", *(column for column, _ in key)]
        op.create_index(f"ux_{name}_key", name, names, unique=True)
        zero = sa.text("n = 0")
        op.create_index(
            f"ix_{name}_zero", name, ["workspace_id"], sqlite_where=zero, postgresql_where=zero
        )
    from cxgap.db.listening_count_tables import (
        ListeningSetCount,
        ListeningSetMentionCount,
        ListeningSetScoreCount,
    )
    from cxgap.db.listening_counts import rebuild_all

    rebuild_all(
        op.get_bind(), (ListeningSetCount, ListeningSetMentionCount, ListeningSetScoreCount)
    )


def downgrade() -> None:
    for name in reversed(TABLES):
        op.drop_index(f"ix_{name}_zero", table_name=name)
        op.drop_index(f"ux_{name}_key", table_name=name)
        op.drop_table(name)
