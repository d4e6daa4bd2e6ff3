"""e-mail: member invitations, forced password change, survey waves, recipients, opt-outs

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-02 20:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "must_change_password", sa.Boolean(), nullable=False, server_default=sa.false()
            )
        )
    with op.batch_alter_table("survey_invitations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("opened_at", sa.DateTime(timezone=True), nullable=True))
    op.create_table(
        "member_invitations",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "user_id", sa.Integer(), sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column(
            "workspace_id",
            sa.Integer(),
            sa.ForeignKey("workspaces.id", ondelete="CASCADE"),
            nullable=True,
        ),
        sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_member_invitations_user_id", "member_invitations", ["user_id"])
    op.create_table(
        "mail_opt_outs",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "workspace_id",
            sa.Integer(),
            sa.ForeignKey("workspaces.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("email_hash", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("workspace_id", "email_hash"),
    )
    op.create_table(
        "survey_waves",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "survey_id",
            sa.Integer(),
            sa.ForeignKey("customer_surveys.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("file_name", sa.String(255), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reminded_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("skipped_opted_out", sa.Integer(), nullable=False),
        sa.Column("skipped_invited", sa.Integer(), nullable=False),
    )
    op.create_index("ix_survey_waves_survey_id", "survey_waves", ["survey_id"])
    op.create_table(
        "survey_recipients",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "wave_id",
            sa.Integer(),
            sa.ForeignKey("survey_waves.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column(
            "invitation_id",
            sa.Integer(),
            sa.ForeignKey("survey_invitations.id", ondelete="CASCADE"),
            nullable=False,
            unique=True,
        ),
        sa.Column("email", sa.String(254), nullable=False),
        sa.Column("email_hash", sa.String(64), nullable=False),
        sa.Column("language", sa.String(5), nullable=False),
        sa.Column("segment_key", sa.String(64), nullable=True),
        sa.Column("customer_ref", sa.String(128), nullable=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("failure", sa.String(200), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reminded_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index("ix_survey_recipients_wave_id", "survey_recipients", ["wave_id"])
    op.create_index("ix_survey_recipients_email_hash", "survey_recipients", ["email_hash"])


def downgrade() -> None:
    op.drop_table("survey_recipients")
    op.drop_table("survey_waves")
    op.drop_table("mail_opt_outs")
    op.drop_table("member_invitations")
    with op.batch_alter_table("survey_invitations", schema=None) as batch_op:
        batch_op.drop_column("opened_at")
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("must_change_password")
