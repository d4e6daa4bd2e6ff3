"""The touchpoint counts (db.listening_touchpoints, migration 0045): under a touchpoint
filter (its own touchpoint or one of its topics), alone or with a topic, source, channel,
language, sentiment or whole months, every reader equals the raw query on SQLite and
PostgreSQL; dates inside months add the edge days from the rows; every page is the same
JSON from the counts and from the rows; the counts equal a rebuild after re-enrichment."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from cxgap.db import listening_cube, listening_queries, listening_reads, listening_sets
from cxgap.db import listening_touchpoints as touch
from cxgap.db import source_queries as sources
from cxgap.db.feedback_filters import FeedbackFilter
from cxgap.db.tables import Feedback
from cxgap.services import enrichment
from cxgap.services.core import Cxgap
from cxgap.services.workspaces import get_workspace
from tests.db.test_listening_counts import _assert_cube_is_rebuild, _rows, _same, _views
from tests.db.test_listening_sets import CorrectedAnalyzer, corrected  # noqa: F401


def _day(month: int, day: int = 1) -> datetime:
    return datetime(2025, month, day, tzinfo=UTC)


SERVED = [
    FeedbackFilter(touchpoint="checkout", touchpoint_topics=("price", "staff")),
    FeedbackFilter(touchpoint="delivery", touchpoint_topics=("delivery",)),
    FeedbackFilter(touchpoint="checkout"),  # no topic linked: its own records only
    FeedbackFilter(touchpoint="nowhere", touchpoint_topics=("staff",)),  # its topics only
    FeedbackFilter(touchpoint="checkout", touchpoint_topics=("price",),
                   topic_sets=(("delivery", "staff"),)),
    FeedbackFilter(touchpoint="delivery", touchpoint_topics=("delivery",),
                   source_types=("survey",), sentiments=("negative", "")),
    FeedbackFilter(touchpoint="checkout", touchpoint_topics=("staff",), channels=("web",),
                   languages=("fr",)),
    FeedbackFilter(touchpoint="delivery", touchpoint_topics=("price",), date_from=_day(3),
                   date_to=_day(10)),
]  # fmt: skip
SPLIT = [
    FeedbackFilter(touchpoint="checkout", touchpoint_topics=("price",), date_from=_day(3, 15),
                   date_to=_day(9, 11)),
    FeedbackFilter(touchpoint="delivery", date_from=_day(2, 2), date_to=_day(6)),
]  # fmt: skip


def test_what_the_touchpoint_counts_serve() -> None:
    assert all(touch.serves(f) for f in SERVED)
    assert not any(listening_cube.serves(f) or listening_sets.serves(f) for f in SERVED)
    assert not touch.serves(FeedbackFilter(topic_sets=(("x",),)))
    assert not touch.serves(FeedbackFilter(touchpoint="tp", search="late"))
    assert not touch.serves(FeedbackFilter(touchpoint="tp", date_to=_day(3, 2)))
    assert touch.topics_part(SERVED[2]) is None
    assert touch.topics_part(SERVED[4]) == FeedbackFilter(
        topic_sets=(("delivery", "staff"), ("price",))
    )


def _assert_equal_rows(session: Session, ws: int, f: FeedbackFilter) -> None:
    reads, rows = listening_reads, listening_queries
    assert sorted(reads.facet_table(session, ws, f), key=str) == sorted(
        rows.facet_table(session, ws, f), key=str
    )
    assert reads.count_verbatims(session, ws, f) == rows.count_verbatims(session, ws, f)
    assert reads.topic_facet_counts(session, ws, f) == rows.topic_facet_counts(session, ws, f)
    bounds = rows.date_bounds(session, ws, f)
    assert reads.day_bounds(session, ws, f) == (
        bounds and (bounds[0].astimezone(UTC).date(), bounds[1].astimezone(UTC).date())
    )
    assert reads.sentiment_histograms(session, ws, f, "month") == (
        rows.sentiment_histograms(session, ws, f, "month")
    )
    got = sorted(reads.mention_counts(session, ws, f, "month"))
    want = sorted(rows.mention_counts(session, ws, f, "month"))
    assert [r[:4] for r in got] == [r[:4] for r in want]
    _same([r[4] for r in got], [r[4] for r in want])
    for metric in ("nps", "csat", "ces", "stars"):
        assert reads.score_histograms(session, ws, f, metric, "month") == (
            rows.score_histograms(session, ws, f, metric, "month")
        )
        assert reads.has_scores(session, ws, f, metric) == rows.has_scores(session, ws, f, metric)
    for metric in ("nps", "stars"):
        assert reads.driver_patterns(session, ws, f, metric) == sorted(
            rows.driver_patterns(session, ws, f, metric), key=lambda p: (sorted(p[0]), p[1])
        )
    # The first and last answer by UTC day: two parts merged give days (as listening_edges).
    got_nps = [(s.source_type, s.histogram, _utc_day(s.first), _utc_day(s.last))
               for s in reads.nps_by_source(session, ws, f)]  # fmt: skip
    want_nps = [(s.source_type, s.histogram, _utc_day(s.first), _utc_day(s.last))
                for s in sources.feedback_nps_by_source(session, ws, f)]  # fmt: skip
    assert got_nps == want_nps


def _utc_day(moment: datetime | None) -> date | None:
    return None if moment is None else moment.astimezone(UTC).date()


def _spy(monkeypatch: pytest.MonkeyPatch) -> list[FeedbackFilter]:
    read: list[FeedbackFilter] = []
    serves = touch.serves

    def spy(f: FeedbackFilter) -> bool:
        if served := serves(f):
            read.append(f)
        return served

    monkeypatch.setattr(touch, "serves", spy)
    return read


def test_every_reader_equals_the_rows(
    corrected: tuple[Cxgap, int],  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    cx, ws = corrected
    read = _spy(monkeypatch)
    with cx.reading() as session:
        own = session.scalars(select(Feedback.touchpoint).where(Feedback.workspace_id == ws))
        assert {"checkout", "delivery"} <= set(own), "the data has no touchpoints"
        for f in SERVED + SPLIT:
            _assert_equal_rows(session, ws, f)
        only_own = listening_reads.count_verbatims(session, ws, SERVED[2])
        assert 10 < only_own < listening_reads.count_verbatims(session, ws, SERVED[0])
        assert listening_reads.count_verbatims(session, ws, SERVED[3]) > 10
    assert read, "the touchpoint counts were not read"
    assert any(g.date_from and g.date_from.day == 1 for g in read), "no middle months read"


@pytest.mark.parametrize(
    "filters",
    [{"touchpoint": "checkout"}, {"touchpoint": "delivery", "source": "survey"},
     {"touchpoint": "checkout", "topic": "staff", "from": "2025-03-01", "to": "2025-08-31"},
     {"touchpoint": "delivery", "from": "2025-03-02", "to": "2025-08-12"}],
)  # fmt: skip
def test_every_page_is_the_same_from_the_touchpoint_counts_and_from_the_rows(
    corrected: tuple[Cxgap, int],  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
    filters: dict[str, str],
) -> None:
    cx, _ = corrected
    read = _spy(monkeypatch)
    from_counts = _views(cx, filters)
    assert read, "the pages did not read the touchpoint counts"
    monkeypatch.setattr(touch, "serves", lambda f: False)
    monkeypatch.setattr(listening_sets, "serves", lambda f: False)
    monkeypatch.setattr(listening_cube, "serves", lambda f, need="day": False)
    assert _views(cx, filters) == from_counts


def test_the_touchpoint_counts_follow_enrichment_and_equal_a_rebuild(
    corrected: tuple[Cxgap, int],  # noqa: F811
) -> None:
    cx, ws = corrected
    with cx.reading() as session:
        workspace = get_workspace(session, "acme")
    enrichment.enrich_pending(cx.sessions, workspace, CorrectedAnalyzer(2), batch_size=9)
    _assert_cube_is_rebuild(cx)
    with cx.reading() as session:
        counted: dict[str, Any] = _rows(session, ws)
        for f in SERVED[:3]:
            _assert_equal_rows(session, ws, f)
    names = ("listening_touchpoint_counts", "listening_touchpoint_mention_counts",
             "listening_touchpoint_score_counts")  # fmt: skip
    assert all(counted[name] for name in names)
