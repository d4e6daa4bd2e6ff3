"""report schedule: the monthly executive report of a workspace, e-mailed as a PDF

Revision ID: 0041
Revises: 0034
Create Date: 2026-12-03 21:40:00.000000

One row per workspace: on or off, the language and paper of the PDF, the members it goes to
(user ids) and the last month sent (docs/reports.md).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0041"
down_revision: str | None = "0034"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "report_schedules",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "workspace_id",
            sa.Integer(),
            sa.ForeignKey("workspaces.id", ondelete="CASCADE"),
            nullable=False,
            unique=True,
        ),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("locale", sa.String(5), nullable=False),
        sa.Column("paper", sa.String(8), nullable=False),
        sa.Column("recipient_ids", sa.JSON(), nullable=False),
        sa.Column("last_period", sa.String(32), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("report_schedules")
