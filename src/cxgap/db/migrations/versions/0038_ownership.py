"""ownership: teams owning pillars and touchpoints, and the worsening alerts sent

Revision ID: 0038
Revises: 0039
Create Date: 2026-12-03 21:30:00.000000

One row per (subject, team): a pillar or a journey touchpoint key owned by a team; and one row
per worsening announced to a subject's owners, with its window (once per subject and window)
and the figures sent, never the verbatims (docs/ownership.md).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0038"
down_revision: str | None = "0039"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _fk(name: str, target: str) -> sa.Column[int]:
    key = sa.ForeignKey(f"{target}.id", ondelete="CASCADE")
    return sa.Column(name, sa.Integer(), key, nullable=False)


def _when(name: str) -> sa.Column[object]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=False)


def upgrade() -> None:
    op.create_table(
        "ownerships",
        sa.Column("id", sa.Integer(), primary_key=True),
        _fk("workspace_id", "workspaces"),
        sa.Column("subject_kind", sa.String(16), nullable=False),
        sa.Column("subject_key", sa.String(200), nullable=False),
        _fk("team_id", "teams"),
        _when("created_at"),
        sa.UniqueConstraint("workspace_id", "subject_kind", "subject_key", "team_id"),
    )
    op.create_index("ix_ownerships_team", "ownerships", ["team_id"])
    op.create_table(
        "ownership_alerts",
        sa.Column("id", sa.Integer(), primary_key=True),
        _fk("workspace_id", "workspaces"),
        sa.Column("subject_kind", sa.String(16), nullable=False),
        sa.Column("subject_key", sa.String(200), nullable=False),
        _when("window_start"),
        _when("window_end"),
        sa.Column("figures", sa.JSON(), nullable=False),
        sa.Column("recipients", sa.Integer(), nullable=False),
        _when("created_at"),
        sa.UniqueConstraint("workspace_id", "subject_kind", "subject_key", "window_end"),
    )


def downgrade() -> None:
    op.drop_table("ownership_alerts")
    op.drop_index("ix_ownerships_team", table_name="ownerships")
    op.drop_table("ownerships")
