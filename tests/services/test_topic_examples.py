"""The topics page's most negative examples (``worst_examples``) on SQLite and PostgreSQL:
the same examples as a reading of every row, ties broken by finding id, and read from the
first entries of ``ix_text_findings_ws_topic`` rather than by sorting every negative finding
of the topic (migration 0027; docs/scale.md, "The topics page's examples")."""

from __future__ import annotations

import dataclasses
import re
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import select, text, update
from sqlalchemy.orm import Session

from cxgap.db import listening_counts, listening_examples
from cxgap.db import listening_cube as cube
from cxgap.db import listening_queries as q
from cxgap.db import listening_reads as counts_of
from cxgap.db.feedback_filters import FeedbackFilter, search_pattern
from cxgap.db.segment_members import member_condition
from cxgap.db.segment_tables import Segment, SegmentMember
from cxgap.db.tables import Feedback, TextEnrichment, TextFinding, Workspace
from cxgap.services.core import Cxgap
from cxgap.services.segments import set_segment_rule
from cxgap.services.workspaces import add_segments
from tests.factories import make_workspace
from tests.listening_factories import (
    CLAUSES,
    add_feedback,
    compose,
    enrich,
    make_listening_sample,
    make_topics,
)
from tests.prepared import Prepared

JAN = datetime(2026, 1, 10, tzinfo=UTC)
# Dates inside months; the narrow one keeps the second of the tickets said twice (20 February)
# and not the first (3 February): its first record under the filter is not the text's first.
INSIDE = {
    "date_from": datetime(2026, 1, 15, tzinfo=UTC),
    "date_to": datetime(2026, 4, 10, tzinfo=UTC),
}
NARROW_DATES = {
    "date_from": datetime(2026, 2, 4, tzinfo=UTC),
    "date_to": datetime(2026, 2, 25, tzinfo=UTC),
}
TOPICS = sorted({c[5] for c in CLAUSES if c[5] is not None and c[2] == "negative"})


def _sample(cx: Cxgap) -> int:
    with cx.transaction() as session:
        workspace = make_workspace(session)
        make_topics(session, workspace)
        make_listening_sample(session, workspace, n=150)
        # The same text said again later by a ticket: one example, its first feedback.
        for clause in CLAUSES:
            if clause[2] == "negative":
                verbatim = compose([clause], " but ")
                for day in (3, 20):
                    add_feedback(
                        session,
                        workspace,
                        verbatim.text,
                        collected_at=datetime(2026, 2, day, tzinfo=UTC),
                        source_type="ticket",
                        channel="zendesk",
                        counts=False,
                    )
                enrich(session, workspace, verbatim, counts=False)
        # A touchpoint on a third of the records, and a segment of the detractors: the
        # touchpoint and segment filters with a topic or dates (issue 11's slow pages).
        session.execute(
            update(Feedback)
            .where(Feedback.workspace_id == workspace.id, Feedback.id % 3 == 0)
            .values(touchpoint="desk")
        )
        add_segments(session, workspace=workspace, segments=[("detractor", "D", "D")])
        set_segment_rule(session, workspace=workspace, key="detractor", rule="nps <= 6")
        listening_counts.rebuild(session, workspace.id)  # once, not per item (as the sample)
        return workspace.id


@pytest.fixture
def sample(cx: Cxgap, prepared: Prepared) -> tuple[Cxgap, int]:
    """The sample, written once per session and backend and copied for each test."""
    return cx, prepared.prepare(cx, "topic-examples", _sample)


def _every_row(
    session: Session, workspace_id: int, f: FeedbackFilter, topic: str, limit: int
) -> list[tuple[int, int, float | None]]:
    """``(finding id, first feedback id, score)`` from every row, sorted in Python."""
    findings = session.execute(
        select(TextFinding.id, TextFinding.sentiment_score, TextEnrichment.text_hash)
        .join(TextEnrichment, TextEnrichment.id == TextFinding.enrichment_id)
        .where(
            TextFinding.workspace_id == workspace_id,
            TextFinding.topic_key == topic,
            TextFinding.sentiment == "negative",
        )
    ).all()
    feedback = session.execute(
        select(
            Feedback.id,
            Feedback.text_hash,
            Feedback.source_type,
            Feedback.touchpoint,
            Feedback.text,
            Feedback.collected_at,
        ).where(Feedback.workspace_id == workspace_id)
    ).all()
    members = set(
        session.scalars(
            select(SegmentMember.feedback_id).where(SegmentMember.segment_id.in_(f.segment_ids))
        )
    )
    about = {
        keys: set(
            session.scalars(
                select(TextEnrichment.text_hash)
                .join(TextFinding, TextFinding.enrichment_id == TextEnrichment.id)
                .where(TextFinding.topic_key.in_(keys))
            )
        )
        for keys in (*f.topic_sets, f.touchpoint_topics)
    }
    searched = re.compile(search_pattern(f.search)) if f.search else None
    first: dict[str, int] = {}
    for fid, text_hash, source_type, touchpoint, said, at in sorted(feedback):
        if searched is not None and not searched.search(said):
            continue
        at = at if at.tzinfo is not None else at.replace(tzinfo=UTC)  # SQLite's are naive
        if (f.date_from is not None and at < f.date_from) or (f.date_to and at >= f.date_to):
            continue
        if f.segment_ids and fid not in members:
            continue
        on = f.touchpoint is None or touchpoint == f.touchpoint
        on = on or text_hash in about[f.touchpoint_topics]  # or about one of its topics
        if (
            (not f.source_types or source_type in f.source_types)
            and all(text_hash in about[keys] for keys in f.topic_sets)
            and on
        ):
            first.setdefault(text_hash, fid)
    kept = [(i, first[h], s) for i, s, h in findings if h in first]
    kept.sort(key=lambda row: (row[2] is None, row[2], row[0]))
    return kept[:limit]


@pytest.mark.parametrize(
    "f",
    [
        FeedbackFilter(),
        FeedbackFilter(source_types=("ticket",)),
        # a topic or pillar filter: the candidates are those of texts about it (0040's round)
        FeedbackFilter(topic_sets=((TOPICS[0],),)),
        FeedbackFilter(topic_sets=(tuple(TOPICS[1:3]),), source_types=("ticket",)),
        # a touchpoint: its own records or its topics', the topics tested per candidate
        FeedbackFilter(touchpoint="nowhere", touchpoint_topics=(TOPICS[1],)),
        # a selective search: its texts joined to the findings at once (fewer than NARROW)
        FeedbackFilter(search="but", source_types=("survey",)),
    ],
)
def test_the_examples_are_those_of_every_row_ties_by_finding_id(
    sample: tuple[Cxgap, int], f: FeedbackFilter
) -> None:
    cx, workspace_id = sample
    with cx.reading() as session:
        ties = 0
        for topic in TOPICS:
            expected = _every_row(session, workspace_id, f, topic, 3)
            got = listening_examples.worst_examples(session, workspace_id, f, topic, 3)
            assert [(e.feedback_id, e.score) for e in got] == [(b, s) for _, b, s in expected]
            scores = [s for _, _, s in _every_row(session, workspace_id, f, topic, 10**6)]
            ties += len(scores) - len(set(scores))
        assert ties > 0  # the sample's clauses repeat their scores: the ties were tested


DETRACTOR = -1  # the sample's segment, its id resolved in the test (``_resolved``)
# Issue 11's slow pages: a touchpoint with a topic or a segment, within dates inside months.
COMBINED = {
    "touchpoint + topic + dates": FeedbackFilter(
        topic_sets=((TOPICS[0],),), touchpoint="desk", touchpoint_topics=(TOPICS[1],), **INSIDE
    ),
    "touchpoint + segment + dates": FeedbackFilter(
        touchpoint="desk", touchpoint_topics=(TOPICS[2],), segment_ids=(DETRACTOR,), **INSIDE
    ),
    "topic + segment + dates": FeedbackFilter(
        topic_sets=((TOPICS[1],),), segment_ids=(DETRACTOR,), **INSIDE
    ),
    "touchpoint + topic": FeedbackFilter(topic_sets=((TOPICS[2],),), touchpoint="desk"),
    "touchpoint + segment": FeedbackFilter(touchpoint="desk", segment_ids=(DETRACTOR,)),
    "touchpoint + narrow dates": FeedbackFilter(touchpoint="desk", **NARROW_DATES),
    "source + narrow dates": FeedbackFilter(source_types=("ticket",), **NARROW_DATES),
}


def _resolved(session: Session, workspace_id: int, f: FeedbackFilter) -> FeedbackFilter:
    """``f`` with the sample's segment for ``DETRACTOR``, as the screens compile it."""
    if f.segment_ids != (DETRACTOR,):
        return f
    found = select(Segment.id).where(Segment.workspace_id == workspace_id)
    segment_id = session.scalars(found.where(Segment.key == "detractor")).one()
    return dataclasses.replace(f, segment=member_condition(segment_id), segment_ids=(segment_id,))


@pytest.mark.parametrize("name", list(COMBINED))
def test_under_a_touchpoint_or_segment_with_a_topic_or_dates_the_examples_are_every_rows(
    sample: tuple[Cxgap, int], name: str
) -> None:
    cx, workspace_id = sample
    with cx.reading() as session:
        f = _resolved(session, workspace_id, COMBINED[name])
        # The topics page's bound: the negative mentions under the filter, from the counts.
        negatives: dict[str, int] = {}
        for topic, _, sentiment, n, _ in counts_of.mention_counts(
            session, workspace_id, f, "month"
        ):
            negatives[topic] = negatives.get(topic, 0) + (n if sentiment == "negative" else 0)
        shown = bounded = 0
        for topic in TOPICS:
            expected = [(b, s) for _, b, s in _every_row(session, workspace_id, f, topic, 3)]
            got = listening_examples.worst_examples(session, workspace_id, f, topic, 3)
            assert [(e.feedback_id, e.score) for e in got] == expected
            negative = negatives.get(topic, 0)
            got = listening_examples.worst_examples(session, workspace_id, f, topic, 3, negative)
            assert [(e.feedback_id, e.score) for e in got] == expected, negative
            shown += len(got)
            bounded += 0 < negative < 3  # a bound under the limit: the read stopped at it
        assert shown > 0, "no example under the filter: nothing was compared"
        assert bounded > 0, "no bound below the limit"


@pytest.mark.parametrize(
    "f",
    [
        FeedbackFilter(source_types=("ticket",)),
        FeedbackFilter(topic_sets=(tuple(TOPICS[1:3]),), search="but"),
        FeedbackFilter(search="e"),
        COMBINED["touchpoint + topic + dates"],
        COMBINED["touchpoint + segment + dates"],
    ],
)
def test_a_filter_no_window_satisfies_reads_the_join_and_finds_the_same(
    sample: tuple[Cxgap, int], f: FeedbackFilter, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two candidates read before the join: most topics fall back to the join from the
    filter's texts (``_pick_by_join``; a narrow search's texts read once, ``_pick_among``),
    which must give what every row gives; those with one or two candidates do not. Under a
    touchpoint the own records are read instead (``listening_touchpoint_examples``) and the
    texts about its topics, two candidates streamed, joined."""
    monkeypatch.setattr(listening_examples, "CANDIDATE_CAP", 2)
    joined: list[str] = []
    by_join = listening_examples._pick_by_join

    def spy(session: Session, workspace_id: int, g: FeedbackFilter, topic: str, n: int) -> Any:
        joined.append(topic)
        return by_join(session, workspace_id, g, topic, n)

    monkeypatch.setattr(listening_examples, "_pick_by_join", spy)
    among = listening_examples._pick_among  # a search under NARROW: its texts read once

    def spy_among(session: Session, workspace_id: int, first: Any, topic: str, n: int) -> Any:
        joined.append(topic)
        return among(session, workspace_id, first, topic, n)

    monkeypatch.setattr(listening_examples, "_pick_among", spy_among)
    cx, workspace_id = sample
    with cx.reading() as session:
        f = _resolved(session, workspace_id, f)
        for topic in TOPICS:
            expected = _every_row(session, workspace_id, f, topic, 3)
            got = listening_examples.worst_examples(session, workspace_id, f, topic, 3)
            assert [(e.feedback_id, e.score) for e in got] == [(b, s) for _, b, s in expected]
    assert joined, "no topic fell back to the join"


@pytest.mark.parametrize("checked", [False, True])
def test_the_candidates_are_read_in_index_order_not_sorted(
    sample: tuple[Cxgap, int], checked: bool
) -> None:
    """The candidates, and the statement that checks each as it reads them (under a topic,
    a touchpoint with its topics, a segment and dates): read in the index's order, so that
    it stops after the first that pass rather than checking and sorting them all."""
    cx, workspace_id = sample
    with cx.reading() as session:
        query: Any = listening_examples.example_candidates(workspace_id, TOPICS[0])
        if checked:
            f = _resolved(session, workspace_id, COMBINED["touchpoint + segment + dates"])
            sets = ((TOPICS[1],),)
            query = listening_examples.checked_candidates(workspace_id, f, TOPICS[0], sets, 99)
        bind = session.get_bind()
        if bind.dialect.name == "postgresql":
            compiled = query.compile(bind, compile_kwargs={"literal_binds": True})
            # A few rows: make every other plan look dear so that the index's is chosen
            # when it can give the order (a Sort stays possible, only expensive).
            for setting in ("enable_seqscan", "enable_bitmapscan", "enable_sort"):
                session.execute(text(f"SET LOCAL {setting} = off"))
            plan = "\n".join(session.scalars(text(f"EXPLAIN {compiled}")))
            # the nodes above the index scan: no Sort (a record's check may sort its own)
            above = plan.split("ix_text_findings_ws_topic")[0]
            assert "ix_text_findings_ws_topic" in plan and "Sort" not in above, plan
        else:
            compiled = query.compile(bind, compile_kwargs={"literal_binds": True})
            # what stays bound is SQLite's "no limit" (-1) before an OFFSET 0
            statement = f"EXPLAIN QUERY PLAN {compiled}"
            values = (-1,) * statement.count("?")
            rows = session.connection().exec_driver_sql(statement, values).all()
            plan = "\n".join(str(row[-1]) for row in rows)
            # the outer statement (parent 0): no sort (a record's check may sort its own)
            outer = [str(row[-1]) for row in rows if row[1] == 0]
            assert "ix_text_findings_ws_topic" in plan, plan
            assert not any("TEMP B-TREE" in detail for detail in outer), plan


def test_the_filter_forms_channels_come_from_the_counts_as_from_the_rows(
    sample: tuple[Cxgap, int],
) -> None:
    cx, workspace_id = sample
    with cx.transaction() as session:
        workspace = session.get(Workspace, workspace_id)
        assert workspace is not None
        for channel in (None, "", "store"):
            add_feedback(session, workspace, f"x {channel}", collected_at=JAN, channel=channel)
    with cx.reading() as session:
        from_rows = q.distinct_channels(session, workspace_id)
        assert from_rows == ["email", "store", "trustpilot", "web", "zendesk"]
        assert cube.distinct_channels(session, workspace_id) == from_rows
