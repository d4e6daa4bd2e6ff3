"""The Listening counts built in one grouped pass (db.listening_count_build: a workspace's
repair, a migration's backfill, a segment's new members) equal the per-table upkeep
statements' (``listening_counts._merge``, each record's keys computed in each SELECT), table
by table, on SQLite and PostgreSQL; they equal counts made from the rows in Python; a
workspace's rebuild leaves another workspace's counts as they were."""

from __future__ import annotations

import random
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from cxgap.db import listening_count_build, listening_counts, listening_segments
from cxgap.db.listening_count_tables import (
    ListeningCount,
    ListeningSegmentCount,
    ListeningSetCount,
    ListeningTopicCount,
)
from cxgap.db.segment_members import rebuild_every
from cxgap.db.tables import (
    Feedback,
    Segment,
    SegmentMember,
    SegmentMembership,
    TextEnrichment,
    TextFinding,
)
from cxgap.services import enrichment
from cxgap.services.core import Cxgap
from cxgap.services.segments import set_segment_rule
from cxgap.services.workspaces import get_workspace
from tests.db.test_listening_counts import RandomAnalyzer, _rows, _stage_import, _write_csv
from tests.factories import make_workspace
from tests.prepared import Prepared

RULES = {"pro": "nps <= 6", "home": 'channel = "web" or touchpoint = "checkout"'}


@pytest.fixture
def two(cx: Cxgap, prepared: Prepared, tmp_path: Path) -> tuple[Cxgap, int, int]:
    """Two workspaces with imported, enriched records (findings with several topics, none,
    and sentiments outside the three counted) and two segments with rules each.
    Written once per session and backend (tests/prepared.py), copied for each test."""

    def build(app: Cxgap) -> tuple[int, int]:
        ids = []
        for key, seed in (("acme", 3), ("beta", 4)):
            with app.transaction() as session:
                workspace = make_workspace(session, key=key, name=key)
                for segment, rule in RULES.items():
                    set_segment_rule(session, workspace=workspace, key=segment, rule=rule)
            path = _write_csv(tmp_path / f"{key}.csv", random.Random(seed), range(0, 120))
            _stage_import(app, path) if key == "acme" else _import(app, key, path)
            with app.reading() as session:
                workspace = get_workspace(session, key)
            enrichment.enrich_pending(app.sessions, workspace, RandomAnalyzer(seed), batch_size=29)
            ids.append(workspace.id)
        return ids[0], ids[1]

    acme, beta = prepared.prepare(cx, "db-listening-count-build-two", build)
    return cx, acme, beta


def _import(cx: Cxgap, key: str, path: Path) -> None:
    from cxgap.services.feedback_imports import run_feedback_import

    outcome = run_feedback_import(cx, workspace_key=key, source=path, name=path.name,
                                  preset="generic")  # fmt: skip
    assert outcome.refusal is None


def _per_table(session: Session, workspace_id: int) -> dict[str, list[tuple[Any, ...]]]:
    """The counts as the upkeep's per-table statements compute them from empty tables."""
    for model in listening_counts.TABLES:
        table = listening_counts._table(model)
        session.execute(delete(table).where(table.c.workspace_id == workspace_id))
    listening_counts._merge(session, 1, workspace_id, None)
    return _rows(session, workspace_id)


def test_the_grouped_build_equals_the_per_table_statements(two: tuple[Cxgap, int, int]) -> None:
    cx, acme, beta = two
    with cx.transaction() as session:
        before = {ws: _per_table(session, ws) for ws in (acme, beta)}
        assert all(before[acme][name] for name in before[acme]), "a table left empty"
        listening_counts.rebuild(session, acme)
        assert _rows(session, acme) == before[acme]
        assert _rows(session, beta) == before[beta]  # the other workspace untouched
        listening_counts.rebuild_all(session)
        assert {ws: _rows(session, ws) for ws in (acme, beta)} == before
        # A migration's backfill: only the tables it names, the others left as they are.
        listening_counts.rebuild_all(session, (ListeningSetCount, ListeningSegmentCount))
        assert {ws: _rows(session, ws) for ws in (acme, beta)} == before


def test_a_segments_members_are_counted_as_the_upkeep_counts_them(
    two: tuple[Cxgap, int, int],
) -> None:
    cx, acme, _ = two
    with cx.transaction() as session:
        expected = _per_table(session, acme)
        segments = session.scalars(select(Segment).where(Segment.workspace_id == acme)).all()
        for segment in segments:
            listening_segments.forget(session, segment.id)
        for segment in segments:  # as a new rule's members are: one segment at a time
            listening_segments.joined(session, acme, segment.id, None)
        assert _rows(session, acme) == expected
        with pytest.raises(ValueError, match="segment tables"):
            listening_count_build.build(session, acme, (ListeningCount,), segment_id=1)


def test_the_counts_equal_counts_made_from_the_rows(two: tuple[Cxgap, int, int]) -> None:
    """Independent of either statement: totals, topics and members counted in Python."""
    cx, acme, _ = two
    with cx.transaction() as session:
        listening_counts.rebuild(session, acme)
        records = session.execute(
            select(Feedback.id, TextEnrichment.id)
            .outerjoin(
                TextEnrichment,
                (TextEnrichment.workspace_id == Feedback.workspace_id)
                & (TextEnrichment.text_hash == Feedback.text_hash),
            )
            .where(Feedback.workspace_id == acme)
        ).all()
        topics: dict[int, set[str]] = {}
        for enrichment_id, topic in session.execute(
            select(TextFinding.enrichment_id, TextFinding.topic_key).where(
                TextFinding.workspace_id == acme, TextFinding.topic_key.is_not(None)
            )
        ):
            topics.setdefault(enrichment_id, set()).add(str(topic))
        per_topic = Counter(t for _, e in records if e is not None for t in topics.get(e, ()))
        counted = dict(
            session.execute(
                select(ListeningTopicCount.topic_key, func.sum(ListeningTopicCount.n))
                .where(ListeningTopicCount.workspace_id == acme)
                .group_by(ListeningTopicCount.topic_key)
            ).all()
        )
        assert {k: int(v) for k, v in counted.items()} == dict(per_topic) and per_topic
        total = select(func.sum(ListeningCount.n)).where(ListeningCount.workspace_id == acme)
        assert session.scalar(total) == len(records)
        enriched = select(func.sum(ListeningSetCount.n)).where(
            ListeningSetCount.workspace_id == acme
        )
        assert session.scalar(enriched) == sum(1 for _, e in records if e is not None)
        members = dict(
            session.execute(
                select(SegmentMember.segment_id, func.count()).group_by(SegmentMember.segment_id)
            ).all()
        )
        by_segment = dict(
            session.execute(
                select(ListeningSegmentCount.segment_id, func.sum(ListeningSegmentCount.n))
                .where(ListeningSegmentCount.workspace_id == acme)
                .group_by(ListeningSegmentCount.segment_id)
            ).all()
        )
        mine = session.scalars(select(Segment.id).where(Segment.workspace_id == acme)).all()
        assert {s: int(n) for s, n in by_segment.items()} == {
            s: members[s] for s in mine if s in members
        }
        assert by_segment


def test_every_segment_rebuilt_in_one_read_has_the_members_each_rule_gives(
    two: tuple[Cxgap, int, int],
) -> None:
    """``rebuild_every`` (one read of the rows for all the segments) keeps the members each
    segment's own rebuild gave, leaves another workspace's alone, and leaves the segment
    counts to the workspace's rebuild, which gives them back as the upkeep counted them."""
    cx, acme, beta = two
    members = select(SegmentMember.segment_id, SegmentMember.feedback_id)
    states = select(SegmentMembership.segment_id, SegmentMembership.rule,
                    SegmentMembership.feedback_upto)  # fmt: skip
    with cx.transaction() as session:
        expected = _per_table(session, acme)
        before = set(session.execute(members).all())
        kept = set(session.execute(states).all())
        assert {s for s, _ in before} == set(
            session.scalars(select(Segment.id).where(Segment.workspace_id.in_((acme, beta))))
        )
        rebuild_every(session, acme)
        assert set(session.execute(members).all()) == before
        assert set(session.execute(states).all()) == kept
        segment_counts = select(func.count()).select_from(ListeningSegmentCount)
        assert session.scalar(segment_counts.where(ListeningSegmentCount.workspace_id == acme)) == 0
        assert session.scalar(segment_counts.where(ListeningSegmentCount.workspace_id == beta))
        listening_counts.rebuild(session, acme)
        assert _rows(session, acme) == expected


def test_a_table_without_a_grouped_builder_is_built_by_the_per_table_statements(
    two: tuple[Cxgap, int, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A count table added without its builder here (another change's new table) is still
    filled, by the upkeep's statements, not left empty."""
    cx, acme, _ = two
    builders = dict(listening_count_build.BUILDERS)
    del builders[ListeningTopicCount]
    with cx.transaction() as session:
        expected = _per_table(session, acme)
        monkeypatch.setattr(listening_count_build, "BUILDERS", builders)
        listening_counts.rebuild(session, acme)
        assert _rows(session, acme) == expected
