"""The migrations produce exactly the schema the tables declare, on both backends."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import column, create_engine, insert, make_url, select, table, text

from cxgap.db import search_index
from cxgap.db.migrate import upgrade_database
from cxgap.db.tables import Base, Feedback, Workspace
from cxgap.services.core import Cxgap
from tests.conftest import POSTGRES_ADMIN_URL


def _modelled(item: Any, name: str | None, kind: str, reflected: bool, other: Any) -> bool:
    """Not the indexes only some databases have (the search's trigram index)."""
    return not (kind == "index" and name in search_index.DATABASE_ONLY)


def test_migrated_schema_matches_the_models(cx: Cxgap) -> None:
    with cx.engine.connect() as connection:
        opts = {"compare_type": True, "include_object": _modelled}
        context = MigrationContext.configure(connection, opts=opts)
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


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A database with no schema yet, to migrate step by step."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'steps.sqlite3'}"
        return
    request.getfixturevalue("postgres_url")  # skips (or fails) as the other tests do
    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    name = f"cxgap_steps_{secrets.token_hex(4)}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    yield make_url(POSTGRES_ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def test_0008_moves_the_question_attribute_to_its_column(empty_url: str) -> None:
    engine = create_engine(empty_url)
    try:
        upgrade_database(engine, "0007")
        now = datetime(2026, 5, 1, tzinfo=UTC)
        columns = Feedback.__table__.c
        old = table(
            "feedback",
            *(column(name, columns[name].type) for name in _BEFORE_0008),
        )
        with engine.begin() as conn:
            conn.execute(insert(Workspace.__table__).values(key="acme", name="Acme"))
            conn.execute(
                insert(old),
                [
                    _row(now, "S-1", {"question": " Pourquoi ? ", "segment": "pro"}),
                    _row(now, "S-2", {"segment": "question"}),
                    _row(now, "S-3", {}),
                ],
            )
        upgrade_database(engine)
        with engine.connect() as conn:
            rows = conn.execute(
                select(columns.source_id, columns.question, columns.attributes).order_by(
                    columns.source_id
                )
            ).all()
        assert [tuple(r) for r in rows] == [
            ("S-1", "Pourquoi ?", {"segment": "pro"}),
            ("S-2", None, {"segment": "question"}),
            ("S-3", None, {}),
        ]
    finally:
        engine.dispose()


_BEFORE_0008 = (
    "workspace_id",
    "source_type",
    "source_id",
    "collected_at",
    "text",
    "attributes",
    "text_hash",
    "created_at",
    "updated_at",
)


def _row(now: datetime, source_id: str, attributes: dict[str, str]) -> dict[str, object]:
    return {
        "workspace_id": 1,
        "source_type": "survey",
        "source_id": source_id,
        "collected_at": now,
        "text": "Bien",
        "attributes": attributes,
        "text_hash": "0" * 64,
        "created_at": now,
        "updated_at": now,
    }
