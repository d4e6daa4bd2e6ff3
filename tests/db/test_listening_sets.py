"""The topic-set counts (db.listening_sets, migration 0040): under a topic, a pillar (an OR
of topics) or several topic sets, alone or with a source, channel, language, sentiment or
whole months, every reader equals the raw query, on SQLite and PostgreSQL; the drivers'
patterns under those dimensions too; dates inside months add the edge days from the rows;
every page is the same JSON from either path; the counts equal a rebuild after enrichment
moves topics, also when the stored topic keys differ from the findings' (a correction)."""

from __future__ import annotations

import dataclasses
import random
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event
from sqlalchemy.orm import Session

from cxgap.db import listening_cube, listening_queries, listening_reads, listening_sets
from cxgap.db import source_queries as sources
from cxgap.db.feedback_filters import FeedbackFilter
from cxgap.services import enrichment
from cxgap.services.core import Cxgap
from cxgap.services.taxonomy import ensure_taxonomy
from cxgap.services.workspaces import get_workspace
from cxgap.text.protocols import TextAnalysis
from tests.db.test_listening_counts import (
    RandomAnalyzer,
    _assert_cube_is_rebuild,
    _rows,
    _same,
    _stage_import,
    _views,
    _write_csv,
)
from tests.factories import make_workspace
from tests.listening import in_order
from tests.prepared import Prepared


def _day(month: int, day: int = 1) -> datetime:
    return datetime(2025, month, day, tzinfo=UTC)


class CorrectedAnalyzer(RandomAnalyzer):
    """As ``RandomAnalyzer``, with a topic a correction added to a third of the verbatims
    without a finding about it: the stored topic keys (the drivers' patterns) then differ from
    the findings' topics (what a topic filter tests)."""

    def _one(self, text: str) -> TextAnalysis:
        analysis = super()._one(text)
        if random.Random(f"c{self.version}:{text}").random() < 0.34:
            topics = (*analysis.topics, "billing") if "billing" not in analysis.topics else ()
            return dataclasses.replace(analysis, topics=topics)
        return analysis


SERVED = [
    FeedbackFilter(topic_sets=(("delivery",),)),
    FeedbackFilter(topic_sets=(("delivery", "price"),)),  # a pillar: an OR
    FeedbackFilter(topic_sets=(("delivery", "staff"), ("price",))),  # two sets ANDed
    FeedbackFilter(topic_sets=((),)),  # a pillar without topics keeps nothing
    FeedbackFilter(topic_sets=(("staff",),), source_types=("survey",), sentiments=("negative",)),
    FeedbackFilter(topic_sets=(("price",),), channels=("web",), languages=("fr",)),
    FeedbackFilter(topic_sets=(("delivery",),), date_from=_day(3), date_to=_day(10)),
]
DRIVERS = [
    FeedbackFilter(source_types=("survey",)),
    FeedbackFilter(channels=("app",), date_from=_day(2)),
    FeedbackFilter(languages=("en",), sentiments=("positive", "neutral")),
]
SPLIT = [  # dates inside months: the whole months from the counts, the edge days from the rows
    FeedbackFilter(topic_sets=(("delivery",),), date_from=_day(3, 15), date_to=_day(9, 11)),
    FeedbackFilter(topic_sets=(("price", "staff"),), date_from=_day(2, 2), date_to=_day(6)),
    FeedbackFilter(source_types=("review",), date_from=_day(4, 20), date_to=_day(11, 3)),
]


def test_what_the_set_counts_serve() -> None:
    assert all(listening_sets.serves(f) for f in SERVED + DRIVERS)
    assert not any(listening_cube.serves(f) for f in SERVED)
    assert not listening_sets.serves(FeedbackFilter(topic_sets=(("x",),), touchpoint="tp"))
    assert not listening_sets.serves(FeedbackFilter(topic_sets=(("x",),), search="late"))
    assert not listening_sets.serves(FeedbackFilter(topic_sets=(("x",),), date_to=_day(3, 2)))


@pytest.fixture
def corrected(cx: Cxgap, prepared: Prepared, tmp_path: Path) -> Iterator[tuple[Cxgap, int]]:
    """160 imported records enriched by ``CorrectedAnalyzer(1)``.
    Written once per session and backend (tests/prepared.py), copied for each test."""

    def build(app: Cxgap) -> int:
        with app.transaction() as session:
            ensure_taxonomy(session, make_workspace(session))  # the pillars of the topics
        _stage_import(app, _write_csv(tmp_path / "a.csv", random.Random(11), range(0, 160)))
        with app.reading() as session:
            workspace = get_workspace(session, "acme")
        enrichment.enrich_pending(app.sessions, workspace, CorrectedAnalyzer(1), batch_size=17)
        return workspace.id

    yield cx, prepared.prepare(cx, "db-listening-sets-corrected", build)


def _assert_sets_equal_rows(session: Session, ws: int, f: FeedbackFilter) -> None:
    sets, rows = listening_sets, listening_queries
    key = str
    assert sorted(sets.facet_table(session, ws, f), key=key) == sorted(
        rows.facet_table(session, ws, f), key=key
    )
    assert sets.count_verbatims(session, ws, f) == rows.count_verbatims(session, ws, f)
    assert sets.topic_facet_counts(session, ws, f) == rows.topic_facet_counts(session, ws, f)
    bounds = rows.date_bounds(session, ws, f)
    assert sets.day_bounds(session, ws, f) == (
        bounds and (bounds[0].astimezone(UTC).date(), bounds[1].astimezone(UTC).date())
    )
    assert sets.sentiment_histograms(session, ws, f) == (
        rows.sentiment_histograms(session, ws, f, "month")
    )
    got = sorted(sets.mention_counts(session, ws, f))
    want = sorted(rows.mention_counts(session, ws, f, "month"))
    assert [r[:4] for r in got] == [r[:4] for r in want]
    _same([r[4] for r in got], [r[4] for r in want])
    for metric in ("nps", "csat", "ces", "stars"):
        assert sets.score_histograms(session, ws, f, metric) == (
            rows.score_histograms(session, ws, f, metric, "month")
        )
        assert sets.has_scores(session, ws, f, metric) == rows.has_scores(session, ws, f, metric)
    _assert_patterns(session, ws, f)
    got_nps = [(s.source_type, s.histogram, s.first, s.last) for s in sets.nps_by_source(
        session, ws, f)]  # fmt: skip
    want_nps = [(s.source_type, s.histogram, s.first, s.last)
                for s in sources.feedback_nps_by_source(session, ws, f)]  # fmt: skip
    assert got_nps == want_nps


def _assert_patterns(session: Session, ws: int, f: FeedbackFilter) -> None:
    for metric in ("nps", "stars"):
        assert in_order(listening_sets.driver_patterns(session, ws, f, metric)) == (
            in_order(listening_queries.driver_patterns(session, ws, f, metric))
        )


def test_every_reader_equals_the_rows(corrected: tuple[Cxgap, int]) -> None:
    cx, ws = corrected
    with cx.reading() as session:
        for f in SERVED:
            _assert_sets_equal_rows(session, ws, f)
        assert listening_sets.count_verbatims(session, ws, SERVED[0]) > 10
        assert listening_sets.count_verbatims(session, ws, SERVED[3]) == 0
        patterns = listening_sets.driver_patterns(session, ws, FeedbackFilter(), "nps")
        assert any("billing" in topics for topics, _, _ in patterns), "no corrected topic"
        for f in DRIVERS:
            _assert_patterns(session, ws, f)


def test_dates_inside_months_add_the_edge_days_from_the_rows(
    corrected: tuple[Cxgap, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    cx, ws = corrected
    reads = listening_reads
    read: list[FeedbackFilter] = []
    serves = listening_sets.serves

    def spy(f: FeedbackFilter) -> bool:
        read.append(f)
        return serves(f)

    monkeypatch.setattr(listening_sets, "serves", spy)
    with cx.reading() as session:
        for f in SPLIT:
            assert reads.driver_patterns(session, ws, f, "nps") is not None
            got = {
                "patterns": in_order(reads.driver_patterns(session, ws, f, "nps")),
                "facets": sorted(reads.facet_table(session, ws, f), key=str),
                "total": reads.count_verbatims(session, ws, f),
                "topics": reads.topic_facet_counts(session, ws, f),
                "bounds": reads.day_bounds(session, ws, f),
                "negative": reads.sentiment_histograms(session, ws, f, "month"),
                "nps": reads.score_histograms(session, ws, f, "nps", "month"),
            }
            bounds = listening_queries.date_bounds(session, ws, f)
            assert got == {
                "patterns": in_order(listening_queries.driver_patterns(session, ws, f, "nps")),
                "facets": sorted(listening_queries.facet_table(session, ws, f), key=str),
                "total": listening_queries.count_verbatims(session, ws, f),
                "topics": listening_queries.topic_facet_counts(session, ws, f),
                "bounds": bounds and tuple(b.astimezone(UTC).date() for b in bounds),
                "negative": listening_queries.sentiment_histograms(session, ws, f, "month"),
                "nps": listening_queries.score_histograms(session, ws, f, "nps", "month"),
            }  # fmt: skip
    middles = [g for g in read if g.date_from and g.date_from.day == 1]
    assert middles, "the middle months were not read from the counts"


def _pillar_of_two(cx: Cxgap) -> str:
    with cx.reading() as session:
        topics = listening_queries.topic_rows(session, get_workspace(session, "acme").id)
    for pillar in sorted({p for t in topics for p in t.pillar_keys}):
        members = {t.key for t in topics if pillar in t.pillar_keys}
        if len(members & {"delivery", "price", "staff", "billing"}) >= 2:
            return pillar
    raise AssertionError("no pillar holds two of the test's topics")


@pytest.mark.parametrize(
    "filters",
    [{"topic": "delivery"}, {"pillar": ""}, {"topic": "price", "source": "survey"},
     {"topic": "staff", "from": "2025-03-01", "to": "2025-08-31"},
     {"topic": "delivery", "from": "2025-03-02", "to": "2025-08-12"},
     {"source": "review", "language": "en"}],
)  # fmt: skip
def test_every_page_is_the_same_from_the_set_counts_and_from_the_rows(
    corrected: tuple[Cxgap, int], monkeypatch: pytest.MonkeyPatch, filters: dict[str, str]
) -> None:
    cx, _ = corrected
    if "pillar" in filters:
        filters = {"pillar": _pillar_of_two(cx)}
    read: list[bool] = []
    serves = listening_sets.serves

    def spy(f: FeedbackFilter) -> bool:
        read.append(served := serves(f))
        return served

    monkeypatch.setattr(listening_sets, "serves", spy)
    from_counts = _views(cx, filters)
    assert any(read), "the pages did not read the topic-set counts"
    monkeypatch.setattr(listening_sets, "serves", lambda f: False)
    monkeypatch.setattr(listening_cube, "serves", lambda f, need="day": False)
    assert _views(cx, filters) == from_counts


def test_the_set_counts_follow_enrichment_and_equal_a_rebuild(
    corrected: tuple[Cxgap, int],
) -> None:
    cx, ws = corrected
    _assert_cube_is_rebuild(cx)
    with cx.reading() as session:
        workspace = get_workspace(session, "acme")
    for version, size in ((2, 5), (3, 40)):
        enrichment.enrich_pending(cx.sessions, workspace, CorrectedAnalyzer(version),
                                  batch_size=size)  # fmt: skip
        _assert_cube_is_rebuild(cx)
    with cx.reading() as session:
        counted: dict[str, Any] = _rows(session, ws)
    assert all(
        counted[name]
        for name in ("listening_set_counts", "listening_set_mention_counts",
                     "listening_set_score_counts")
    )  # fmt: skip


def test_the_score_reads_of_a_transaction_share_one_statement(cx: Cxgap) -> None:
    """The trends' four series, their NPS by source and "has scores" under a topic filter
    read the topic-set score counts once per transaction (``listening_sets._score_rows``),
    and a later transaction reads them again."""
    cx.upgrade()
    with cx.transaction() as session:
        make_workspace(session)
    f = FeedbackFilter(topic_sets=(("delivery",),))
    statements: list[str] = []

    def seen(conn: object, cursor: object, statement: str, *args: object) -> None:
        if "listening_set_score_counts" in statement:
            statements.append(statement)

    event.listen(cx.engine, "before_cursor_execute", seen)
    try:
        for _ in range(2):
            with cx.reading() as session:
                ws = get_workspace(session, "acme").id
                for metric in ("nps", "csat", "ces", "stars"):
                    listening_sets.score_histograms(session, ws, f, metric)  # type: ignore[arg-type]
                    listening_sets.has_scores(session, ws, f, metric)  # type: ignore[arg-type]
                listening_sets.nps_by_source(session, ws, f)
    finally:
        event.remove(cx.engine, "before_cursor_execute", seen)
    assert len(statements) == 2
