"""ideas linked to an action plan or a case

Revision ID: 0061
Revises: 0063
Create Date: 2026-12-05 09:00:00.000000

Issue 15: an idea of the board can be linked to the action plan that answers it or to a
customer's case; deleting either end deletes the link.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0061"
down_revision: str | None = "0063"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "idea_links",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "workspace_id",
            sa.Integer(),
            sa.ForeignKey("workspaces.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column(
            "idea_id", sa.Integer(), sa.ForeignKey("ideas.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("target_kind", sa.String(16), nullable=False),
        sa.Column(
            "action_id",
            sa.Integer(),
            sa.ForeignKey("actions.id", ondelete="CASCADE"),
            nullable=True,
        ),
        sa.Column(
            "case_id", sa.Integer(), sa.ForeignKey("cases.id", ondelete="CASCADE"), nullable=True
        ),
        sa.Column(
            "created_by_id",
            sa.Integer(),
            sa.ForeignKey("users.id", ondelete="SET NULL"),
            nullable=True,
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("idea_id", "action_id", name="uq_idea_links_action"),
        sa.UniqueConstraint("idea_id", "case_id", name="uq_idea_links_case"),
        sa.CheckConstraint(
            "(target_kind = 'action_plan' AND action_id IS NOT NULL AND case_id IS NULL)"
            " OR (target_kind = 'case' AND case_id IS NOT NULL AND action_id IS NULL)",
            name="ck_idea_links_one_target",
        ),
    )
    op.create_index("ix_idea_links_action", "idea_links", ["action_id"])
    op.create_index("ix_idea_links_case", "idea_links", ["case_id"])


def downgrade() -> None:
    op.drop_index("ix_idea_links_case", table_name="idea_links")
    op.drop_index("ix_idea_links_action", table_name="idea_links")
    op.drop_table("idea_links")
