"""cases: teams, cases, their events, attached feedback and the rules that open them

Revision ID: 0032
Revises: 0028
Create Date: 2026-12-03 15:30:00.000000

Issue 12, capability 5. A case's SLA pauses are derived from its ``status`` events (never
edited), so no pause is stored.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0032"
down_revision: str | None = "0028"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _id() -> sa.Column[int]:
    return sa.Column("id", sa.Integer(), primary_key=True)


def _fk(name: str, target: str, ondelete: str, *, nullable: bool = False) -> sa.Column[int]:
    key = sa.ForeignKey(f"{target}.id", ondelete=ondelete)
    return sa.Column(name, sa.Integer(), key, nullable=nullable)


def _when(name: str, *, nullable: bool = False) -> sa.Column[object]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "teams",
        _id(),
        _fk("workspace_id", "workspaces", "CASCADE"),
        sa.Column("key", sa.String(64), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        _when("created_at"),
        sa.UniqueConstraint("workspace_id", "key"),
    )
    op.create_table(
        "team_members",
        _id(),
        _fk("team_id", "teams", "CASCADE"),
        _fk("user_id", "users", "CASCADE"),
        sa.UniqueConstraint("team_id", "user_id"),
    )
    op.create_table(
        "case_rules",
        _id(),
        _fk("workspace_id", "workspaces", "CASCADE"),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("conditions", sa.JSON(), nullable=False),
        sa.Column("priority", sa.String(8), nullable=False),
        _fk("team_id", "teams", "SET NULL", nullable=True),
        _when("created_at"),
    )
    op.create_index("ix_case_rules_ws_position", "case_rules", ["workspace_id", "position"])
    op.create_table(
        "cases",
        _id(),
        _fk("workspace_id", "workspaces", "CASCADE"),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("subject", sa.String(300), nullable=False),
        sa.Column("customer_ref", sa.String(200), nullable=True),
        sa.Column("account", sa.String(200), nullable=True),
        sa.Column("priority", sa.String(8), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("channel", sa.String(200), nullable=True),
        _fk("assignee_id", "users", "SET NULL", nullable=True),
        _fk("team_id", "teams", "SET NULL", nullable=True),
        _fk("feedback_id", "feedback", "SET NULL", nullable=True),
        _fk("rule_id", "case_rules", "SET NULL", nullable=True),
        _when("created_at"),
        _when("updated_at"),
        _when("closed_at", nullable=True),
        sa.Column("breached", sa.JSON(), nullable=False),
        sa.UniqueConstraint("workspace_id", "number"),
    )
    op.create_index("ix_cases_ws_status", "cases", ["workspace_id", "status"])
    op.create_index("ix_cases_ws_customer", "cases", ["workspace_id", "customer_ref"])
    op.create_table(
        "case_events",
        _id(),
        _fk("case_id", "cases", "CASCADE"),
        _when("at"),
        sa.Column("type", sa.String(16), nullable=False),
        sa.Column("author", sa.String(16), nullable=False),
        sa.Column("public", sa.Boolean(), nullable=False),
        sa.Column("auto", sa.Boolean(), nullable=False),
        _fk("actor_id", "users", "SET NULL", nullable=True),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("status", sa.String(20), nullable=True),
        sa.Column("fields", sa.JSON(), nullable=False),
    )
    op.create_index("ix_case_events_case_at", "case_events", ["case_id", "at", "id"])
    op.create_table(
        "case_feedback",
        _id(),
        _fk("case_id", "cases", "CASCADE"),
        _fk("feedback_id", "feedback", "CASCADE"),
        _when("attached_at"),
        sa.UniqueConstraint("case_id", "feedback_id"),
    )
    op.create_index("ix_case_feedback_feedback", "case_feedback", ["feedback_id"])


def downgrade() -> None:
    op.drop_index("ix_case_feedback_feedback", table_name="case_feedback")
    op.drop_table("case_feedback")
    op.drop_index("ix_case_events_case_at", table_name="case_events")
    op.drop_table("case_events")
    op.drop_index("ix_cases_ws_customer", table_name="cases")
    op.drop_index("ix_cases_ws_status", table_name="cases")
    op.drop_table("cases")
    op.drop_index("ix_case_rules_ws_position", table_name="case_rules")
    op.drop_table("case_rules")
    op.drop_table("team_members")
    op.drop_table("teams")
