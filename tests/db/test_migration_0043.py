"""Migration 0043 rebuilds the history of the actions that exist from the audit trail's
status changes (their dates as they are now); downgrading removes the new tables."""

from __future__ import annotations

from datetime import UTC, date, datetime

from alembic import command
from sqlalchemy import create_engine, insert, inspect, select

from cxgap.db.migrate import alembic_config, upgrade_database
from cxgap.db.tables import ActionRow, ActionState, AuditEvent, Workspace
from tests.db.test_migrations import empty_url  # noqa: F401  (the fixture, both backends)


def _when(month: int, day: int) -> datetime:
    return datetime(2026, month, day, 9, tzinfo=UTC)


def test_0043_rebuilds_the_status_history_from_the_audit_trail(empty_url: str) -> None:  # noqa: F811
    engine = create_engine(empty_url)
    try:
        upgrade_database(engine, "0038")
        with engine.begin() as conn:
            conn.execute(insert(Workspace).values(key="acme", name="Acme"))
            common = {
                "workspace_id": 1, "description": "", "progress": 0, "due_date": date(2026, 6, 30),
                "updated_at": _when(6, 1),
            }  # fmt: skip
            conn.execute(
                insert(ActionRow),
                [
                    {"id": 1, "title": "Changed", "status": "done", "created_at": _when(5, 1),
                     **common},
                    {"id": 2, "title": "Never changed", "status": "on_hold",
                     "created_at": _when(5, 2), **common},
                ],
            )  # fmt: skip
            trail = [
                (_when(5, 10), "1", {"before": "not_started", "after": "in_progress"}),
                (_when(6, 1), "1", {"before": "in_progress", "after": "done"}),
                (_when(6, 2), "9", {"before": "not_started", "after": "done"}),  # deleted since
            ]
            conn.execute(
                insert(AuditEvent),
                [
                    {"at": at, "actor_ref": "", "action": "action.status_changed",
                     "target_type": "action", "target_id": target, "details": details}
                    for at, target, details in trail
                ],
            )  # fmt: skip
        upgrade_database(engine, "0043")
        with engine.begin() as conn:
            rows = conn.execute(
                select(ActionState.action_id, ActionState.at, ActionState.status,
                       ActionState.due_date).order_by(ActionState.action_id, ActionState.at)
            ).all()  # fmt: skip
        with engine.begin() as conn:
            config = alembic_config(empty_url)
            config.attributes["connection"] = conn
            command.downgrade(config, "0038")
        tables = set(inspect(engine).get_table_names())
    finally:
        engine.dispose()
    got = [(a, at.replace(tzinfo=UTC) if at.tzinfo is None else at, s, d) for a, at, s, d in rows]
    due = date(2026, 6, 30)
    assert got == [
        (1, _when(5, 1), "not_started", due),
        (1, _when(5, 10), "in_progress", due),
        (1, _when(6, 1), "done", due),
        (2, _when(5, 2), "on_hold", due),
    ]
    assert "action_states" not in tables and "ownership_digests" not in tables
