"""the drivers' patterns keyed by one filter dimension, without the month

Revision ID: 0049
Revises: 0048
Create Date: 2026-12-04 18:00:00.000000

Under a source, channel, language or sentiment filter the drivers page read the topic-set
score counts' slice for the filter, keyed by the month and every dimension: a few million
rows at 10 M (docs/scale.md, "The drivers page"). ``listening_dimension_driver_counts``
holds the drivers' patterns (score, stored topics) per dimension and value over all time:
the page's default period. Filled by summing the topic-set score counts, which hold the same
records by month and every dimension (one grouped pass over a count table per dimension, not
over the rows), then kept by the maintenance code's own statements.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0049"
down_revision: str | None = "0048"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NAME = "listening_dimension_driver_counts"
KEY = ["dimension", "dim_value", "metric", "value", "topics"]


def upgrade() -> None:
    op.create_table(
        NAME,
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "workspace_id",
            sa.Integer(),
            sa.ForeignKey("workspaces.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("dimension", sa.String(16), nullable=False),
        sa.Column("dim_value", sa.String(200), nullable=False),
        sa.Column("metric", sa.String(8), nullable=False),
        sa.Column("value", sa.SmallInteger(), nullable=False),
        sa.Column("topics", sa.Text(), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
    )
    from cxgap.db.listening_dimensions import fill_from_sets

    bind = op.get_bind()
    fill_from_sets(bind)  # distinct groups: the unique key made after, one index build
    op.create_index(f"ux_{NAME}_key", NAME, ["workspace_id", *KEY], unique=True)
    zero = sa.text("n = 0")
    op.create_index(
        f"ix_{NAME}_zero", NAME, ["workspace_id"], sqlite_where=zero, postgresql_where=zero
    )
    if bind.dialect.name == "postgresql":
        op.execute(f"ANALYZE {NAME}")


def downgrade() -> None:
    op.drop_index(f"ix_{NAME}_zero", table_name=NAME)
    op.drop_index(f"ux_{NAME}_key", table_name=NAME)
    op.drop_table(NAME)
