"""The topics page's most negative examples (``worst_examples``) on SQLite and PostgreSQL:
the same examples as a reading of every row, ties broken by finding id, and read from the
first entries of ``ix_text_findings_ws_topic`` rather than by sorting every negative finding
of the topic (migration 0027; docs/scale.md, "The topics page's examples")."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from cxgap.db import listening_counts, listening_examples
from cxgap.db import listening_cube as cube
from cxgap.db import listening_queries as q
from cxgap.db.feedback_filters import FeedbackFilter, search_pattern
from cxgap.db.tables import Feedback, TextEnrichment, TextFinding, Workspace
from cxgap.services.core import Cxgap
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
        ).where(Feedback.workspace_id == workspace_id)
    ).all()
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
    for fid, text_hash, source_type, touchpoint, said in sorted(feedback):
        if searched is not None and not searched.search(said):
            continue
        at = f.touchpoint is None or touchpoint == f.touchpoint
        at = at or text_hash in about[f.touchpoint_topics]  # or about one of its topics
        if (
            (not f.source_types or source_type in f.source_types)
            and all(text_hash in about[keys] for keys in f.topic_sets)
            and at
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


@pytest.mark.parametrize(
    "f",
    [
        FeedbackFilter(source_types=("ticket",)),
        FeedbackFilter(topic_sets=(tuple(TOPICS[1:3]),), search="but"),
        FeedbackFilter(search="e"),
    ],
)
def test_a_filter_no_window_satisfies_reads_the_join_and_finds_the_same(
    sample: tuple[Cxgap, int], f: FeedbackFilter, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Windows of one and two candidates: most topics fall back to the join from the
    filter's texts (``_pick_by_join``; a narrow search's texts read once, ``_pick_among``),
    which must give what every row gives."""
    monkeypatch.setattr(listening_examples, "EXAMPLE_CANDIDATES", 1)
    monkeypatch.setattr(listening_examples, "WIDER_CANDIDATES", (2,))
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
        for topic in TOPICS:
            expected = _every_row(session, workspace_id, f, topic, 3)
            got = listening_examples.worst_examples(session, workspace_id, f, topic, 3)
            assert [(e.feedback_id, e.score) for e in got] == [(b, s) for _, b, s in expected]
    assert joined, "no topic fell back to the join"


def test_the_candidates_are_read_in_index_order_not_sorted(sample: tuple[Cxgap, int]) -> None:
    cx, workspace_id = sample
    with cx.reading() as session:
        query = listening_examples.example_candidates(workspace_id, TOPICS[0])
        compiled = query.compile(session.get_bind(), compile_kwargs={"literal_binds": True})
        if session.get_bind().dialect.name == "postgresql":
            # A few rows: make every other plan look dear so that the index's is chosen
            # when it can give the order (a Sort stays possible, only expensive).
            for setting in ("enable_seqscan", "enable_bitmapscan", "enable_sort"):
                session.execute(text(f"SET LOCAL {setting} = off"))
            plan = "\n".join(session.scalars(text(f"EXPLAIN {compiled}")))
            assert "ix_text_findings_ws_topic" in plan and "Sort" not in plan, plan
        else:
            rows = session.execute(text(f"EXPLAIN QUERY PLAN {compiled}")).all()
            plan = "\n".join(str(row[-1]) for row in rows)
            assert "ix_text_findings_ws_topic" in plan and "TEMP B-TREE" not in plan, plan


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
