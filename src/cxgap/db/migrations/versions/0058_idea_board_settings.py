"""each workspace's idea board settings: moderation of new ideas

Revision ID: 0058
Revises: 0057
Create Date: 2026-12-05 07:00:00.000000

Issue 15: a workspace that moderates its board sees new ideas in a queue (approve, decline,
block the author) before they show on the public board.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0058"
down_revision: str | None = "0057"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "idea_board_settings",
        sa.Column(
            "workspace_id",
            sa.Integer(),
            sa.ForeignKey("workspaces.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("moderate_ideas", sa.Boolean(), nullable=False, server_default=sa.false()),
    )


def downgrade() -> None:
    op.drop_table("idea_board_settings")
