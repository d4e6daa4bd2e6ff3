"""action history: each action's status and dates over time; the team digests sent

Revision ID: 0043
Revises: 0038
Create Date: 2026-12-04 00:45:00.000000

``action_states``: one row per change of an action's status, start date or due date, so the
action gap of a past period reads what the actions were then (docs/actions.md, "The action
gap of a past period"). The actions that exist when this runs get their history rebuilt from
the audit trail: a first row at their creation with the status before their first recorded
status change (their present status when none was recorded), then one row per
``action.status_changed`` event; their start and due dates are today's (the trail never
kept their values). ``ownership_digests``: one row per team and week whose digest was sent,
so a retried job or a second worker sends nothing again (docs/ownership.md).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0043"
down_revision: str | None = "0038"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _fk(name: str, target: str) -> sa.Column[int]:
    key = sa.ForeignKey(f"{target}.id", ondelete="CASCADE")
    return sa.Column(name, sa.Integer(), key, nullable=False)


def _when(name: str) -> sa.Column[object]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=False)


def upgrade() -> None:
    states = op.create_table(
        "action_states",
        sa.Column("id", sa.Integer(), primary_key=True),
        _fk("action_id", "actions"),
        _when("at"),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=True),
        sa.Column("due_date", sa.Date(), nullable=True),
    )
    op.create_index("ix_action_states_action_at", "action_states", ["action_id", "at"])
    op.create_table(
        "ownership_digests",
        sa.Column("id", sa.Integer(), primary_key=True),
        _fk("workspace_id", "workspaces"),
        _fk("team_id", "teams"),
        _when("week_end"),
        sa.Column("recipients", sa.Integer(), nullable=False),
        _when("created_at"),
        sa.UniqueConstraint("team_id", "week_end"),
    )
    _rebuild_history(op.get_bind(), states)


def _rebuild_history(bind: sa.Connection, states: sa.Table) -> None:
    """The present actions' history from the audit trail's status changes (see above)."""
    actions = sa.table(
        "actions",
        sa.column("id", sa.Integer()),
        sa.column("created_at", sa.DateTime(timezone=True)),
        sa.column("status", sa.String()),
        sa.column("start_date", sa.Date()),
        sa.column("due_date", sa.Date()),
    )
    events = sa.table(
        "audit_events",
        sa.column("id", sa.Integer()),
        sa.column("at", sa.DateTime(timezone=True)),
        sa.column("action", sa.String()),
        sa.column("target_type", sa.String()),
        sa.column("target_id", sa.String()),
        sa.column("details", sa.JSON()),
    )
    changes: dict[str, list[tuple[object, dict[str, object]]]] = {}
    query = (
        sa.select(events.c.target_id, events.c.at, events.c.details)
        .where(events.c.action == "action.status_changed", events.c.target_type == "action")
        .order_by(events.c.at, events.c.id)
    )
    for target_id, at, details in bind.execute(query):
        changes.setdefault(str(target_id), []).append((at, dict(details or {})))
    rows: list[dict[str, object]] = []
    for action_id, created, status, start, due in bind.execute(sa.select(actions)):
        found = changes.get(str(action_id), [])
        first = str(found[0][1].get("before") or status) if found else status
        dates = {"start_date": start, "due_date": due}
        rows.append({"action_id": action_id, "at": created, "status": first, **dates})
        for at, details in found:
            after = str(details.get("after") or status)[:16]
            rows.append({"action_id": action_id, "at": at, "status": after, **dates})
    if rows:
        bind.execute(sa.insert(states), rows)


def downgrade() -> None:
    op.drop_table("ownership_digests")
    op.drop_index("ix_action_states_action_at", table_name="action_states")
    op.drop_table("action_states")
