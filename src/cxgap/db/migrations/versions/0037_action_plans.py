"""action plans: actions, their steps and comments, the reminder setting

Revision ID: 0037
Revises: 0041
Create Date: 2026-12-03 21:10:00.000000

An action is tied to what it should move (a pillar, topic, touchpoint, driver, persona or
segment: a checked string, so a new kind needs no migration), has an owner, a team, a start
and due date, a status, a progress, and the metric it targets (``impact.target.MetricTarget``
spread over five columns); the reminders already sent are kept on it so none goes twice.
And each workspace's reminder setting: how many days before the due date owners are told
(docs/actions.md, "Action plans").
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0037"
down_revision: str | None = "0041"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _fk(name: str, target: str, ondelete: str, *, nullable: bool = True) -> sa.Column[int]:
    key = sa.ForeignKey(f"{target}.id", ondelete=ondelete)
    return sa.Column(name, sa.Integer(), key, nullable=nullable)


def _when(name: str, *, nullable: bool = False) -> sa.Column[object]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def _text(name: str, size: int) -> sa.Column[str]:
    return sa.Column(name, sa.String(size), nullable=True)


def upgrade() -> None:
    op.create_table(
        "actions",
        sa.Column("id", sa.Integer(), primary_key=True),
        _fk("workspace_id", "workspaces", "CASCADE", nullable=False),
        sa.Column("title", sa.String(300), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        _text("subject_kind", 20),
        _text("subject_key", 200),
        _fk("owner_id", "users", "SET NULL"),
        _fk("team_id", "teams", "SET NULL"),
        sa.Column("start_date", sa.Date(), nullable=True),
        sa.Column("due_date", sa.Date(), nullable=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("progress", sa.SmallInteger(), nullable=False),
        _text("metric", 32),
        _text("metric_pillar", 200),
        _text("metric_topic", 200),
        _text("metric_touchpoint", 200),
        _text("metric_segment", 200),
        _when("created_at"),
        _when("updated_at"),
        _fk("created_by_id", "users", "SET NULL"),
        _fk("updated_by_id", "users", "SET NULL"),
        _text("reminded_stage", 16),
        sa.Column("reminded_due", sa.Date(), nullable=True),
        _when("reminded_at", nullable=True),
    )
    op.create_index("ix_actions_ws_status", "actions", ["workspace_id", "status"])
    op.create_index("ix_actions_ws_owner", "actions", ["workspace_id", "owner_id"])
    op.create_index("ix_actions_ws_team", "actions", ["workspace_id", "team_id"])
    op.create_index(
        "ix_actions_ws_subject", "actions", ["workspace_id", "subject_kind", "subject_key"]
    )
    op.create_index("ix_actions_ws_due", "actions", ["workspace_id", "due_date"])
    op.create_table(
        "action_steps",
        sa.Column("id", sa.Integer(), primary_key=True),
        _fk("action_id", "actions", "CASCADE", nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(300), nullable=False),
        _fk("owner_id", "users", "SET NULL"),
        sa.Column("due_date", sa.Date(), nullable=True),
        sa.Column("done", sa.Boolean(), nullable=False),
        _when("done_at", nullable=True),
        _when("created_at"),
    )
    op.create_index("ix_action_steps_action", "action_steps", ["action_id", "position"])
    op.create_table(
        "action_comments",
        sa.Column("id", sa.Integer(), primary_key=True),
        _fk("action_id", "actions", "CASCADE", nullable=False),
        _fk("author_id", "users", "SET NULL"),
        sa.Column("body", sa.Text(), nullable=False),
        _when("at"),
    )
    op.create_index("ix_action_comments_action_at", "action_comments", ["action_id", "at"])
    op.create_table(
        "action_settings",
        sa.Column(
            "workspace_id",
            sa.Integer(),
            sa.ForeignKey("workspaces.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("remind_days_before", sa.SmallInteger(), nullable=False),
        _when("updated_at"),
    )


def downgrade() -> None:
    op.drop_table("action_settings")
    op.drop_index("ix_action_comments_action_at", table_name="action_comments")
    op.drop_table("action_comments")
    op.drop_index("ix_action_steps_action", table_name="action_steps")
    op.drop_table("action_steps")
    for name in ("due", "subject", "team", "owner", "status"):
        op.drop_index(f"ix_actions_ws_{name}", table_name="actions")
    op.drop_table("actions")
