"""Dates inside a month or week (db.listening_edges): the whole months (weeks) from the
counts and the days at either end from the rows give exactly the figures of the rows over the
whole range, on SQLite and PostgreSQL; the scores by week (listening_week_score_counts,
migration 0028) equal the rows'."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, get_args

import pytest
from sqlalchemy.orm import Session

from cxgap.db import listening_cube, listening_queries, listening_reads, source_queries
from cxgap.db.feedback_filters import FeedbackFilter
from cxgap.db.listening_cube import Need
from cxgap.db.listening_edges import period_split
from cxgap.db.listening_queries import ScoreColumn
from cxgap.services import enrichment
from cxgap.services.core import Cxgap
from cxgap.services.workspaces import get_workspace
from tests.db.test_listening_counts import _stage_import, _write_csv
from tests.factories import make_workspace
from tests.listening import TOPICS, RuleAnalyzer, in_order
from tests.prepared import Prepared


def _day(month: int, day: int, year: int = 2025) -> datetime:
    return datetime(year, month, day, tzinfo=UTC)


def test_a_range_splits_into_whole_months_and_edge_days() -> None:
    split = period_split(
        FeedbackFilter(channels=("web",), date_from=_day(3, 15), date_to=_day(9, 11))
    )
    assert split is not None
    assert split.middle == FeedbackFilter(
        channels=("web",), date_from=_day(4, 1), date_to=_day(9, 1)
    )
    assert split.edges == (
        FeedbackFilter(channels=("web",), date_from=_day(3, 15), date_to=_day(4, 1)),
        FeedbackFilter(channels=("web",), date_from=_day(9, 1), date_to=_day(9, 11)),
    )


def test_open_ends_and_december_split_too() -> None:
    split = period_split(FeedbackFilter(date_from=_day(12, 2, 2024)))
    assert split is not None
    assert split.middle == FeedbackFilter(date_from=_day(1, 1))
    assert split.edges == (FeedbackFilter(date_from=_day(12, 2, 2024), date_to=_day(1, 1)),)
    split = period_split(FeedbackFilter(date_to=_day(2, 20)))
    assert split is not None
    assert split.middle == FeedbackFilter(date_to=_day(2, 1))
    assert split.edges == (FeedbackFilter(date_from=_day(2, 1), date_to=_day(2, 20)),)


def test_what_has_nothing_to_split_is_not_split() -> None:
    assert period_split(FeedbackFilter()) is None
    assert period_split(FeedbackFilter(date_from=_day(3, 1), date_to=_day(5, 1))) is None
    assert period_split(FeedbackFilter(date_from=_day(3, 3), date_to=_day(4, 20))) is None
    assert period_split(FeedbackFilter(date_from=_day(3, 3), date_to=_day(3, 20))) is None
    half_day = datetime(2025, 3, 3, 12, tzinfo=UTC)
    assert period_split(FeedbackFilter(date_from=half_day, date_to=_day(9, 1))) is None


def test_weeks_split_on_mondays() -> None:
    # 2025-03-05 is a Wednesday, 2025-03-10 and 2025-03-31 Mondays, 2025-04-02 a Wednesday.
    split = period_split(FeedbackFilter(date_from=_day(3, 5), date_to=_day(4, 2)), "week")
    assert split is not None
    assert split.middle == FeedbackFilter(date_from=_day(3, 10), date_to=_day(3, 31))
    assert split.edges == (
        FeedbackFilter(date_from=_day(3, 5), date_to=_day(3, 10)),
        FeedbackFilter(date_from=_day(3, 31), date_to=_day(4, 2)),
    )
    assert period_split(FeedbackFilter(date_from=_day(3, 10), date_to=_day(3, 31)), "week") is None
    assert period_split(FeedbackFilter(date_from=_day(3, 5), date_to=_day(3, 12)), "week") is None


@pytest.fixture
def enriched(cx: Cxgap, prepared: Prepared, tmp_path: Path) -> Iterator[tuple[Cxgap, int]]:
    """300 imported records enriched by the rule analyzer.
    Written once per session and backend (tests/prepared.py), copied for each test."""

    def build(app: Cxgap) -> int:
        with app.transaction() as session:
            make_workspace(session)
        _stage_import(app, _write_csv(tmp_path / "a.csv", random.Random(5), range(0, 300)))
        with app.reading() as session:
            workspace = get_workspace(session, "acme")
        enrichment.enrich_pending(app.sessions, workspace, RuleAnalyzer(TOPICS))
        return workspace.id

    yield cx, prepared.prepare(cx, "db-listening-edges-enriched", build)


OUTCOMES: tuple[ScoreColumn, ...] = ("nps", "stars")

# Edges on days whose records straddle UTC midnight in the CSV's offsets (+00:00 to +05:00).
FILTERS = [
    FeedbackFilter(date_from=_day(3, 2), date_to=_day(8, 13)),
    FeedbackFilter(date_from=_day(2, 28)),
    FeedbackFilter(date_to=_day(10, 2)),
    FeedbackFilter(date_from=_day(4, 10), date_to=_day(6, 1), source_types=("survey",)),
    FeedbackFilter(date_from=_day(1, 1), date_to=_day(11, 27), channels=("web",)),
    FeedbackFilter(date_from=_day(5, 31), date_to=_day(7, 2), sentiments=("negative",)),
]


def _split(f: FeedbackFilter, need: Need) -> object:
    """Whether the reads take whole periods from the counts and edge days from the rows."""
    plan = listening_reads._plan(f, need)
    return plan if plan is not None and plan[2] else None


def _assert_reads_equal_rows(session: Session, ws: int, f: FeedbackFilter) -> None:
    reads, rows = listening_reads, listening_queries
    assert reads.topic_facet_counts(session, ws, f) == rows.topic_facet_counts(session, ws, f)
    got = sorted(reads.mention_counts(session, ws, f, "month"))
    want = sorted(rows.mention_counts(session, ws, f, "month"))
    assert [r[:4] for r in got] == [r[:4] for r in want]
    assert [r[4] for r in got] == pytest.approx([r[4] for r in want], rel=1e-9, abs=1e-9)
    for metric in get_args(ScoreColumn):
        assert reads.score_histograms(session, ws, f, metric, "month") == (
            rows.score_histograms(session, ws, f, metric, "month")
        )
        assert reads.has_scores(session, ws, f, metric) == rows.has_scores(session, ws, f, metric)
    for metric in OUTCOMES:
        want = in_order(rows.driver_patterns(session, ws, f, metric))
        assert in_order(reads.driver_patterns(session, ws, f, metric)) == want
    got_nps = reads.nps_by_source(session, ws, f)
    want_nps = source_queries.feedback_nps_by_source(session, ws, f)
    assert [(s.source_type, s.histogram) for s in got_nps] == [
        (s.source_type, s.histogram) for s in want_nps
    ]
    assert [(s.first and s.first.date(), s.last and s.last.date()) for s in got_nps] == [
        (s.first and s.first.astimezone(UTC).date(), s.last and s.last.astimezone(UTC).date())
        for s in want_nps
    ]


def test_whole_months_from_the_counts_and_edges_from_the_rows_equal_the_rows(
    enriched: tuple[Cxgap, int],
) -> None:
    cx, ws = enriched
    with cx.reading() as session:
        assert listening_queries.count_verbatims(session, ws, FeedbackFilter()) == 300
        for f in FILTERS:
            assert _split(f, "month") is not None, f  # the new path, not rows
            _assert_reads_equal_rows(session, ws, f)
        drivers = [f for f in FILTERS if _split(f, "drivers") is not None]
        assert len(drivers) == 6  # the topic-set counts take the drivers' other filters too


def test_a_filter_the_counts_cannot_serve_is_not_split(enriched: tuple[Cxgap, int]) -> None:
    cx, ws = enriched
    f = FeedbackFilter(date_from=_day(3, 2), date_to=_day(8, 13), search="late")
    assert _split(f, "month") is None
    with cx.reading() as session:
        _assert_reads_equal_rows(session, ws, f)


WEEK_FILTERS = [
    FeedbackFilter(),  # served whole by the week counts
    FeedbackFilter(date_from=_day(3, 10), date_to=_day(9, 1), source_types=("review",)),
    FeedbackFilter(date_from=_day(3, 5), date_to=_day(8, 13)),  # split: edges from the rows
    FeedbackFilter(date_to=_day(6, 4), languages=("fr",)),
    FeedbackFilter(date_from=_day(2, 28), sentiments=("positive",), channels=("app",)),
]


def test_scores_by_week_equal_the_rows(enriched: tuple[Cxgap, int]) -> None:
    cx, ws = enriched
    paths = []
    with cx.reading() as session:
        for f in WEEK_FILTERS:
            paths.append(
                "counts"
                if listening_cube.serves(f, "week")
                else "split"
                if _split(f, "week")
                else "rows"
            )
            for metric in get_args(ScoreColumn):
                got = listening_reads.score_histograms(session, ws, f, metric, "week")
                assert got == listening_queries.score_histograms(session, ws, f, metric, "week")
        assert sum(
            sum(n for h in listening_cube.week_score_histograms(session, ws, f, "nps").values()
                for n in h.values()) for f in WEEK_FILTERS[:1]
        ) > 100  # fmt: skip
    assert paths == ["counts", "counts", "split", "split", "split"]


# Ranges whose edges (or whole range: no whole month inside) the day counts serve (0048).
DAY_FILTERS = [
    *FILTERS,
    FeedbackFilter(date_from=_day(3, 2), date_to=_day(3, 20)),  # inside one month
    FeedbackFilter(date_from=_day(4, 28), date_to=_day(5, 3), languages=("fr",)),
]
ROW_READERS = (
    (listening_queries, "topic_facet_counts"),
    (listening_queries, "mention_counts"),
    (listening_queries, "score_histograms"),
    (listening_queries, "has_scores"),
    (listening_queries, "driver_patterns"),
    (source_queries, "feedback_nps_by_source"),
)


def test_edge_days_come_from_the_day_counts_not_the_rows(
    enriched: tuple[Cxgap, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every month reader under dates inside months (or inside one month) reads the day
    counts for the days it cannot take from the month counts (the drivers under a dimension
    the day topic-set counts, migration 0051): no row reader is called, and the figures
    equal the rows' (computed before the row readers are replaced)."""
    cx, ws = enriched
    with cx.reading() as session:
        wanted = []
        for f in DAY_FILTERS:
            wanted.append(_figures(session, ws, f, listening_queries, source_queries))
        called: list[str] = []
        for module, name in ROW_READERS:
            monkeypatch.setattr(module, name, _spy(called, name, getattr(module, name)))
        for f, want in zip(DAY_FILTERS, wanted, strict=True):
            got = _figures(session, ws, f, listening_reads, listening_reads)
            assert got[:-1] == want[:-1], f
            mentions, scores = got[-1], want[-1]
            assert [m[:4] for m in mentions] == [m[:4] for m in scores]
            assert [m[4] for m in mentions] == pytest.approx([m[4] for m in scores], rel=1e-9)
            assert called == [], f  # the drivers under a dimension: the day set counts (0051)
            called.clear()
        # The day tables hold something: a day filter with records reads non-empty counts.
        first = listening_cube.topic_facet_counts(session, ws, DAY_FILTERS[-2], by_day=True)
        assert sum(n for _, n in first) > 0


def _spy(called: list[str], name: str, real: Callable[..., Any]) -> Callable[..., Any]:
    def spy(*args: Any, **kwargs: Any) -> Any:
        called.append(name)
        return real(*args, **kwargs)

    return spy


def _figures(session: Session, ws: int, f: FeedbackFilter, r: Any, nps: Any) -> tuple[Any, ...]:
    """Every month reader's figures under ``f`` (mentions last, their sums compared apart)."""
    if nps is listening_reads:
        sources = nps.nps_by_source(session, ws, f)
    else:
        sources = nps.feedback_nps_by_source(session, ws, f)
    metrics = get_args(ScoreColumn)
    return (
        r.topic_facet_counts(session, ws, f),
        {m: r.score_histograms(session, ws, f, m, "month") for m in metrics},
        {m: r.score_histograms(session, ws, f, m, "week") for m in metrics},
        {m: r.has_scores(session, ws, f, m) for m in metrics},
        {m: in_order(r.driver_patterns(session, ws, f, m)) for m in OUTCOMES},
        [
            (s.source_type, s.histogram, s.first and s.first.astimezone(UTC).date(),
             s.last and s.last.astimezone(UTC).date())
            for s in sources
        ],
        sorted(r.mention_counts(session, ws, f, "month")),
    )  # fmt: skip
