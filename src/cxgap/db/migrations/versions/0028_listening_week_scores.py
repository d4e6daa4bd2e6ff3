"""the scores counted per ISO week too: the Listening trends by week from the counts

Revision ID: 0028
Revises: 0031
Create Date: 2026-12-03 12:10:00.000000

The trends by week read every item for their score series (NPS, CSAT, CES, stars), since
the month counts cannot give weeks (one straddles two months): 2-3 s per series at 10 M
(docs/scale.md, "Listening under filters at 10 M"). ``listening_week_score_counts`` holds
what ``listening_score_counts`` holds with the Monday of the week (UTC) in place of the
month: about 105 weeks × the dimensions' cells, filled from the rows by the maintenance
code's own statement, then kept by it.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0028"
down_revision: str | None = "0031"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NAME = "listening_week_score_counts"
KEY = ["week", "source_type", "channel", "enriched", "language", "sentiment", "metric", "value"]


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
        sa.Column("week", sa.Date(), nullable=False),
        sa.Column("source_type", sa.String(16), nullable=False),
        sa.Column("channel", sa.String(200), nullable=False),
        sa.Column("enriched", sa.SmallInteger(), nullable=False),
        sa.Column("language", sa.String(8), nullable=False),
        sa.Column("sentiment", sa.String(8), nullable=False),
        sa.Column("metric", sa.String(8), nullable=False),
        sa.Column("value", sa.SmallInteger(), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
    )
    op.create_index(f"ux_{NAME}_key", NAME, ["workspace_id", *KEY], unique=True)
    zero = sa.text("n = 0")
    op.create_index(
        f"ix_{NAME}_zero", NAME, ["workspace_id"], sqlite_where=zero, postgresql_where=zero
    )
    from cxgap.db.listening_count_tables import ListeningWeekScoreCount
    from cxgap.db.listening_counts import rebuild_all

    rebuild_all(op.get_bind(), (ListeningWeekScoreCount,))


def downgrade() -> None:
    op.drop_index(f"ix_{NAME}_zero", table_name=NAME)
    op.drop_index(f"ux_{NAME}_key", table_name=NAME)
    op.drop_table(NAME)
