"""The topic-set counts per day (db.listening_day_set_tables, migration 0051): under a topic,
a pillar or several topic sets with dates inside months (or inside one month), alone or with a
source, channel, language or sentiment, every Listening reader takes the days it cannot take
from the month counts from the day topic-set counts, reads no row for them, and gives exactly
the figures of the rows, on SQLite and PostgreSQL; the drivers' edge days under a dimension
too. Their upkeep (imports, changes, re-enrichment) is compared with a rebuild with every
other count table (tests/db/test_listening_counts.py, ``TABLES``)."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, get_args

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from cxgap.db import listening_queries, listening_reads, source_queries
from cxgap.db.feedback_filters import FeedbackFilter
from cxgap.db.listening_day_set_tables import (
    ListeningDaySetCount,
    ListeningDaySetMentionCount,
    ListeningDaySetScoreCount,
)
from cxgap.db.listening_queries import ScoreColumn
from cxgap.services import enrichment
from cxgap.services.core import Cxgap
from cxgap.services.taxonomy import ensure_taxonomy
from cxgap.services.workspaces import get_workspace
from tests.db.test_listening_counts import _assert_cube_is_rebuild, _stage_import, _write_csv
from tests.db.test_listening_sets import CorrectedAnalyzer
from tests.factories import make_workspace
from tests.listening import in_order
from tests.prepared import Prepared


def _day(month: int, day: int = 1) -> datetime:
    return datetime(2025, month, day, tzinfo=UTC)


# Edges on days whose records straddle UTC midnight in the CSV's offsets (+00:00 to +05:00).
FILTERS = [
    FeedbackFilter(topic_sets=(("delivery",),), date_from=_day(3, 15), date_to=_day(9, 11)),
    FeedbackFilter(topic_sets=(("price", "staff"),), date_from=_day(2, 2), date_to=_day(6)),
    FeedbackFilter(
        topic_sets=(("delivery", "staff"), ("price",)),
        source_types=("survey",),
        date_from=_day(4, 20),
        date_to=_day(11, 3),
    ),
    FeedbackFilter(topic_sets=(("billing",),), languages=("fr",), date_to=_day(10, 2)),
    FeedbackFilter(
        topic_sets=(("staff",),),
        sentiments=("negative",),
        date_from=_day(5, 31),
        date_to=_day(7, 2),
    ),
    FeedbackFilter(topic_sets=(("delivery",),), date_from=_day(3, 2), date_to=_day(3, 20)),
    FeedbackFilter(topic_sets=(("price",),), channels=("web",), date_from=_day(2, 28)),
    FeedbackFilter(source_types=("review",), date_from=_day(4, 20), date_to=_day(11, 3)),
]
ROW_READERS = (
    (listening_queries, "facet_table"),
    (listening_queries, "count_verbatims"),
    (listening_queries, "topic_facet_counts"),
    (listening_queries, "date_bounds"),
    (listening_queries, "sentiment_histograms"),
    (listening_queries, "mention_counts"),
    (listening_queries, "score_histograms"),
    (listening_queries, "has_scores"),
    (listening_queries, "driver_patterns"),
    (source_queries, "feedback_nps_by_source"),
)
OUTCOMES: tuple[ScoreColumn, ...] = ("nps", "stars")


@pytest.fixture
def corrected(cx: Cxgap, prepared: Prepared, tmp_path: Path) -> Iterator[tuple[Cxgap, int]]:
    """240 imported records enriched by ``CorrectedAnalyzer(1)``.
    Written once per session and backend (tests/prepared.py), copied for each test."""

    def build(app: Cxgap) -> int:
        with app.transaction() as session:
            ensure_taxonomy(session, make_workspace(session))
        _stage_import(app, _write_csv(tmp_path / "a.csv", random.Random(11), range(0, 240)))
        with app.reading() as session:
            workspace = get_workspace(session, "acme")
        enrichment.enrich_pending(app.sessions, workspace, CorrectedAnalyzer(1), batch_size=23)
        return workspace.id

    yield cx, prepared.prepare(cx, "db-listening-day-sets-corrected", build)


def _figures(session: Session, ws: int, f: FeedbackFilter, r: Any, nps: Any) -> dict[str, Any]:
    """Every reader's figures under ``f`` (the mentions' sums apart: compared to 1e-9)."""
    if nps is listening_reads:
        sources = nps.nps_by_source(session, ws, f)
        bounds = r.day_bounds(session, ws, f)
    else:
        sources = nps.feedback_nps_by_source(session, ws, f)
        found = r.date_bounds(session, ws, f)
        bounds = found and tuple(b.astimezone(UTC).date() for b in found)
    metrics = get_args(ScoreColumn)
    mentions = sorted(r.mention_counts(session, ws, f, "month"))
    return {
        "facets": sorted(r.facet_table(session, ws, f), key=str),
        "total": r.count_verbatims(session, ws, f),
        "topics": r.topic_facet_counts(session, ws, f),
        "bounds": bounds,
        "negative": r.sentiment_histograms(session, ws, f, "month"),
        "mentions": [m[:4] for m in mentions],
        "sums": [m[4] for m in mentions],
        "scores": {m: r.score_histograms(session, ws, f, m, "month") for m in metrics},
        "has": {m: r.has_scores(session, ws, f, m) for m in metrics},
        "patterns": {m: in_order(r.driver_patterns(session, ws, f, m)) for m in OUTCOMES},
        "nps": [
            (s.source_type, s.histogram, s.first and s.first.astimezone(UTC).date(),
             s.last and s.last.astimezone(UTC).date())
            for s in sources
        ],
    }  # fmt: skip


def _spy(called: list[str], name: str, real: Callable[..., Any]) -> Callable[..., Any]:
    def spy(*args: Any, **kwargs: Any) -> Any:
        called.append(name)
        return real(*args, **kwargs)

    return spy


def test_edge_days_under_a_topic_come_from_the_day_set_counts_not_the_rows(
    corrected: tuple[Cxgap, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    cx, ws = corrected
    with cx.reading() as session:
        wanted = [_figures(session, ws, f, listening_queries, source_queries) for f in FILTERS]
        assert sum(w["total"] for w in wanted[:-1]) > 40, "the topic filters keep too little"
        called: list[str] = []
        for module, name in ROW_READERS:
            monkeypatch.setattr(module, name, _spy(called, name, getattr(module, name)))
        for f, want in zip(FILTERS, wanted, strict=True):
            got = _figures(session, ws, f, listening_reads, listening_reads)
            assert got["sums"] == pytest.approx(want["sums"], rel=1e-9, abs=1e-9), f
            got["sums"] = want["sums"]
            assert got == want, f
            assert called == [], f
        for model in (ListeningDaySetCount, ListeningDaySetMentionCount, ListeningDaySetScoreCount):
            held = select(func.count()).select_from(model).where(model.workspace_id == ws)
            assert (session.scalar(held) or 0) > 100, model.__tablename__


def test_the_day_set_counts_follow_reenrichment_and_equal_a_rebuild(
    corrected: tuple[Cxgap, int],
) -> None:
    cx, ws = corrected
    _assert_cube_is_rebuild(cx)
    with cx.reading() as session:
        workspace = get_workspace(session, "acme")
    enrichment.enrich_pending(cx.sessions, workspace, CorrectedAnalyzer(2), batch_size=9)
    _assert_cube_is_rebuild(cx)
    with cx.reading() as session:
        f = FILTERS[0]
        want = _figures(session, ws, f, listening_queries, source_queries)
        got = _figures(session, ws, f, listening_reads, listening_reads)
    assert got["sums"] == pytest.approx(want["sums"], rel=1e-9, abs=1e-9)
    assert {**got, "sums": []} == {**want, "sums": []}
