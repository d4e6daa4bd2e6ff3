"""single sign-on: identity-provider link on users, the SSO policy, group → role mappings

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-03 01:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("oidc_issuer", sa.String(length=500), nullable=True))
        batch_op.add_column(sa.Column("oidc_subject", sa.String(length=255), nullable=True))
        batch_op.create_index(
            "ix_users_oidc_identity", ["oidc_issuer", "oidc_subject"], unique=True
        )
    op.create_table(
        "sso_policy",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("local_passwords", sa.Boolean(), nullable=False, server_default=sa.true()),
        sa.Column(
            "new_user_workspace_id",
            sa.Integer(),
            sa.ForeignKey("workspaces.id", ondelete="SET NULL"),
            nullable=True,
        ),
        sa.Column("new_user_role", sa.String(length=16), nullable=True),
    )
    op.create_table(
        "sso_group_roles",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("group_name", sa.String(length=200), nullable=False),
        sa.Column(
            "workspace_id",
            sa.Integer(),
            sa.ForeignKey("workspaces.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.UniqueConstraint("group_name", "workspace_id"),
    )


def downgrade() -> None:
    op.drop_table("sso_group_roles")
    op.drop_table("sso_policy")
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_index("ix_users_oidc_identity")
        batch_op.drop_column("oidc_subject")
        batch_op.drop_column("oidc_issuer")
