"""The drivers' patterns under one filter dimension over all time, from
``listening_dimension_driver_counts`` (migration 0049): the same as the rows on SQLite and
PostgreSQL, read without the topic-set counts, filled by the migration from the topic-set
score counts exactly as a rebuild from the rows, and kept through imports and re-enrichment
(the upkeep tests of test_listening_counts.py cover the table too: it is in ``TABLES``)."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from cxgap.db import (
    listening_counts,
    listening_dimensions,
    listening_queries,
    listening_reads,
    listening_sets,
)
from cxgap.db.feedback_filters import FeedbackFilter
from cxgap.db.listening_count_tables import ListeningDimensionDriverCount
from cxgap.db.listening_queries import ScoreColumn
from cxgap.services import enrichment
from cxgap.services.core import Cxgap
from cxgap.services.workspaces import get_workspace
from tests.db.test_listening_counts import RandomAnalyzer, _stage_import, _write_csv
from tests.factories import make_workspace
from tests.listening import TOPICS, RuleAnalyzer, in_order
from tests.prepared import Prepared

SERVED = [
    FeedbackFilter(source_types=("survey",)),
    FeedbackFilter(source_types=("survey", "review")),
    FeedbackFilter(channels=("web",)),
    FeedbackFilter(languages=("fr",)),
    FeedbackFilter(sentiments=("negative",)),
    FeedbackFilter(sentiments=("positive", "neutral")),
]
NOT_SERVED = [
    FeedbackFilter(),  # the month-keyed drivers' counts
    FeedbackFilter(source_types=("survey",), channels=("web",)),  # two dimensions
    FeedbackFilter(source_types=("survey",), date_from=datetime(2025, 3, 1, tzinfo=UTC)),
    FeedbackFilter(source_types=("survey",), topic_sets=(("delivery",),)),
]
OUTCOMES: tuple[ScoreColumn, ...] = ("nps", "stars")


@pytest.fixture
def enriched(cx: Cxgap, prepared: Prepared, tmp_path: Path) -> Iterator[tuple[Cxgap, int]]:
    """240 imported records enriched by the rule analyzer.
    Written once per session and backend (tests/prepared.py), copied for each test."""

    def build(app: Cxgap) -> int:
        with app.transaction() as session:
            make_workspace(session)
        _stage_import(app, _write_csv(tmp_path / "a.csv", random.Random(8), range(0, 240)))
        with app.reading() as session:
            workspace = get_workspace(session, "acme")
        enrichment.enrich_pending(app.sessions, workspace, RuleAnalyzer(TOPICS))
        return workspace.id

    yield cx, prepared.prepare(cx, "db-listening-dimensions-enriched", build)


def _patterns(session: Session, ws: int, f: FeedbackFilter, column: ScoreColumn) -> Any:
    return in_order(listening_reads.driver_patterns(session, ws, f, column))


def _rows(session: Session, ws: int, f: FeedbackFilter, column: ScoreColumn) -> Any:
    return in_order(listening_queries.driver_patterns(session, ws, f, column))


def test_one_dimension_reads_its_counts_and_equals_the_rows(
    enriched: tuple[Cxgap, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    cx, ws = enriched
    assert [listening_dimensions.serves(f) for f in SERVED] == [True] * len(SERVED)
    assert [listening_dimensions.serves(f) for f in NOT_SERVED] == [False] * len(NOT_SERVED)
    with cx.reading() as session:
        wanted = {(i, c): _rows(session, ws, f, c) for i, f in enumerate(SERVED) for c in OUTCOMES}
        assert sum(n for _, _, n in wanted[(0, "nps")]) > 50

        def refuse(*args: object, **kwargs: object) -> None:
            raise AssertionError("read the topic-set counts or the rows")

        monkeypatch.setattr(listening_sets, "driver_patterns", refuse)
        monkeypatch.setattr(listening_queries, "driver_patterns", refuse)
        for i, f in enumerate(SERVED):
            for column in OUTCOMES:
                assert _patterns(session, ws, f, column) == wanted[(i, column)], (f, column)


def test_other_filters_still_equal_the_rows(enriched: tuple[Cxgap, int]) -> None:
    cx, ws = enriched
    with cx.reading() as session:
        for f in NOT_SERVED:
            for column in OUTCOMES:
                assert _patterns(session, ws, f, column) == _rows(session, ws, f, column), f


def _stored(session: Session, ws: int) -> list[tuple[Any, ...]]:
    m = ListeningDimensionDriverCount
    columns = [m.dimension, m.dim_value, m.metric, m.value, m.topics, m.n]
    return sorted(
        tuple(row) for row in session.execute(select(*columns).where(m.workspace_id == ws))
    )


def test_the_migration_fill_from_the_topic_sets_equals_a_rebuild(
    enriched: tuple[Cxgap, int], tmp_path: Path
) -> None:
    cx, ws = enriched
    with cx.reading() as session:
        workspace = get_workspace(session, "acme")
    # Re-enriched in batches (the counts moved by their difference), then an import.
    enrichment.enrich_pending(cx.sessions, workspace, RandomAnalyzer(2), batch_size=7)
    _stage_import(cx, _write_csv(tmp_path / "b.csv", random.Random(9), range(200, 300)))
    with cx.transaction() as session:
        kept = _stored(session, ws)
        assert len(kept) > 20
        session.execute(delete(ListeningDimensionDriverCount))
        listening_dimensions.fill_from_sets(session)
        assert _stored(session, ws) == kept
        listening_counts.rebuild(session, ws)
        assert _stored(session, ws) == kept
