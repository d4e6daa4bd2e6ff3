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
