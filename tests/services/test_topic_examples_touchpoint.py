"""The topics page's examples under a touchpoint filter read from the touchpoint's side
(``listening_touchpoint_examples``, migration 0063) on SQLite and PostgreSQL: the same
examples as every row read in Python, whether the touchpoint's own records are read once
for the page or each irritant's candidates are streamed; the texts about the touchpoint's
topics streamed only for the negative mentions the own records leave (docs/scale.md, "The
topics page's examples from the touchpoint's side")."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from cxgap.db import listening_examples
from cxgap.db import listening_reads as counts_of
from cxgap.db import listening_touchpoint_examples as touched
from cxgap.db.feedback_filters import FeedbackFilter
from cxgap.db.tables import Feedback, TextEnrichment, TextFinding
from cxgap.services.core import Cxgap
from tests.services.test_topic_examples import (  # noqa: F401 (fixture)
    COMBINED,
    INSIDE,
    TOPICS,
    _every_row,
    _resolved,
    sample,
)

# Every touchpoint filter of the combined cases, and one whose touchpoint's topics are
# common enough that texts about them hold negative findings of most topics (both parts).
TOUCHED = {name: f for name, f in COMBINED.items() if f.touchpoint is not None}
TOUCHED["touchpoint with topics + dates"] = FeedbackFilter(
    touchpoint="desk", touchpoint_topics=tuple(TOPICS[:2]), **INSIDE
)
TOUCHED["touchpoint with topics + topic"] = FeedbackFilter(
    topic_sets=((TOPICS[0],),), touchpoint="desk", touchpoint_topics=(TOPICS[2],)
)


def _negatives(session: Session, workspace_id: int, f: FeedbackFilter) -> dict[str, int]:
    """The topics page's bound: each topic's negative mentions under ``f``, from the counts."""
    negatives: dict[str, int] = {}
    for topic, _, sentiment, n, _ in counts_of.mention_counts(session, workspace_id, f, "month"):
        negatives[topic] = negatives.get(topic, 0) + (n if sentiment == "negative" else 0)
    return negatives


@pytest.mark.parametrize("path", ["own records", "streamed"])
@pytest.mark.parametrize("name", list(TOUCHED))
def test_from_the_touchpoints_side_or_streamed_the_examples_are_every_rows(
    sample: tuple[Cxgap, int],  # noqa: F811
    name: str,
    path: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    if path == "own records":  # read at once: no candidate streamed first
        monkeypatch.setattr(touched, "RECORD_COST", 0)
    else:  # never: each irritant's candidates streamed, as before migration 0063
        monkeypatch.setattr(touched, "OWN_CAP", -1)
    reads: list[touched.OwnTexts] = []
    own_texts = touched.own_texts

    def spy(session: Session, workspace_id: int, g: FeedbackFilter) -> Any:
        reads.append(own_texts(session, workspace_id, g))
        return reads[-1]

    monkeypatch.setattr(touched, "own_texts", spy)
    streams: list[tuple[tuple[str, ...], ...]] = []
    pick_streamed = listening_examples._pick_streamed

    def spy_streamed(session: Session, workspace_id: int, *args: Any) -> Any:
        streams.append(args[3])  # the topic sets: the touchpoint's topics when from its side
        return pick_streamed(session, workspace_id, *args)

    monkeypatch.setattr(listening_examples, "_pick_streamed", spy_streamed)
    cx, workspace_id = sample
    with cx.reading() as session:
        f = _resolved(session, workspace_id, TOUCHED[name])
        negatives = _negatives(session, workspace_id, f)
        shown, left = 0, []
        for topic in TOPICS:
            expected = [(b, s) for _, b, s in _every_row(session, workspace_id, f, topic, 3)]
            negative = negatives.get(topic, 0)
            got = listening_examples.worst_examples(session, workspace_id, f, topic, 3, negative)
            assert [(e.feedback_id, e.score) for e in got] == expected, (topic, negative)
            shown += len(got)
            if reads and f.touchpoint_topics and negative:
                left.append(negative - reads[0].mentions.get(topic, 0))
        assert shown > 0, "no example under the filter: nothing was compared"
    if path == "streamed":
        assert reads == [] and streams, "the touchpoint's own records were read"
        return
    assert len(reads) == 1, "the touchpoint's own records read once for the page"
    # streamed: the texts about the touchpoint's topics, for the topics with mentions left
    assert all(s[-1] == tuple(f.touchpoint_topics) for s in streams), streams
    assert len(streams) == sum(n != 0 for n in left), left


def test_the_own_records_part_and_the_topics_part_both_give_examples(
    sample: tuple[Cxgap, int],  # noqa: F811
) -> None:
    """Under a touchpoint with common topics, some topic's examples come from both parts:
    the own records' texts and those about the touchpoint's topics (so the merge is tested)."""
    cx, workspace_id = sample
    f = TOUCHED["touchpoint with topics + dates"]
    with cx.reading() as session:
        own = touched.own_texts(session, workspace_id, f)
        about = listening_examples.touchpoint_topics_part(f)
        mixed = 0
        for topic in TOPICS:
            expected = {b for _, b, _ in _every_row(session, workspace_id, f, topic, 3)}
            from_own = {b for _, _, b in own.picks.get(topic, [])}
            from_topics = {b for _, b, _ in _every_row(session, workspace_id, about, topic, 3)}
            mixed += bool(expected & from_own) and bool(expected & from_topics)
        assert mixed > 0, "no topic whose examples come from both parts"


@pytest.mark.parametrize(
    ("name", "streamed"),
    [("touchpoint + topic + dates", "none"), ("touchpoint + segment + dates", "some")],
)
def test_the_touchpoints_topics_are_streamed_only_for_the_mentions_left(
    sample: tuple[Cxgap, int],  # noqa: F811
    name: str,
    streamed: str,
) -> None:
    """The negative mentions of the texts about the touchpoint's topics: the page's count
    less the own records'; nought (no stream) for every topic under a topic whose texts are
    never about the touchpoint's topic (issue 11's slow page), for some under a segment."""
    cx, workspace_id = sample
    with cx.reading() as session:
        f = _resolved(session, workspace_id, TOUCHED[name])
        own = touched.own_texts(session, workspace_id, f)
        about = listening_examples.touchpoint_topics_part(f)
        negatives = _negatives(session, workspace_id, f)
        of_topics = _negatives(session, workspace_id, about)
        left = {t: negatives.get(t, 0) - own.mentions.get(t, 0) for t in TOPICS}
        assert left == {t: of_topics.get(t, 0) for t in TOPICS}  # the parts are apart
        assert all(n >= 0 for n in left.values())
        some = sum(n > 0 for n in left.values())
        assert some == 0 if streamed == "none" else 0 < some < len(TOPICS), left
        assert sum(own.mentions.values()) > 0


@pytest.mark.parametrize("cost", ["mid-page", "never"])
def test_the_records_are_read_once_an_irritants_stream_would_cost_more(
    sample: tuple[Cxgap, int],  # noqa: F811
    cost: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Each irritant streams its candidates while that is expected to read fewer than
    ``RECORD_COST`` per record of the touchpoint (``bound`` in the share of the topic's
    negative mentions that pass); the first that would read more reads the records, and
    those after it take their examples from them."""
    cx, workspace_id = sample
    f = COMBINED["touchpoint + narrow dates"]  # no touchpoint topics: one kind of stream
    with cx.reading() as session:
        records = touched.own_records(session, workspace_id, f)
        totals = touched.negative_totals(session, workspace_id)
        negatives = _negatives(session, workspace_id, f)
    shown = [t for t in TOPICS if negatives.get(t, 0) > 0]
    expected = [min(3, negatives[t]) * totals[t] / negatives[t] for t in shown]
    later = [i for i, e in enumerate(expected) if e > expected[0]]
    assert later, expected  # a topic whose stream would cost more than the first one's
    record_cost = (expected[0] + expected[later[0]]) / 2 / records
    monkeypatch.setattr(touched, "RECORD_COST", record_cost if cost == "mid-page" else 10**9)
    read_at: list[str] = []
    own_texts = touched.own_texts

    def spy_own(session: Session, workspace_id: int, g: FeedbackFilter) -> Any:
        read_at.append(topic)
        return own_texts(session, workspace_id, g)

    monkeypatch.setattr(touched, "own_texts", spy_own)
    with cx.reading() as session:
        for topic in shown:
            rows = _every_row(session, workspace_id, f, topic, 3)
            got = listening_examples.worst_examples(
                session, workspace_id, f, topic, 3, negatives[topic]
            )
            assert [(e.feedback_id, e.score) for e in got] == [(b, s) for _, b, s in rows]
    if cost == "never":
        assert read_at == []
    else:  # read once, for the first topic whose stream would cost more than the records
        assert read_at == [shown[later[0]]], (read_at, expected, records)


def test_the_negative_totals_are_every_rows_mentions(
    sample: tuple[Cxgap, int],  # noqa: F811
) -> None:
    """The totals the choice reads from the counts: each topic's negative findings times
    the records carrying their text, as every row gives them."""
    cx, workspace_id = sample
    with cx.reading() as session:
        counted = touched.negative_totals(session, workspace_id)
        said = Counter(
            session.scalars(select(Feedback.text_hash).where(Feedback.workspace_id == workspace_id))
        )
        findings = session.execute(
            select(TextFinding.topic_key, TextEnrichment.text_hash)
            .join(TextEnrichment, TextEnrichment.id == TextFinding.enrichment_id)
            .where(TextFinding.workspace_id == workspace_id, TextFinding.sentiment == "negative")
        ).all()
    every: Counter[str] = Counter()
    for topic, text_hash in findings:
        every[topic] += said[text_hash]
    assert counted == {t: n for t, n in every.items() if n} and sum(counted.values()) > 0


def test_the_touchpoints_records_are_counted_from_its_index(
    sample: tuple[Cxgap, int],  # noqa: F811
) -> None:
    """The count that chooses between the reads is the index's entries alone (migration
    0063), not the feedback rows, on both databases."""
    cx, workspace_id = sample
    f = COMBINED["touchpoint + topic + dates"]
    with cx.reading() as session:
        bind = session.get_bind()
        if bind.dialect.name == "postgresql":  # a few rows: make the other plans look dear
            for setting in ("enable_seqscan", "enable_bitmapscan"):
                session.execute(text(f"SET LOCAL {setting} = off"))
        plan = _plan(session, workspace_id, f)
        assert "ix_feedback_ws_touchpoint" in plan, plan
        if bind.dialect.name == "postgresql":
            assert "Index Only Scan" in plan, plan
        else:
            assert "COVERING INDEX ix_feedback_ws_touchpoint" in plan, plan


def _plan(session: Session, workspace_id: int, f: FeedbackFilter) -> str:
    """The plan of ``own_records``' count, as each database explains it."""
    query = touched.own_count_query(workspace_id, f)
    bind = session.get_bind()
    compiled = query.compile(bind, compile_kwargs={"literal_binds": True})
    if bind.dialect.name == "postgresql":
        return "\n".join(session.scalars(text(f"EXPLAIN {compiled}")))
    statement = f"EXPLAIN QUERY PLAN {compiled}"
    values = (-1,) * statement.count("?")  # what stays bound: SQLite's "no limit"
    rows = session.connection().exec_driver_sql(statement, values).all()
    return "\n".join(str(row[-1]) for row in rows)
