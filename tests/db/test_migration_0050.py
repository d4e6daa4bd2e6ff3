"""Migration 0050 on a populated database: the search table filled from ``feedback`` in one
statement, its trigram index built, the index on ``feedback.text`` dropped, and the search
finding every row; downgrading makes the index on ``feedback.text`` again and removes the
tables."""

from __future__ import annotations

import hashlib
import re
from datetime import UTC, datetime

from alembic import command
from sqlalchemy import create_engine, insert, inspect, select
from sqlalchemy.orm import Session

from cxgap.db import search_index
from cxgap.db.feedback_filters import (
    FeedbackFilter,
    feedback_query,
    filter_conditions,
    search_pattern,
)
from cxgap.db.migrate import alembic_config, upgrade_database
from cxgap.db.tables import Feedback, FeedbackSearch, Workspace
from tests.db.test_migrations import empty_url  # noqa: F401  (the fixture, both backends)

TEXTS = ["Livré en retard", "Délai RESPECTÉ", "late again", "rien à signaler", "Retardé"]


def _indexes(engine: object, table: str) -> set[str]:
    return {str(i["name"]) for i in inspect(engine).get_indexes(table)}


def test_0050_fills_the_search_table_of_a_populated_database(empty_url: str) -> None:  # noqa: F811
    engine = create_engine(empty_url)
    postgresql = engine.dialect.name == "postgresql"
    try:
        upgrade_database(engine, "0049")
        now = datetime(2026, 5, 1, tzinfo=UTC)
        with engine.begin() as conn:
            conn.execute(insert(Workspace).values(key="acme", name="Acme"))
            conn.execute(insert(Feedback), [
                {"workspace_id": 1, "source_type": "review", "source_id": f"r{n}",
                 "collected_at": now, "text": t, "attributes": {},
                 "text_hash": hashlib.sha256(t.encode()).hexdigest(), "created_at": now,
                 "updated_at": now}
                for n, t in enumerate(TEXTS)
            ])  # fmt: skip
        assert (search_index.INDEX in _indexes(engine, "feedback")) is postgresql
        upgrade_database(engine)
        assert search_index.INDEX not in _indexes(engine, "feedback")
        with Session(engine) as session:
            stored = session.execute(select(FeedbackSearch.feedback_id, FeedbackSearch.text))
            copied = sorted(stored, key=lambda row: row[0])
            rows = [tuple(r) for r in session.execute(select(Feedback.id, Feedback.text))]
            assert [tuple(r) for r in copied] == (sorted(rows) if postgresql else [])
            for query in ("retard", "late", "délai", "zzz"):
                pattern = re.compile(search_pattern(query))
                want = sorted(i for i, t in enumerate(TEXTS, start=1) if pattern.search(t))
                found = feedback_query([Feedback.id], enrichment=False).where(
                    *filter_conditions(1, FeedbackFilter(search=query))
                )
                assert sorted(session.scalars(found)) == want, query
        if postgresql:
            assert search_index.SEARCH_INDEX in _indexes(engine, "feedback_search")
        with engine.begin() as conn:
            config = alembic_config(empty_url)
            config.attributes["connection"] = conn
            command.downgrade(config, "0049")
        tables = set(inspect(engine).get_table_names())
        assert "feedback_search" not in tables and "feedback_search_pending" not in tables
        assert (search_index.INDEX in _indexes(engine, "feedback")) is postgresql
    finally:
        engine.dispose()
