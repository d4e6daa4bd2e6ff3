"""customer responses: how long the answer took and the shop or agent it is about

``duration_seconds`` is measured by the public survey (a signed render time in the form),
null for imported and older answers; ``agent`` names the shop, agent or branch the answer
rates, for the integrity flags per unit (docs/integrity.md). Both nullable: nothing to fill.

Revision ID: 0039
Revises: 0040
Create Date: 2026-12-03 21:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0039"
down_revision: str | None = "0040"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("customer_responses", schema=None) as batch_op:
        batch_op.add_column(sa.Column("duration_seconds", sa.Float(), nullable=True))
        batch_op.add_column(sa.Column("agent", sa.String(length=128), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("customer_responses", schema=None) as batch_op:
        batch_op.drop_column("agent")
        batch_op.drop_column("duration_seconds")
