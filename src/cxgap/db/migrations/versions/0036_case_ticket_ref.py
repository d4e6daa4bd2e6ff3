"""cases: the id of the help-desk ticket an imported case came from

``cxgap cases import`` finds a case again by it, so importing the same file twice updates
the cases instead of duplicating them. Null for every case opened in cxgap.

Revision ID: 0036
Revises: 0035
Create Date: 2026-12-03 18:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0036"
down_revision: str | None = "0035"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.add_column(sa.Column("ticket_ref", sa.String(length=200), nullable=True))
        batch_op.create_index("ix_cases_ws_ticket_ref", ["workspace_id", "ticket_ref"], unique=True)


def downgrade() -> None:
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.drop_index("ix_cases_ws_ticket_ref")
        batch_op.drop_column("ticket_ref")
