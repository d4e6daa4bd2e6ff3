"""the community's e-mail outbox and each person's e-mail preferences

Revision ID: 0055
Revises: 0054
Create Date: 2026-12-05 06:50:00.000000

Issue 15: a status change writes one ``community_notifications`` row per follower who wants
e-mail about ideas (``community_people.mail_ideas``), in the change's transaction; the worker
or ``cxgap notify send`` claims and delivers them, never twice.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0055"
down_revision: str | None = "0054"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("community_people") as table:
        table.add_column(
            sa.Column("mail_ideas", sa.Boolean(), nullable=False, server_default=sa.true())
        )
        table.add_column(
            sa.Column("mail_answers", sa.Boolean(), nullable=False, server_default=sa.true())
        )
    op.create_table(
        "community_notifications",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "workspace_id",
            sa.Integer(),
            sa.ForeignKey("workspaces.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column(
            "person_id",
            sa.Integer(),
            sa.ForeignKey("community_people.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column(
            "idea_id", sa.Integer(), sa.ForeignKey("ideas.id", ondelete="CASCADE"), nullable=True
        ),
        sa.Column(
            "status_change_id",
            sa.Integer(),
            sa.ForeignKey("idea_status_changes.id", ondelete="CASCADE"),
            nullable=True,
        ),
        sa.Column("base_url", sa.String(500), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("attempts", sa.SmallInteger(), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("failure", sa.String(200), nullable=False),
        sa.UniqueConstraint("person_id", "status_change_id"),
    )
    op.create_index(
        "ix_community_notifications_pending",
        "community_notifications",
        ["sent_at", "claimed_at", "id"],
    )


def downgrade() -> None:
    op.drop_table("community_notifications")
    with op.batch_alter_table("community_people") as table:
        table.drop_column("mail_answers")
        table.drop_column("mail_ideas")
