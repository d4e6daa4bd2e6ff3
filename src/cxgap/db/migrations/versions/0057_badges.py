"""power users and badges: levels, badge definitions, awards, public badge pages

Revision ID: 0057
Revises: 0056
Create Date: 2026-12-05 07:00:00.000000

Issue 15: the levels a workspace sets over the reputation score (``community.reputation``),
its badges as data (``community.badges``: rule ``metric >= N``, one-time or repeatable), the
copies each person holds (revoked when the rule stops holding), and each person's random
public slug for the shareable badge page.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0057"
down_revision: str | None = "0056"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _workspace() -> sa.Column[int]:
    return sa.Column(
        "workspace_id",
        sa.Integer(),
        sa.ForeignKey("workspaces.id", ondelete="CASCADE"),
        nullable=False,
    )


def upgrade() -> None:
    with op.batch_alter_table("community_people") as table:
        table.add_column(sa.Column("public_slug", sa.String(24), nullable=True))
        table.create_unique_constraint("uq_community_people_public_slug", ["public_slug"])
    op.create_table(
        "community_levels",
        sa.Column("id", sa.Integer(), primary_key=True),
        _workspace(),
        sa.Column("key", sa.String(40), nullable=False),
        sa.Column("name_en", sa.String(80), nullable=False),
        sa.Column("name_fr", sa.String(80), nullable=False),
        sa.Column("threshold", sa.Integer(), nullable=False),
        sa.UniqueConstraint("workspace_id", "key"),
    )
    op.create_table(
        "badge_definitions",
        sa.Column("id", sa.Integer(), primary_key=True),
        _workspace(),
        sa.Column("key", sa.String(40), nullable=False),
        sa.Column("name_en", sa.String(80), nullable=False),
        sa.Column("name_fr", sa.String(80), nullable=False),
        sa.Column("description_en", sa.String(300), nullable=False),
        sa.Column("description_fr", sa.String(300), nullable=False),
        sa.Column("image", sa.String(80), nullable=False),
        sa.Column("rule", sa.String(80), nullable=False),
        sa.Column("repeatable", sa.Boolean(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.UniqueConstraint("workspace_id", "key"),
    )
    op.create_table(
        "badge_awards",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "badge_id",
            sa.Integer(),
            sa.ForeignKey("badge_definitions.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column(
            "person_id",
            sa.Integer(),
            sa.ForeignKey("community_people.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("copy", sa.Integer(), nullable=False),
        sa.Column("awarded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index("ix_badge_awards_person", "badge_awards", ["person_id", "revoked_at"])
    op.create_index("ix_badge_awards_badge", "badge_awards", ["badge_id", "person_id", "copy"])


def downgrade() -> None:
    op.drop_table("badge_awards")
    op.drop_table("badge_definitions")
    op.drop_table("community_levels")
    with op.batch_alter_table("community_people") as table:
        table.drop_constraint("uq_community_people_public_slug", type_="unique")
        table.drop_column("public_slug")
