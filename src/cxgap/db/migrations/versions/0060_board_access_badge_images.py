"""an open or closed, public or private idea board; images uploaded for badges

Revision ID: 0060
Revises: 0059
Create Date: 2026-12-05 09:00:00.000000

Issue 15: a closed board only reads (no new ideas, votes or comments); a private one shows
only to people signed in with an address on its allow-list (e-mail domains or addresses).
A badge may show an image the team uploaded (PNG, JPEG or WebP, kept in the database).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0060"
down_revision: str | None = "0059"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("idea_board_settings") as table:
        table.add_column(
            sa.Column("board_open", sa.Boolean(), nullable=False, server_default=sa.true())
        )
        table.add_column(
            sa.Column("private", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        table.add_column(sa.Column("allow_list", sa.Text(), nullable=False, server_default=""))
    op.create_table(
        "badge_images",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "workspace_id",
            sa.Integer(),
            sa.ForeignKey("workspaces.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("media_type", sa.String(20), nullable=False),
        sa.Column("width", sa.Integer(), nullable=False),
        sa.Column("height", sa.Integer(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    with op.batch_alter_table("badge_definitions") as table:
        table.add_column(sa.Column("image_id", sa.Integer(), nullable=True))
        table.create_foreign_key(
            "fk_badge_definitions_image_id",
            "badge_images",
            ["image_id"],
            ["id"],
            ondelete="SET NULL",
        )


def downgrade() -> None:
    with op.batch_alter_table("badge_definitions") as table:
        table.drop_constraint("fk_badge_definitions_image_id", type_="foreignkey")
        table.drop_column("image_id")
    op.drop_table("badge_images")
    with op.batch_alter_table("idea_board_settings") as table:
        table.drop_column("allow_list")
        table.drop_column("private")
        table.drop_column("board_open")
