"""touchpoint events: the imported files, one row per event, the activity mapping

Revision ID: 0046
Revises: 0045
Create Date: 2026-12-04 11:45:00.000000

Issue 14 ("Journeys as lived"): ``events`` holds what customers did (case, time, activity,
channel, outcome, lifecycle, the touchpoint key it maps onto, an amount for purchases, free
attributes); ``event_imports`` the file each came from with its report; and
``event_activity_maps`` the analyst's activity → touchpoint choices. Paths are read per case
in time order with ties in file order: ``(workspace_id, case_ref, at, id)``.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0046"
down_revision: str | None = "0045"
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
    op.create_table(
        "event_imports",
        sa.Column("id", sa.Integer(), primary_key=True),
        _workspace(),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("preset", sa.String(length=32), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("events", sa.Integer(), nullable=False),
        sa.Column("cases", sa.Integer(), nullable=False),
        sa.Column("skipped", sa.Integer(), nullable=False),
        sa.Column("report", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_event_imports_workspace_id", "event_imports", ["workspace_id"])
    op.create_table(
        "events",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            primary_key=True,
            autoincrement=True,
        ),
        _workspace(),
        sa.Column(
            "import_id",
            sa.Integer(),
            sa.ForeignKey("event_imports.id", ondelete="CASCADE"),
            nullable=True,
        ),
        sa.Column("case_ref", sa.String(length=200), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("position", sa.BigInteger(), nullable=False),
        sa.Column("activity", sa.String(length=200), nullable=False),
        sa.Column("channel", sa.String(length=100), nullable=True),
        sa.Column("outcome", sa.String(length=100), nullable=True),
        sa.Column("lifecycle", sa.String(length=40), nullable=True),
        sa.Column("touchpoint", sa.String(length=200), nullable=True),
        sa.Column("amount", sa.Float(), nullable=True),
        sa.Column("attributes", sa.JSON(), nullable=True),
    )
    op.create_index("ix_events_case_order", "events", ["workspace_id", "case_ref", "at", "id"])
    op.create_index("ix_events_import_id", "events", ["import_id"])
    op.create_table(
        "event_activity_maps",
        sa.Column("id", sa.Integer(), primary_key=True),
        _workspace(),
        sa.Column("activity", sa.String(length=200), nullable=False),
        sa.Column("touchpoint", sa.String(length=200), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("workspace_id", "activity"),
    )


def downgrade() -> None:
    op.drop_table("event_activity_maps")
    op.drop_index("ix_events_import_id", table_name="events")
    op.drop_index("ix_events_case_order", table_name="events")
    op.drop_table("events")
    op.drop_index("ix_event_imports_workspace_id", table_name="event_imports")
    op.drop_table("event_imports")
