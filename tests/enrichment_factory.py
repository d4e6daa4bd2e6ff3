"""Feedback items with their text enrichment and findings, written straight to the tables.

The real enrichment (issue 3) runs text models; tests of what reads its output (the journey
overlay, segment filters) only need rows shaped like its output.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import UTC, datetime
from itertools import count
from typing import TYPE_CHECKING

from sqlalchemy import delete, event, select
from sqlalchemy.orm import Session

from cxgap.db import listening_counts
from cxgap.db.tables import Feedback, TextEnrichment, TextFinding, Topic, Workspace

if TYPE_CHECKING:
    from cxgap.demo.feedback import DemoFeedback

_ids = count(1)
# (topic key, sentiment score) of one clause; the label follows from the score.
FindingSpec = tuple[str | None, float]


def label(score: float | None) -> str:
    if score is None:
        return ""
    return "positive" if score > 0.2 else ("negative" if score < -0.2 else "neutral")


def add_topic(
    session: Session, workspace: Workspace, key: str, touchpoints: Sequence[str] = ()
) -> Topic:
    topic = Topic(
        workspace_id=workspace.id,
        key=key,
        name_en=key.replace("_", " ").capitalize(),
        name_fr=key.replace("_", " ").capitalize() + " (fr)",
        touchpoint_keys=list(touchpoints),
    )
    session.add(topic)
    session.flush()
    return topic


def add_feedback(
    session: Session,
    workspace: Workspace,
    text: str,
    *,
    touchpoint: str | None = None,
    nps: int | None = None,
    csat: int | None = None,
    stars: int | None = None,
    channel: str | None = None,
    attributes: dict[str, str] | None = None,
    score: float | None = None,
    intensity: float | None = None,
    findings: Sequence[FindingSpec] = (),
    counts_per_item: bool = False,
) -> Feedback:
    """One feedback item; with ``score`` it is enriched (shared by identical texts). The
    workspace's Listening counts are rebuilt when the session commits (read them after the
    transaction); ``counts_per_item`` adds the item's counts at once instead, as an import
    does (tests/test_enrichment_factory.py checks that both end in the same counts)."""
    text_hash = hashlib.sha256(text.encode()).hexdigest()
    item = Feedback(
        workspace_id=workspace.id,
        source_type="survey",
        source_id=f"f{next(_ids)}",
        channel=channel,
        collected_at=datetime(2026, 5, 1, tzinfo=UTC),
        text=text,
        nps=nps,
        csat=csat,
        stars=stars,
        touchpoint=touchpoint,
        attributes=attributes or {},
        text_hash=text_hash,
    )
    session.add(item)
    session.flush()
    if counts_per_item:
        listening_counts.add(session, workspace.id, Feedback.id == item.id)
    else:
        _rebuild_before_commit(session, workspace.id)
    if score is not None:
        enrich(session, workspace, text_hash, score, intensity, findings)
    return item


PENDING = "enrichment_factory.rebuild"


def _rebuild_before_commit(session: Session, workspace_id: int) -> None:
    """The workspace's Listening counts rebuilt once when ``session`` commits: items added
    one by one would pay 8 statements each (the per-item upkeep has its own tests)."""
    pending: set[int] | None = session.info.get(PENDING)
    if pending is None:
        pending = session.info[PENDING] = set()
        event.listen(session, "before_commit", _rebuild_pending)
    pending.add(workspace_id)


def _rebuild_pending(session: Session) -> None:
    pending: set[int] = session.info[PENDING]
    session.flush()
    for workspace_id in sorted(pending):
        listening_counts.rebuild(session, workspace_id)
    pending.clear()


def enrich(
    session: Session,
    workspace: Workspace,
    text_hash: str,
    score: float,
    intensity: float | None,
    findings: Sequence[FindingSpec],
    *,
    counts: bool = True,
) -> TextEnrichment:
    """Enrich ``text_hash``; ``counts=False`` when the caller moves the Listening counts itself
    (around many calls, with ``db.listening_count_moves.moving``, as enrichment batches do)."""
    known = session.scalar(
        select(TextEnrichment).where(
            TextEnrichment.workspace_id == workspace.id, TextEnrichment.text_hash == text_hash
        )
    )
    if known is not None:
        return known
    if workspace.id in session.info.get(PENDING, ()):
        counts = False  # rebuilt when the session commits
    if counts:
        listening_counts.retract(session, workspace.id, Feedback.text_hash == text_hash)
    row = TextEnrichment(
        workspace_id=workspace.id,
        text_hash=text_hash,
        language="en",
        sentiment=label(score),
        sentiment_score=score,
        intensity=abs(score) if intensity is None else intensity,
        topic_keys=sorted({t for t, _ in findings if t}),
        model="test-factory",
        findings=[
            TextFinding(
                workspace_id=workspace.id,
                position=i,
                start=0,
                end=1,
                sentiment=label(s),
                sentiment_score=s,
                intensity=abs(s),
                topic_key=topic,
            )
            for i, (topic, s) in enumerate(findings)
        ],
    )
    session.add(row)
    session.flush()
    if counts:
        listening_counts.add(session, workspace.id, Feedback.text_hash == text_hash)
    return row


def enrich_demo(
    session: Session,
    workspace: Workspace,
    *,
    items: Sequence[DemoFeedback] | None = None,
    counts_per_text: bool = False,
) -> int:
    """Stand in for the text analysis on the demo workspace: a topic per phrase-bank topic,
    mapped to the demo touchpoints it is written about, and an enrichment per feedback text
    with the sentiment its writer meant; the demo's own taxonomy is replaced by these topics.
    ``items``: the demo's feedback (all of it by default). The Listening counts are rebuilt
    once at the end; ``counts_per_text`` keeps them text by text instead, as the enrichment
    job does (2 statements a text: 130 s for the demo on a busy machine, against 1 s for
    the rebuild; tests/test_enrichment_factory.py checks that both end in the same counts).
    Returns the number of texts enriched."""
    from cxgap.demo.feedback import STEPS, demo_feedback

    session.execute(delete(Topic).where(Topic.workspace_id == workspace.id))

    touchpoints: dict[str, list[str]] = {}
    for step, (_, topics, _) in STEPS.items():
        for topic in topics:
            touchpoints.setdefault(topic, []).append(step)
    for topic, steps in sorted(touchpoints.items()):
        add_topic(session, workspace, topic, steps)
    done = 0
    for item in demo_feedback() if items is None else items:
        text_hash = hashlib.sha256(item.text.encode()).hexdigest()
        enrich(session, workspace, text_hash, item.intended_score, None,
               [(item.topic, item.intended_score)], counts=counts_per_text)  # fmt: skip
        done += 1
    if not counts_per_text:
        listening_counts.rebuild(session, workspace.id)
    return done
