"""The migrations produce exactly the schema the tables declare, on both backends."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from cxgap.db.tables import Base
from cxgap.services.core import Cxgap


def test_migrated_schema_matches_the_models(cx: Cxgap) -> None:
    with cx.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, Base.metadata)
    assert differences == []


def test_upgrading_twice_is_harmless(cx: Cxgap) -> None:
    cx.upgrade()
    cx.upgrade()


def test_datetimes_come_back_aware_in_utc(cx: Cxgap) -> None:
    """SQLite keeps no offset: without care a stored 14:00+02:00 would come back naive."""
    from datetime import UTC, datetime, timedelta, timezone

    from cxgap.services.workspaces import create_workspace, get_workspace

    paris = timezone(timedelta(hours=2))
    with cx.transaction() as session:
        create_workspace(session, key="tz", name="TZ").created_at = datetime(
            2026, 6, 1, 14, 0, tzinfo=paris
        )
    with cx.reading() as session:
        stored = get_workspace(session, "tz").created_at
    assert stored == datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
    assert stored.tzinfo is not None and stored.utcoffset() == timedelta(0)
