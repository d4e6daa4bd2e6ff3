"""The ideas' evidence on both databases: the verbatims that ask for each idea (the bundled
model, real texts), counted per record with their topics and touchpoints, praise left out,
merged ideas out of the competition; the embedding resumes where it stopped; the scheduler
sees new, edited and merged ideas; the job computes it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from cxgap.db.table_base import utcnow
from cxgap.db.tables import IdeaEvidence, IdeaMatch, TextVector, Workspace
from cxgap.jobs import idea_evidence as evidence_job
from cxgap.jobs.runner import JobContext
from cxgap.jobs.schedule import IDEA_EVIDENCE, Scheduler, periodic_tasks
from cxgap.jobs.store import enqueue
from cxgap.jobs.worker import Worker
from cxgap.services import idea_evidence, idea_statuses, ideas
from cxgap.services.community_people import person_by_email
from cxgap.services.core import Cxgap
from cxgap.services.idea_evidence_pages import evidence_counts, evidence_of, ideas_by_topic
from cxgap.text.embeddings import load_embedder
from tests.enrichment_factory import add_feedback, add_topic
from tests.factories import make_workspace

REFUND = "Refund to the original card within 48 hours"
CALL_BACK = "Être rappelé plutôt qu'attendre en ligne"


def _board(session: Session) -> tuple[Workspace, int, int]:
    """Two ideas (one French) and verbatims: refund complaints in both languages (one text
    twice, one praise), waiting on the phone, and unrelated ones."""
    ws = make_workspace(session)
    add_topic(session, ws, "returns")
    add_topic(session, ws, "waiting_time")
    add_topic(session, ws, "staff")
    ana = person_by_email(session, workspace=ws, email="ana@example.com")
    refund = ideas.submit_idea(
        session, workspace=ws, person=ana, title=REFUND, description="Refunds take too long."
    )
    call = ideas.submit_idea(
        session, workspace=ws, person=ana, title=CALL_BACK,
        description="Quand l'attente est longue, proposer d'être rappelé.", language="fr",
    )  # fmt: skip
    for text, touchpoint, score, topic in (
        ("the refund took over a month", "after-sales", -0.8, "returns"),
        ("the refund took over a month", "website", -0.8, "returns"),  # the same text again
        ("le remboursement a pris plus d'un mois", "after-sales", -0.7, "returns"),
        ("the refund came back within two days, well done", None, 0.8, "returns"),  # praise
        ("j'ai attendu 40 minutes au téléphone avant d'avoir quelqu'un", None, -0.7, None),
        ("les coussins sont très confortables", None, 0.8, None),
        ("what are your opening hours on Sunday?", None, 0.0, None),
    ):
        findings = [(topic, score)] if topic else [(None, score)]
        add_feedback(session, ws, text, touchpoint=touchpoint, score=score, findings=findings)
    # Mixed: positive overall, but one clause asks (praise only when every clause is positive).
    add_feedback(session, ws, "the staff were lovely but the refund took over a month",
                 score=0.3, findings=[("staff", 0.9), ("returns", -0.8)])  # fmt: skip
    # Praise whose last words the model read as negative, about no topic: still praise.
    add_feedback(session, ws, "the refund came back within two days. Exactly what we wanted.",
                 score=0.7, findings=[("returns", 0.9), (None, -0.7)])  # fmt: skip
    add_feedback(session, ws, "le délai de remboursement est beaucoup trop long")  # not enriched
    return ws, refund.id, call.id


def test_each_idea_counts_the_verbatims_that_ask_for_it(cx: Cxgap) -> None:
    with cx.transaction() as session:
        ws, refund, call = _board(session)
    done = idea_evidence.refresh_evidence(cx.sessions, ws.id, load_embedder())
    assert (done.embedded, done.ideas) == (9, 2)  # distinct non-empty texts
    with cx.transaction() as session:
        ws = session.get(Workspace, ws.id)
        assert ws is not None
        found = evidence_of(session, ws, refund, "en", examples=3)
        # 2 records of one text, the French one, the mixed one and the one not enriched yet;
        # not the praise. The mixed one's topic is that of its asking clause, not its praise.
        assert found.verbatims == 5
        assert [(t.key, t.count) for t in found.topics] == [("returns", 4)]
        assert [(t.key, t.count) for t in found.touchpoints] == [
            ("after-sales", 2), ("website", 1),
        ]  # fmt: skip
        texts = [e.text for e in found.examples]
        assert "the refund took over a month" in texts and len(texts) == len(set(texts)) == 3
        assert found.examples[0].similarity >= found.examples[-1].similarity
        twice = next(e for e in found.examples if e.text == "the refund took over a month")
        assert twice.records == 2  # one example for a text, with how many records say it
        assert all("well done" not in t and "coussins" not in t for t in texts)
        assert all("Exactly what we wanted" not in t for t in texts)
        called = evidence_of(session, ws, call, "fr")
        assert called.verbatims == 1 and called.examples == []  # examples asked for only
        assert evidence_counts(session, ws) == {refund: 5, call: 1}
        by_topic = ideas_by_topic(session, ws)
        assert [(a.idea_id, a.verbatims) for a in by_topic["returns"]] == [(refund, 4)]
        assert found.as_json()["topics"] == [{"key": "returns", "name": "Returns", "verbatims": 4}]
    again = idea_evidence.refresh_evidence(cx.sessions, ws.id, load_embedder())
    assert again.embedded == 0  # vectors are made once


def test_the_embedding_resumes_where_it_stopped(cx: Cxgap, monkeypatch: pytest.MonkeyPatch) -> None:
    with cx.transaction() as session:
        ws, _, _ = _board(session)
    monkeypatch.setattr(idea_evidence, "EMBED_BATCH", 3)

    def stop(stage: str, done: int, total: int, session: Session) -> None:
        assert (stage, total) == ("embedding", 9)
        if done == 6:
            raise KeyboardInterrupt  # the worker stopped after its second batch

    with pytest.raises(KeyboardInterrupt):
        idea_evidence.embed_missing(cx.sessions, ws.id, load_embedder(), stop)
    with cx.sessions() as session:  # the first batch was kept, the second rolled back
        assert session.scalar(select(func.count()).select_from(TextVector)) == 3
    assert idea_evidence.embed_missing(cx.sessions, ws.id, load_embedder()) == 6


def test_new_edited_and_merged_ideas_are_computed_again_by_the_job(cx: Cxgap) -> None:
    with cx.transaction() as session:
        ws, refund, call = _board(session)
        assert idea_evidence.stale_workspaces(session) == [ws.id]
    tasks = tuple(t for t in periodic_tasks() if t.name == IDEA_EVIDENCE)
    kinds = {evidence_job.IDEA_EVIDENCE: evidence_job.KIND}
    context = JobContext(cx.sessions, cx.settings.data_dir, kinds=kinds, settings=cx.settings)
    worker = Worker(context, scheduler=Scheduler(cx.sessions, tasks))
    worker.tick()
    assert worker.run_once() is not None
    with cx.transaction() as session:
        assert idea_evidence.stale_workspaces(session) == []
        assert session.scalar(select(func.count()).select_from(IdeaEvidence)) == 2
        workspace = session.get(Workspace, ws.id)
        assert workspace is not None
        idea = idea_statuses.idea_of(session, workspace, call)
        idea.title = "Un rappel quand l'attente est longue"  # edited
        assert idea_evidence.stale_workspaces(session) == [ws.id]
    idea_evidence.refresh_evidence(cx.sessions, ws.id, load_embedder())
    with cx.transaction() as session:
        workspace = session.get(Workspace, ws.id)
        assert workspace is not None
        idea_statuses.merge_idea(session, workspace=workspace, idea_id=call, into_id=refund)
        assert idea_evidence.stale_workspaces(session) == [ws.id]
    idea_evidence.refresh_evidence(cx.sessions, ws.id, load_embedder())
    with cx.transaction() as session:
        assert idea_evidence.stale_workspaces(session) == []
        assert set(session.scalars(select(IdeaMatch.idea_id))) == {refund}
        workspace = session.get(Workspace, ws.id)
        assert workspace is not None
        assert evidence_of(session, workspace, call, "en").computed_at is None


def test_after_an_enrichment_the_workspace_is_queued_only_with_ideas(cx: Cxgap) -> None:
    with cx.transaction() as session:
        bare = make_workspace(session, key="bare")
        assert evidence_job.queue_idea_evidence(session, bare.id) is None
        ws, _, _ = _board(session)
        job = evidence_job.queue_idea_evidence(session, ws.id)
        assert job is not None and job.workspace_id == ws.id
        assert evidence_job.queue_idea_evidence(session, ws.id).id == job.id  # type: ignore[union-attr]


def test_a_failing_job_is_not_queued_again_every_minute(cx: Cxgap) -> None:
    now = utcnow()
    with cx.transaction() as session:
        _board(session)
        assert evidence_job.evidence_due(session, now)
        failed = enqueue(session, evidence_job.IDEA_EVIDENCE, payload={})
        failed.status, failed.finished_at = "failed", now - timedelta(minutes=5)
        session.flush()
        assert not evidence_job.evidence_due(session, now)  # paused after a failure
        assert evidence_job.evidence_due(session, now + timedelta(minutes=11))
