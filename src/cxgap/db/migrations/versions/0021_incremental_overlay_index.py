"""incremental overlay index: marks of what the index covers, indexes to find what changed

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-03 06:20:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0021"
down_revision: str | None = "0020"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # The stored states lack the new marks: forget them, the next view rebuilds whole.
    op.execute("DELETE FROM overlay_index_state")
    with op.batch_alter_table("overlay_index_state", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("feedback_seen", sa.Integer(), nullable=False, server_default="0")
        )
        batch_op.add_column(
            sa.Column("feedback_folded", sa.Integer(), nullable=False, server_default="0")
        )
        batch_op.add_column(sa.Column("updated_seen", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(
            sa.Column("revision_seen", sa.Integer(), nullable=False, server_default="0")
        )
    with op.batch_alter_table("feedback", schema=None) as batch_op:
        batch_op.create_index("ix_feedback_ws_updated_at", ["workspace_id", "updated_at"])
    with op.batch_alter_table("touchpoint_feedback", schema=None) as batch_op:
        batch_op.create_index("ix_touchpoint_feedback_feedback", ["feedback_id"])
    with op.batch_alter_table("touchpoint_irritants", schema=None) as batch_op:
        batch_op.create_index("ix_touchpoint_irritants_feedback", ["feedback_id"])


def downgrade() -> None:
    with op.batch_alter_table("touchpoint_irritants", schema=None) as batch_op:
        batch_op.drop_index("ix_touchpoint_irritants_feedback")
    with op.batch_alter_table("touchpoint_feedback", schema=None) as batch_op:
        batch_op.drop_index("ix_touchpoint_feedback_feedback")
    with op.batch_alter_table("feedback", schema=None) as batch_op:
        batch_op.drop_index("ix_feedback_ws_updated_at")
    with op.batch_alter_table("overlay_index_state", schema=None) as batch_op:
        batch_op.drop_column("revision_seen")
        batch_op.drop_column("updated_seen")
        batch_op.drop_column("feedback_folded")
        batch_op.drop_column("feedback_seen")
