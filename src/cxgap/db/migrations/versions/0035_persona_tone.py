"""persona tone: how a persona is addressed in replies and how long they like them

Revision ID: 0035
Revises: 0033
Create Date: 2026-12-03 18:30:00.000000

Replies in the right tone (docs/replies.md): a persona says whether its customers are
addressed as *vous* (formal) or *tu* (casual), and whether they like short, standard or
detailed replies. Existing personas get the defaults (*vous*, standard).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0035"
down_revision: str | None = "0033"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Batch mode: SQLite rebuilds the table, PostgreSQL alters it in place.
    with op.batch_alter_table("personas", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("address", sa.String(8), nullable=False, server_default="vous")
        )
        batch_op.add_column(
            sa.Column("reply_length", sa.String(16), nullable=False, server_default="standard")
        )


def downgrade() -> None:
    with op.batch_alter_table("personas", schema=None) as batch_op:
        batch_op.drop_column("reply_length")
        batch_op.drop_column("address")
