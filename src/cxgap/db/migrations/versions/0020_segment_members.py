"""segment membership materialised: segment_members, segment_membership, feedback indexes

Revision ID: 0020
Revises: 0024
Create Date: 2026-12-03 06:30:00.000000

The members are not computed here: the first read of each segment builds them
(``db.segment_members.catch_up``), in the transaction of that read.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0020"
down_revision: str | None = "0024"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "segment_members",
        sa.Column(
            "segment_id",
            sa.Integer(),
            sa.ForeignKey("segments.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column(
            "feedback_id",
            sa.Integer(),
            sa.ForeignKey("feedback.id", ondelete="CASCADE"),
            primary_key=True,
        ),
    )
    op.create_index("ix_segment_members_feedback", "segment_members", ["feedback_id"])
    op.create_table(
        "segment_membership",
        sa.Column(
            "segment_id",
            sa.Integer(),
            sa.ForeignKey("segments.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column(
            "workspace_id",
            sa.Integer(),
            sa.ForeignKey("workspaces.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("rule", sa.Text(), nullable=False),
        sa.Column("feedback_upto", sa.BigInteger(), nullable=False),
        sa.Column("built_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_segment_membership_workspace_id", "segment_membership", ["workspace_id"])
    op.create_index("ix_feedback_ws_id", "feedback", ["workspace_id", "id"])
    op.create_index("ix_feedback_import_id", "feedback", ["import_id"])


def downgrade() -> None:
    op.drop_index("ix_feedback_import_id", table_name="feedback")
    op.drop_index("ix_feedback_ws_id", table_name="feedback")
    op.drop_table("segment_membership")
    op.drop_table("segment_members")
