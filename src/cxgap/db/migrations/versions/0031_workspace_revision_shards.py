"""survey answers move the workspace's revision through sharded counters, not its row

Revision ID: 0031
Revises: 0027
Create Date: 2026-12-03 12:00:00.000000

Every answer taken on the short path updated ``workspaces.data_revision``: under load the
answers to one workspace queued on that row, on PostgreSQL one commit after the other. They
now add one to one of 16 rows per workspace in ``workspace_revision_shards`` (upserted), and
the revision the caches read is ``data_revision`` plus their sum (``db/revisions.py``). The
table starts empty: every revision stays what it was, so no cache is made stale.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0031"
down_revision: str | None = "0027"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "workspace_revision_shards",
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("shard", sa.SmallInteger(), autoincrement=False, nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["workspace_id"], ["workspaces.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("workspace_id", "shard"),
    )


def downgrade() -> None:
    # The answers' counts go into the workspace's row first, so no revision moves back.
    op.execute(
        "UPDATE workspaces SET data_revision = data_revision + COALESCE(("
        "SELECT SUM(revision) FROM workspace_revision_shards s "
        "WHERE s.workspace_id = workspaces.id), 0)"
    )
    op.drop_table("workspace_revision_shards")
