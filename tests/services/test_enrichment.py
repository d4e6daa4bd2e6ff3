"""Enrichment: batches, identical texts once, a new analyzer version re-enriches, resume."""

from __future__ import annotations

import hashlib

import pytest
from sqlalchemy import delete, func, select

from cxgap.db.tables import TextEnrichment, TextFinding
from cxgap.services import enrichment
from cxgap.services.core import Cxgap
from cxgap.text.protocols import TextAnalysis
from tests.factories import make_workspace
from tests.listening import TOPICS, RuleAnalyzer, add_feedback


class Boom(Exception):
    pass


class FailingAfter(RuleAnalyzer):
    """Raises on its call number ``fail_on`` (a crash in the middle of a run)."""

    def __init__(self, fail_on: int) -> None:
        super().__init__(TOPICS)
        self.fail_on = fail_on

    def analyze(self, texts: list[str]) -> list[TextAnalysis]:  # type: ignore[override]
        if len(self.calls) + 1 == self.fail_on:
            raise Boom("the model crashed")
        return super().analyze(texts)


def _enrichments(cx: Cxgap) -> list[TextEnrichment]:
    with cx.reading() as session:
        return list(session.scalars(select(TextEnrichment).order_by(TextEnrichment.text_hash)))


def test_clauses_get_their_own_sentiment_and_topic(cx: Cxgap) -> None:
    with cx.transaction() as session:
        workspace = make_workspace(session)
        add_feedback(session, workspace, ["The staff were lovely but the delivery was late."])
    run = enrichment.enrich_pending(cx.sessions, workspace, RuleAnalyzer(TOPICS))
    assert (run.pending, run.enriched, run.batches) == (1, 1, 1)
    with cx.reading() as session:
        rows = session.execute(
            select(TextFinding.position, TextFinding.sentiment, TextFinding.topic_key).order_by(
                TextFinding.position
            )
        ).all()
        stored = session.scalars(select(TextEnrichment)).one()
    assert [tuple(r) for r in rows] == [(0, "positive", "staff"), (1, "negative", "delivery")]
    assert stored.topic_keys == ["staff", "delivery"]
    assert stored.sentiment == "neutral" and stored.language == "en"
    assert stored.model == "rules-v1"


def test_identical_texts_are_enriched_once_and_empty_texts_get_empty_values(cx: Cxgap) -> None:
    texts = ["Livraison rapide, parfait", "Livraison rapide, parfait", "", "  ", "Too expensive"]
    with cx.transaction() as session:
        workspace = make_workspace(session)
        add_feedback(session, workspace, texts)
    analyzer = RuleAnalyzer(TOPICS)
    run = enrichment.enrich_pending(cx.sessions, workspace, analyzer, batch_size=2)
    analysed = [text for call in analyzer.calls for text in call]
    assert sorted(analysed) == ["Livraison rapide, parfait", "Too expensive"]
    assert run.pending == 4 and run.enriched == 4  # "", "  " and the two others
    empties = [e for e in _enrichments(cx) if e.sentiment == ""]
    assert len(empties) == 2
    assert all(
        e.language == "" and e.sentiment_score is None and e.topic_keys == [] for e in empties
    )
    again = enrichment.enrich_pending(cx.sessions, workspace, analyzer)
    assert again.enriched == 0 and len(analyzer.calls) == 2


def test_findings_without_a_topic_keep_a_row_and_topics_get_one_row_each(cx: Cxgap) -> None:
    with cx.transaction() as session:
        workspace = make_workspace(session)
        add_feedback(session, workspace, ["The delivery staff were rude; nothing else to say"])
    enrichment.enrich_pending(cx.sessions, workspace, RuleAnalyzer(TOPICS))
    with cx.reading() as session:
        rows = session.execute(
            select(TextFinding.position, TextFinding.topic_key, TextFinding.workspace_id).order_by(
                TextFinding.position, TextFinding.topic_key
            )
        ).all()
    assert [(r.position, r.topic_key) for r in rows] == [(0, "delivery"), (0, "staff"), (1, None)]
    assert {r.workspace_id for r in rows} == {workspace.id}


def test_a_new_analyzer_version_re_enriches_and_replaces(cx: Cxgap) -> None:
    with cx.transaction() as session:
        workspace = make_workspace(session)
        add_feedback(session, workspace, ["Great price", "Late parcel"])
    enrichment.enrich_pending(cx.sessions, workspace, RuleAnalyzer(TOPICS))
    versioned = enrichment.VersionedAnalyzer(
        RuleAnalyzer(TOPICS[:1]), taxonomy="t2", workspace_model=""
    )
    with cx.reading() as session:
        assert enrichment.pending_count(session, workspace.id, versioned.name) == 2
    run = enrichment.enrich_pending(cx.sessions, workspace, versioned)
    assert run.enriched == 2
    stored = _enrichments(cx)
    assert {e.model for e in stored} == {"rules-v1;topics=t2;ws=none"}
    with cx.reading() as session:
        topics = set(session.scalars(select(TextFinding.topic_key)))
        count = session.scalar(select(func.count()).select_from(TextFinding))
    assert topics == {"delivery", None} and count == 2  # price is gone with the old rows


def test_a_crash_loses_one_batch_and_a_restart_resumes_without_repeating(cx: Cxgap) -> None:
    texts = [f"Parcel number {n} arrived late" for n in range(10)]
    with cx.transaction() as session:
        workspace = make_workspace(session)
        add_feedback(session, workspace, texts)
    crashing = FailingAfter(fail_on=3)
    with pytest.raises(Boom):
        enrichment.enrich_pending(cx.sessions, workspace, crashing, batch_size=3)
    assert len(_enrichments(cx)) == 6  # two batches committed, the third lost
    resumed = RuleAnalyzer(TOPICS)
    run = enrichment.enrich_pending(cx.sessions, workspace, resumed, batch_size=3)
    first = {t for call in crashing.calls for t in call}
    second = {t for call in resumed.calls for t in call}
    assert run.pending == 4 and run.enriched == 4
    assert first.isdisjoint(second) and first | second == set(texts)
    assert len(_enrichments(cx)) == 10


def test_progress_is_reported_per_batch(cx: Cxgap) -> None:
    with cx.transaction() as session:
        workspace = make_workspace(session)
        add_feedback(session, workspace, [f"text {n}" for n in range(5)])
    seen: list[tuple[int, int]] = []
    enrichment.enrich_pending(
        cx.sessions,
        workspace,
        RuleAnalyzer(TOPICS),
        batch_size=2,
        progress=lambda d, t: seen.append((d, t)),
    )
    assert seen == [(2, 5), (4, 5), (5, 5)]


def test_versions_fit_their_column() -> None:
    long = enrichment.analysis_version("m" * 300, "abc", "1-2")
    assert len(long) == enrichment.MODEL_TAG_LENGTH
    assert long != enrichment.analysis_version("m" * 300, "abd", "1-2")


def test_only_the_missing_texts_are_picked_when_they_are_scattered(cx: Cxgap) -> None:
    texts = [f"Order {n} was late" for n in range(12)]
    with cx.transaction() as session:
        workspace = make_workspace(session)
        add_feedback(session, workspace, texts)
    enrichment.enrich_pending(cx.sessions, workspace, RuleAnalyzer(TOPICS))
    with cx.transaction() as session:
        hashes = sorted(session.scalars(select(TextEnrichment.text_hash)))
        gone = hashes[1::3]  # every third, spread over the hash order
        session.execute(delete(TextEnrichment).where(TextEnrichment.text_hash.in_(gone)))
    again = RuleAnalyzer(TOPICS)
    run = enrichment.enrich_pending(cx.sessions, workspace, again, batch_size=2)
    assert run.pending == len(gone) == run.enriched == 4 and run.batches == 2
    analysed = sorted(hashlib.sha256(t.encode()).hexdigest() for call in again.calls for t in call)
    assert analysed == sorted(gone)
