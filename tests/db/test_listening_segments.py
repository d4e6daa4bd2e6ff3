"""The counts per segment (db.listening_segments, migration 0045): under a segment filter,
alone or with a topic, source, language, sentiment or whole months, every reader equals the
raw query on SQLite and PostgreSQL; dates inside months add the edge days from the rows;
every page is the same JSON from the counts and from the rows; the counts equal a rebuild
after each change of membership (a new segment, a rule changed, an import adding and
updating members, a segment deleted) and after re-enrichment."""

from __future__ import annotations

import dataclasses
import random
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from cxgap.db import listening_cube, listening_reads, listening_segments, listening_sets
from cxgap.db import listening_touchpoints as touch
from cxgap.db.feedback_filters import FeedbackFilter
from cxgap.db.listening_count_tables import ListeningSegmentCount
from cxgap.db.segment_members import member_condition
from cxgap.db.tables import Segment
from cxgap.services import enrichment
from cxgap.services.core import Cxgap
from cxgap.services.segments import delete_segment, set_segment_rule
from cxgap.services.workspaces import add_segments, get_workspace
from tests.db.test_listening_counts import (
    _assert_cube_is_rebuild,
    _stage_import,
    _views,
    _write_csv,
)
from tests.db.test_listening_sets import CorrectedAnalyzer, corrected  # noqa: F401
from tests.db.test_listening_touchpoints import _assert_equal_rows


def _day(month: int, day: int = 1) -> datetime:
    return datetime(2025, month, day, tzinfo=UTC)


RULES = {"detractor": "nps <= 6", "web_or_checkout": 'channel = "web" or touchpoint = "checkout"'}
FILTERS = [
    FeedbackFilter(),
    FeedbackFilter(topic_sets=(("delivery",),)),
    FeedbackFilter(topic_sets=(("price", "staff"),), source_types=("survey",)),
    FeedbackFilter(languages=("fr",), sentiments=("negative",)),
    FeedbackFilter(date_from=_day(3), date_to=_day(10)),
    FeedbackFilter(date_from=_day(3, 15), date_to=_day(9, 11)),  # edge days from the rows
]


def _segments(cx: Cxgap) -> dict[str, int]:
    with cx.transaction() as session:
        workspace = get_workspace(session, "acme")
        add_segments(session, workspace=workspace, segments=[(k, k, k) for k in RULES])
        for key, rule in RULES.items():
            set_segment_rule(session, workspace=workspace, key=key, rule=rule)
        found = select(Segment.key, Segment.id).where(
            Segment.workspace_id == workspace.id, Segment.key.in_(list(RULES))
        )
        return {str(k): int(i) for k, i in session.execute(found)}


def _of(f: FeedbackFilter, segment_id: int) -> FeedbackFilter:
    return dataclasses.replace(f, segment=member_condition(segment_id), segment_ids=(segment_id,))


def _assert_all_equal_rows(cx: Cxgap, ws: int, ids: dict[str, int]) -> None:
    with cx.reading() as session:
        for segment_id in ids.values():
            for f in FILTERS:
                _assert_equal_rows(session, ws, _of(f, segment_id))


def test_what_the_segment_counts_serve() -> None:
    member = member_condition(1)
    assert listening_segments.serves(FeedbackFilter(segment=member, segment_ids=(1,)))
    assert listening_segments.serves(FeedbackFilter(segment=member, segment_ids=(1, 1)))
    assert not listening_segments.serves(FeedbackFilter(segment=member))  # no id known
    assert not listening_segments.serves(FeedbackFilter(segment=member, segment_ids=(1, 2)))
    assert not listening_segments.serves(
        FeedbackFilter(segment=member, segment_ids=(1,), touchpoint="checkout")
    )
    assert not listening_segments.serves(
        FeedbackFilter(segment=member, segment_ids=(1,), search="late")
    )
    assert not any(
        check(_of(f, 1)) for f in FILTERS for check in (listening_sets.serves, touch.serves)
    )


def test_every_reader_equals_the_rows_as_membership_changes(
    corrected: tuple[Cxgap, int],  # noqa: F811
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    cx, ws = corrected
    read: list[FeedbackFilter] = []
    serves = listening_segments.serves

    def spy(f: FeedbackFilter) -> bool:
        if served := serves(f):
            read.append(f)
        return served

    monkeypatch.setattr(listening_segments, "serves", spy)
    ids = _segments(cx)  # new segments: their members and counts built
    _assert_cube_is_rebuild(cx)
    _assert_all_equal_rows(cx, ws, ids)
    assert read, "the segment counts were not read"
    with cx.reading() as session:
        for segment_id in ids.values():
            f = _of(FeedbackFilter(), segment_id)
            n = listening_reads.count_verbatims(session, ws, f)
            assert 10 < n < 160, (ids, segment_id, n)
    # An import updating half the records (new values, so new members) and adding more.
    _stage_import(cx, _write_csv(tmp_path / "b.csv", random.Random(12), range(80, 240)))
    with cx.reading() as session:
        workspace = get_workspace(session, "acme")
    enrichment.enrich_pending(cx.sessions, workspace, CorrectedAnalyzer(1), batch_size=17)
    _assert_cube_is_rebuild(cx)
    _assert_all_equal_rows(cx, ws, ids)
    with cx.transaction() as session:  # a rule changed
        workspace = get_workspace(session, "acme")
        set_segment_rule(session, workspace=workspace, key="detractor", rule="nps >= 9")
    enrichment.enrich_pending(cx.sessions, workspace, CorrectedAnalyzer(2), batch_size=23)
    _assert_cube_is_rebuild(cx)
    _assert_all_equal_rows(cx, ws, ids)
    with cx.transaction() as session:  # a segment deleted: its counts go with it
        delete_segment(session, workspace=get_workspace(session, "acme"), key="detractor")
        gone = select(func.count()).where(ListeningSegmentCount.segment_id == ids["detractor"])
        assert session.scalar(gone) == 0
    _assert_cube_is_rebuild(cx)


@pytest.mark.parametrize(
    "filters",
    [{"segment": "detractor"}, {"segment": "web_or_checkout", "topic": "staff"},
     {"segment": "detractor", "source": "survey", "from": "2025-03-01", "to": "2025-08-31"},
     {"segment": "web_or_checkout", "from": "2025-03-02", "to": "2025-08-12"}],
)  # fmt: skip
def test_every_page_is_the_same_from_the_segment_counts_and_from_the_rows(
    corrected: tuple[Cxgap, int],  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
    filters: dict[str, str],
) -> None:
    cx, _ = corrected
    _segments(cx)
    read: list[bool] = []
    serves = listening_segments.serves

    def spy(f: FeedbackFilter) -> bool:
        read.append(served := serves(f))
        return served

    monkeypatch.setattr(listening_segments, "serves", spy)
    from_counts = _views(cx, filters)
    assert any(read), "the pages did not read the segment counts"
    monkeypatch.setattr(listening_segments, "serves", lambda f: False)
    monkeypatch.setattr(listening_sets, "serves", lambda f: False)
    monkeypatch.setattr(listening_cube, "serves", lambda f, need="day": False)
    assert _views(cx, filters) == from_counts
