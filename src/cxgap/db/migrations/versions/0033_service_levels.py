"""service levels: the workspace's calendar, policies and menu, its accounts and incidents

Revision ID: 0033
Revises: 0032
Create Date: 2026-12-03 15:30:00.000000

The SLA engine (``cxgap.sla``) reads JSON documents; a workspace now keeps its own: the
document (calendar, ordered policies, tiers) with its previous versions, the accounts and
their tier, and the availability incidents behind the service credits (docs/service-menu.md).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0033"
down_revision: str | None = "0032"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _workspace() -> sa.Column[int]:
    return sa.Column(
        "workspace_id",
        sa.Integer(),
        sa.ForeignKey("workspaces.id", ondelete="CASCADE"),
        nullable=False,
    )


def _updated_by() -> sa.Column[int]:
    return sa.Column(
        "updated_by_id", sa.Integer(), sa.ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )


def upgrade() -> None:
    op.create_table(
        "service_level_documents",
        sa.Column(
            "workspace_id",
            sa.Integer(),
            sa.ForeignKey("workspaces.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("document", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        _updated_by(),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("published", sa.Boolean(), nullable=False),
        sa.Column("public_slug", sa.String(64), nullable=True, unique=True),
    )
    op.create_table(
        "service_level_versions",
        sa.Column("id", sa.Integer(), primary_key=True),
        _workspace(),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("document", sa.Text(), nullable=False),
        _updated_by(),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("workspace_id", "version"),
    )
    op.create_table(
        "service_accounts",
        sa.Column("id", sa.Integer(), primary_key=True),
        _workspace(),
        sa.Column("key", sa.String(100), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("tier", sa.String(100), nullable=True),
        sa.Column("contact", sa.String(320), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("workspace_id", "key"),
    )
    op.create_table(
        "availability_incidents",
        sa.Column("id", sa.Integer(), primary_key=True),
        _workspace(),
        sa.Column("start", sa.DateTime(timezone=True), nullable=False),
        sa.Column("end", sa.DateTime(timezone=True), nullable=False),
        sa.Column("accounts", sa.Text(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index(
        "ix_availability_incidents_workspace_start",
        "availability_incidents",
        ["workspace_id", "start"],
    )


def downgrade() -> None:
    op.drop_index("ix_availability_incidents_workspace_start", table_name="availability_incidents")
    op.drop_table("availability_incidents")
    op.drop_table("service_accounts")
    op.drop_table("service_level_versions")
    op.drop_table("service_level_documents")
