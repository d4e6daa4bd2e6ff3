"""case recoveries: the recovery survey sent when a case is resolved or closed

Revision ID: 0034
Revises: 0036
Create Date: 2026-12-03 18:30:00.000000

One row per survey sent: the SHA-256 of its link's token, the address and language it went
to, when it was sent and answered, the CSAT score and comment, and the Listening feedback
record the answer became (docs/cases.md, "Recovery survey"); and each workspace's default
(the survey ticked on closing, or not).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0034"
down_revision: str | None = "0036"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _fk(name: str, target: str, ondelete: str, *, nullable: bool = False) -> sa.Column[int]:
    key = sa.ForeignKey(f"{target}.id", ondelete=ondelete)
    return sa.Column(name, sa.Integer(), key, nullable=nullable)


def _when(name: str, *, nullable: bool = False) -> sa.Column[object]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "case_recoveries",
        sa.Column("id", sa.Integer(), primary_key=True),
        _fk("workspace_id", "workspaces", "CASCADE"),
        _fk("case_id", "cases", "CASCADE"),
        sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("email", sa.String(254), nullable=False),
        sa.Column("email_hash", sa.String(64), nullable=False),
        sa.Column("language", sa.String(5), nullable=False),
        _fk("requested_by_id", "users", "SET NULL", nullable=True),
        _when("created_at"),
        _when("expires_at"),
        _when("sent_at", nullable=True),
        sa.Column("failure", sa.String(200), nullable=False),
        _when("answered_at", nullable=True),
        sa.Column("score", sa.SmallInteger(), nullable=True),
        sa.Column("comment", sa.Text(), nullable=True),
        _fk("feedback_id", "feedback", "SET NULL", nullable=True),
    )
    op.create_index("ix_case_recoveries_case", "case_recoveries", ["case_id"])
    op.create_table(
        "case_recovery_settings",
        sa.Column(
            "workspace_id",
            sa.Integer(),
            sa.ForeignKey("workspaces.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("send_on_close", sa.Boolean(), nullable=False),
        _when("updated_at"),
    )


def downgrade() -> None:
    op.drop_table("case_recovery_settings")
    op.drop_index("ix_case_recoveries_case", table_name="case_recoveries")
    op.drop_table("case_recoveries")
