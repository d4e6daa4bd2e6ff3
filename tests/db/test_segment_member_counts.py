"""The member counts stored per segment (migration 0026): computed when a populated database
is upgraded, then kept by the triggers whatever removes members (a deleted feedback item's
cascade included), on SQLite and PostgreSQL. The counts after each service-level change are
checked by ``test_segment_members._check``."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import create_engine, delete, func, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from cxgap.db.migrate import alembic_config, upgrade_database
from cxgap.db.tables import Feedback, SegmentMember, SegmentMembership
from cxgap.services.core import Cxgap
from cxgap.services.segments import segment_summaries
from cxgap.services.workspaces import get_workspace
from tests.conftest import POSTGRES_ADMIN_URL, _settings
from tests.db.test_segment_members import _acme


@pytest.fixture(params=["sqlite", "postgresql"])
def fresh_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database of its own (it is migrated down and up)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'counts.sqlite3'}"
        return
    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    name = f"cxgap_test_counts_{secrets.token_hex(4)}"
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except OperationalError as exc:
        admin.dispose()
        pytest.skip(f"PostgreSQL not reachable: {exc.orig}")
    yield make_url(POSTGRES_ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _stored_and_counted(cx: Cxgap) -> tuple[dict[int, int], dict[int, int]]:
    with cx.reading() as session:
        state = select(SegmentMembership.segment_id, SegmentMembership.member_count)
        stored = dict(session.execute(state).all())
        query = select(SegmentMember.segment_id, func.count()).group_by(SegmentMember.segment_id)
        counted = dict(session.execute(query).all())
    return {k: int(v) for k, v in stored.items()}, {k: int(v) for k, v in counted.items()}


def test_upgrade_counts_a_populated_database_then_triggers_keep_it(
    fresh_url: str, tmp_path: Path
) -> None:
    cx = Cxgap(_settings(fresh_url, tmp_path))
    try:
        cx.upgrade()
        _acme(cx, tmp_path)  # 30 items: 10 "pro", 20 "home"
        with cx.transaction() as session:
            segment_summaries(session, get_workspace(session, "acme"))
        engine = create_engine(fresh_url)
        try:
            with engine.begin() as connection:  # members stored, no counts
                config = alembic_config(fresh_url)
                config.attributes["connection"] = connection
                command.downgrade(config, "0025")
            upgrade_database(engine)
        finally:
            engine.dispose()
        stored, counted = _stored_and_counted(cx)
        assert sorted(stored.values()) == [10, 20]
        assert stored == counted
        with cx.transaction() as session:  # behind the services' back: the cascade counts
            session.execute(delete(Feedback).where(Feedback.source_id.in_(["G-3", "G-4"])))
        stored, counted = _stored_and_counted(cx)
        assert sorted(stored.values()) == [9, 19]
        assert stored == counted
    finally:
        cx.dispose()
