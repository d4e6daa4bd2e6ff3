"""one job model: enrichment_jobs becomes jobs, with a kind, a payload, a result, retries,
a schedule time, an exclusivity key, a de-duplication key and a cancel request

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-03 06:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0019"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("enrichment_jobs", schema=None) as batch_op:
        batch_op.drop_index("ix_enrichment_jobs_ws_status")
    op.rename_table("enrichment_jobs", "jobs")
    with op.batch_alter_table("jobs", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("kind", sa.String(length=32), nullable=False, server_default="enrich")
        )
        batch_op.alter_column("workspace_id", existing_type=sa.Integer(), nullable=True)
        batch_op.add_column(
            sa.Column("payload", sa.JSON(), nullable=False, server_default=sa.text("'{}'"))
        )
        batch_op.add_column(sa.Column("result", sa.JSON(), nullable=True))
        batch_op.add_column(
            sa.Column("stage", sa.String(length=64), nullable=False, server_default="")
        )
        batch_op.add_column(sa.Column("attempts", sa.Integer(), nullable=False, server_default="0"))
        batch_op.add_column(
            sa.Column("max_attempts", sa.Integer(), nullable=False, server_default="1")
        )
        batch_op.add_column(sa.Column("run_after", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("exclusive", sa.String(length=160), nullable=True))
        batch_op.add_column(sa.Column("dedupe", sa.String(length=160), nullable=True))
        batch_op.add_column(
            sa.Column("cancel_requested", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.add_column(sa.Column("requested_by_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            "fk_jobs_requested_by", "users", ["requested_by_id"], ["id"], ondelete="SET NULL"
        )
        batch_op.create_index("ix_jobs_ws_status", ["workspace_id", "status"], unique=False)
        batch_op.create_index("ix_jobs_status_kind", ["status", "kind"], unique=False)
        batch_op.create_index("ix_jobs_exclusive", ["exclusive", "status"], unique=False)
        batch_op.create_index("ix_jobs_dedupe", ["dedupe"], unique=True)
    # Every job before this revision was an enrichment job, of one workspace.
    op.execute(
        "UPDATE jobs SET exclusive = 'enrich:' || CAST(workspace_id AS VARCHAR(20)), "
        "max_attempts = 1"
    )


def downgrade() -> None:
    op.execute("DELETE FROM jobs WHERE kind <> 'enrich'")
    with op.batch_alter_table("jobs", schema=None) as batch_op:
        batch_op.drop_index("ix_jobs_dedupe")
        batch_op.drop_index("ix_jobs_exclusive")
        batch_op.drop_index("ix_jobs_status_kind")
        batch_op.drop_index("ix_jobs_ws_status")
        batch_op.drop_constraint("fk_jobs_requested_by", type_="foreignkey")
        for column in (
            "requested_by_id",
            "cancel_requested",
            "dedupe",
            "exclusive",
            "run_after",
            "max_attempts",
            "attempts",
            "stage",
            "result",
            "payload",
            "kind",
        ):
            batch_op.drop_column(column)
        batch_op.alter_column("workspace_id", existing_type=sa.Integer(), nullable=False)
    op.rename_table("jobs", "enrichment_jobs")
    with op.batch_alter_table("enrichment_jobs", schema=None) as batch_op:
        batch_op.create_index(
            "ix_enrichment_jobs_ws_status", ["workspace_id", "status"], unique=False
        )
