"""The touchpoint and segment counts per day (db.listening_day_set_tables, migration 0052):
under a touchpoint filter (its own touchpoint or its topics) or a segment filter with dates
inside months (or inside one month), alone or with a topic, source, channel, language or
sentiment, every Listening reader takes the days it cannot take from the month counts from
the day touchpoint (plus day topic-set) or day segment counts, reads no row for them, and
gives exactly the figures of the rows, on SQLite and PostgreSQL; as membership changes (a
rule changed, an import) and after re-enrichment too. A segment and a touchpoint together
(migration 0053) from the counts of the segment's members by touchpoint plus the segment
counts for its topics, over whole months and edge days alike."""

from __future__ import annotations

import dataclasses
import random
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from cxgap.db import listening_queries, listening_reads, source_queries
from cxgap.db.feedback_filters import FeedbackFilter
from cxgap.db.listening_day_set_tables import (
    ListeningDaySegmentCount,
    ListeningDaySegmentMentionCount,
    ListeningDaySegmentScoreCount,
    ListeningDayTouchpointCount,
    ListeningDayTouchpointMentionCount,
    ListeningDayTouchpointScoreCount,
)
from cxgap.db.listening_segment_touch_tables import (
    ListeningDaySegmentTouchpointCount,
    ListeningDaySegmentTouchpointMentionCount,
    ListeningDaySegmentTouchpointScoreCount,
    ListeningSegmentTouchpointCount,
    ListeningSegmentTouchpointMentionCount,
    ListeningSegmentTouchpointScoreCount,
)
from cxgap.db.segment_members import member_condition
from cxgap.services import enrichment
from cxgap.services.core import Cxgap
from cxgap.services.segments import set_segment_rule
from cxgap.services.workspaces import get_workspace
from tests.db.test_listening_counts import _assert_cube_is_rebuild, _stage_import, _write_csv
from tests.db.test_listening_day_sets import ROW_READERS, _figures, _spy
from tests.db.test_listening_day_sets import corrected as corrected
from tests.db.test_listening_segments import _segments
from tests.db.test_listening_sets import CorrectedAnalyzer


def _day(month: int, day: int = 1) -> datetime:
    return datetime(2025, month, day, tzinfo=UTC)


# Edges on days whose records straddle UTC midnight in the CSV's offsets (+00:00 to +05:00).
TOUCHPOINTS = [
    FeedbackFilter(touchpoint="checkout", touchpoint_topics=("price", "staff"),
                   date_from=_day(3, 15), date_to=_day(9, 11)),
    FeedbackFilter(touchpoint="delivery", date_from=_day(2, 2), date_to=_day(6)),
    FeedbackFilter(touchpoint="checkout", touchpoint_topics=("price",),
                   topic_sets=(("delivery", "staff"),), date_from=_day(4, 20),
                   date_to=_day(11, 3)),  # a topic with a touchpoint
    FeedbackFilter(touchpoint="delivery", touchpoint_topics=("delivery",),
                   source_types=("survey",), sentiments=("negative", ""),
                   date_from=_day(5, 31), date_to=_day(7, 2)),
    FeedbackFilter(touchpoint="nowhere", touchpoint_topics=("staff",), date_from=_day(3, 2),
                   date_to=_day(3, 20)),  # its topics only, inside one month
    FeedbackFilter(touchpoint="checkout", channels=("web",), languages=("fr",),
                   date_from=_day(2, 28)),
]  # fmt: skip
SEGMENTS = [
    ("detractor", FeedbackFilter(date_from=_day(3, 15), date_to=_day(9, 11))),
    ("web_or_checkout", FeedbackFilter(topic_sets=(("staff",),), date_from=_day(2, 2),
                                       date_to=_day(6))),  # a topic with a segment
    ("detractor", FeedbackFilter(source_types=("survey",), date_from=_day(4, 20),
                                 date_to=_day(11, 3))),
    ("web_or_checkout", FeedbackFilter(date_from=_day(3, 2), date_to=_day(3, 20))),
    ("detractor", FeedbackFilter(languages=("fr",), date_to=_day(10, 2))),
    ("web_or_checkout", FeedbackFilter(sentiments=("negative",), date_from=_day(5, 31),
                                       date_to=_day(7, 2))),
]  # fmt: skip
TABLES = (
    ListeningDayTouchpointCount,
    ListeningDayTouchpointMentionCount,
    ListeningDayTouchpointScoreCount,
    ListeningDaySegmentCount,
    ListeningDaySegmentMentionCount,
    ListeningDaySegmentScoreCount,
)

BOTH_TABLES = (
    ListeningSegmentTouchpointCount,
    ListeningSegmentTouchpointMentionCount,
    ListeningSegmentTouchpointScoreCount,
    ListeningDaySegmentTouchpointCount,
    ListeningDaySegmentTouchpointMentionCount,
    ListeningDaySegmentTouchpointScoreCount,
)


def _of(f: FeedbackFilter, segment_id: int) -> FeedbackFilter:
    return dataclasses.replace(f, segment=member_condition(segment_id), segment_ids=(segment_id,))


def _filters(cx: Cxgap) -> list[FeedbackFilter]:
    ids = _segments(cx)
    return [*TOUCHPOINTS, *(_of(f, ids[key]) for key, f in SEGMENTS)]


def _assert_counts_equal_rows(
    cx: Cxgap, ws: int, filters: list[FeedbackFilter], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every reader's figures from the counts equal the rows', with no row reader called."""
    with cx.reading() as session, monkeypatch.context() as patched:
        wanted = [_figures(session, ws, f, listening_queries, source_queries) for f in filters]
        for want, f in zip(wanted, filters, strict=True):
            assert want["total"] > 0, f  # each filter keeps some records
        called: list[str] = []
        for module, name in ROW_READERS:
            patched.setattr(module, name, _spy(called, name, getattr(module, name)))
        for f, want in zip(filters, wanted, strict=True):
            got = _figures(session, ws, f, listening_reads, listening_reads)
            assert got["sums"] == pytest.approx(want["sums"], rel=1e-9, abs=1e-9), f
            got["sums"] = want["sums"]
            assert got == want, f
            assert called == [], f


def test_edge_days_under_a_touchpoint_or_segment_come_from_their_day_counts(
    corrected: tuple[Cxgap, int],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    cx, ws = corrected
    filters = _filters(cx)
    _assert_counts_equal_rows(cx, ws, filters, monkeypatch)
    with cx.reading() as session:
        for model in TABLES:
            held = select(func.count()).select_from(model).where(model.workspace_id == ws)
            assert (session.scalar(held) or 0) > 50, model.__tablename__


def test_the_day_counts_follow_membership_and_enrichment_and_equal_a_rebuild(
    corrected: tuple[Cxgap, int],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    cx, ws = corrected
    filters = _filters(cx)
    _assert_cube_is_rebuild(cx)
    # An import updating half the records (new values, so new members) and adding more.
    _stage_import(cx, _write_csv(tmp_path / "b.csv", random.Random(12), range(120, 300)))
    with cx.transaction() as session:  # a rule changed
        workspace = get_workspace(session, "acme")
        set_segment_rule(session, workspace=workspace, key="detractor", rule="nps >= 9")
    enrichment.enrich_pending(cx.sessions, workspace, CorrectedAnalyzer(2), batch_size=19)
    _assert_cube_is_rebuild(cx)
    _assert_counts_equal_rows(cx, ws, filters, monkeypatch)


# A segment and a touchpoint together (migration 0053): whole months, dates inside months,
# inside one month, with a topic or a dimension.
BOTH = [
    ("detractor", FeedbackFilter(touchpoint="checkout", touchpoint_topics=("price", "staff"))),
    ("web_or_checkout", FeedbackFilter(touchpoint="delivery", touchpoint_topics=("delivery",),
                                       date_from=_day(3, 15), date_to=_day(9, 11))),
    ("detractor", FeedbackFilter(touchpoint="delivery", date_from=_day(3), date_to=_day(10))),
    ("web_or_checkout", FeedbackFilter(touchpoint="checkout", touchpoint_topics=("price",),
                                       topic_sets=(("delivery", "staff"),),
                                       date_from=_day(2, 2), date_to=_day(6))),
    ("detractor", FeedbackFilter(touchpoint="nowhere", touchpoint_topics=("staff",),
                                 date_from=_day(3, 2), date_to=_day(3, 20))),
    ("web_or_checkout", FeedbackFilter(touchpoint="checkout", source_types=("survey",),
                                       languages=("en", "fr"), date_to=_day(10, 2))),
]  # fmt: skip


def test_a_segment_and_a_touchpoint_together_come_from_their_counts(
    corrected: tuple[Cxgap, int],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    cx, ws = corrected
    ids = _segments(cx)
    filters = [_of(f, ids[key]) for key, f in BOTH]
    assert all(listening_reads._plan(f, "month") is not None for f in filters[:4])
    _assert_counts_equal_rows(cx, ws, filters, monkeypatch)
    with cx.reading() as session:
        for model in BOTH_TABLES:
            held = select(func.count()).select_from(model).where(model.workspace_id == ws)
            assert (session.scalar(held) or 0) > 20, model.__tablename__
    # Membership and records change: an import, a rule changed, a re-enrichment.
    _stage_import(cx, _write_csv(tmp_path / "b.csv", random.Random(13), range(100, 280)))
    with cx.transaction() as session:
        workspace = get_workspace(session, "acme")
        set_segment_rule(session, workspace=workspace, key="detractor", rule="nps >= 7")
    enrichment.enrich_pending(cx.sessions, workspace, CorrectedAnalyzer(2), batch_size=21)
    _assert_cube_is_rebuild(cx)
    _assert_counts_equal_rows(cx, ws, filters, monkeypatch)
