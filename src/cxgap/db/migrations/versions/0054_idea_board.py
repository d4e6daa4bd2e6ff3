"""the idea board: community people, statuses, ideas, votes, followers, comments, tags

Revision ID: 0054
Revises: 0053
Create Date: 2026-12-05 06:40:00.000000

Issue 15 ("CX at scale: community"): customers post ideas, vote, comment and follow; the
team defines the board's statuses over six fixed kinds and tells the followers of each
change (``idea_status_changes``, also the changelog). Every workspace gets the default
statuses (``community.statuses.DEFAULT_STATUSES``) when it first opens its board, not here.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0054"
down_revision: str | None = "0053"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _key(name: str, table: str, ondelete: str | None = "CASCADE", **kw: bool) -> sa.Column[int]:
    return sa.Column(
        name,
        sa.Integer(),
        sa.ForeignKey(f"{table}.id", ondelete=ondelete),
        nullable=kw.get("null", False),
    )


def _id() -> sa.Column[int]:
    return sa.Column("id", sa.Integer(), primary_key=True)


def _at(name: str = "created_at", null: bool = False) -> sa.Column[object]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=null)


def upgrade() -> None:
    op.create_table(
        "community_people",
        _id(),
        _key("workspace_id", "workspaces"),
        sa.Column("email", sa.String(254), nullable=True),
        sa.Column("email_hash", sa.String(64), nullable=True),
        sa.Column("anonymous_key", sa.String(64), nullable=True),
        sa.Column("display_name", sa.String(80), nullable=False),
        sa.Column("language", sa.String(5), nullable=False),
        sa.Column("blocked", sa.Boolean(), nullable=False),
        _at(),
        sa.UniqueConstraint("workspace_id", "email_hash"),
        sa.UniqueConstraint("workspace_id", "anonymous_key"),
    )
    op.create_table(
        "idea_statuses",
        _id(),
        _key("workspace_id", "workspaces"),
        sa.Column("key", sa.String(40), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("name_en", sa.String(80), nullable=False),
        sa.Column("name_fr", sa.String(80), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.UniqueConstraint("workspace_id", "key"),
    )
    op.create_table(
        "ideas",
        _id(),
        _key("workspace_id", "workspaces"),
        sa.Column("title", sa.String(160), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("language", sa.String(5), nullable=False),
        _key("status_id", "idea_statuses", None),
        _key("author_id", "community_people", "SET NULL", null=True),
        sa.Column("moderation", sa.String(16), nullable=False),
        _key("merged_into_id", "ideas", "SET NULL", null=True),
        sa.Column("status_message", sa.Text(), nullable=False),
        _at(),
        _at("status_changed_at", null=True),
    )
    op.create_index("ix_ideas_ws_status", "ideas", ["workspace_id", "status_id"])
    for table in ("idea_votes", "idea_followers"):
        op.create_table(
            table,
            _id(),
            _key("idea_id", "ideas"),
            _key("person_id", "community_people"),
            _at(),
            sa.UniqueConstraint("idea_id", "person_id"),
        )
    op.create_index("ix_idea_votes_person", "idea_votes", ["person_id"])
    op.create_table(
        "idea_comments",
        _id(),
        _key("idea_id", "ideas"),
        _key("person_id", "community_people", "SET NULL", null=True),
        _key("user_id", "users", "SET NULL", null=True),
        sa.Column("body", sa.Text(), nullable=False),
        _at(),
    )
    op.create_index("ix_idea_comments_idea", "idea_comments", ["idea_id", "created_at"])
    op.create_table(
        "idea_tags",
        _id(),
        _key("workspace_id", "workspaces"),
        sa.Column("key", sa.String(40), nullable=False),
        sa.Column("name_en", sa.String(80), nullable=False),
        sa.Column("name_fr", sa.String(80), nullable=False),
        sa.UniqueConstraint("workspace_id", "key"),
    )
    op.create_table(
        "idea_tag_links",
        sa.Column(
            "idea_id", sa.Integer(), sa.ForeignKey("ideas.id", ondelete="CASCADE"), primary_key=True
        ),
        sa.Column(
            "tag_id",
            sa.Integer(),
            sa.ForeignKey("idea_tags.id", ondelete="CASCADE"),
            primary_key=True,
        ),
    )
    op.create_table(
        "idea_status_changes",
        _id(),
        _key("idea_id", "ideas"),
        _key("from_status_id", "idea_statuses", "SET NULL", null=True),
        _key("to_status_id", "idea_statuses", None),
        sa.Column("message", sa.Text(), nullable=False),
        _key("user_id", "users", "SET NULL", null=True),
        _at(),
    )
    op.create_index("ix_idea_status_changes_idea", "idea_status_changes", ["idea_id", "created_at"])


def downgrade() -> None:
    op.drop_table("idea_status_changes")
    op.drop_table("idea_tag_links")
    op.drop_table("idea_tags")
    op.drop_table("idea_comments")
    op.drop_table("idea_followers")
    op.drop_table("idea_votes")
    op.drop_table("ideas")
    op.drop_table("idea_statuses")
    op.drop_table("community_people")
