"""a colour for each idea tag

Revision ID: 0059
Revises: 0062
Create Date: 2026-12-05 09:00:00.000000

Issue 15: the team creates the board's tags (names in English and French, a colour among
``community.tags.COLOURS``) and puts them on ideas; the board shows each idea's tags.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0059"
down_revision: str | None = "0062"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("idea_tags") as table:
        table.add_column(
            sa.Column("colour", sa.String(7), nullable=False, server_default="#2563eb")
        )


def downgrade() -> None:
    with op.batch_alter_table("idea_tags") as table:
        table.drop_column("colour")
