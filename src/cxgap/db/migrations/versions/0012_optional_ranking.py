"""internal pillar scores: the rank is optional (an untouched ranking is not a ranking)

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02 20:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("internal_pillar_scores", schema=None) as batch_op:
        batch_op.alter_column("rank", existing_type=sa.SmallInteger(), nullable=True)


def downgrade() -> None:
    unranked = op.get_bind().scalar(
        sa.text("SELECT count(*) FROM internal_pillar_scores WHERE rank IS NULL")
    )
    if unranked:
        raise RuntimeError(
            f"Cannot downgrade: {unranked} internal pillar scores have no rank "
            "(colleagues who did not rank the pillars); the old schema requires one"
        )
    with op.batch_alter_table("internal_pillar_scores", schema=None) as batch_op:
        batch_op.alter_column("rank", existing_type=sa.SmallInteger(), nullable=False)
