"""Emerging topics computed in the background and stored: the job's step, freshness, adoption."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from cxgap.db.tables import EmergingTopicsResult, Job, Workspace
from cxgap.jobs import queue_emerging
from cxgap.jobs.runner import JobContext
from cxgap.jobs.worker import Worker, enqueue_enrichment
from cxgap.services import emerging, taxonomy
from cxgap.services.core import Cxgap
from cxgap.services.workspaces import get_workspace
from cxgap.text.embeddings import CachedEmbedder
from cxgap.text.protocols import Embedder
from tests.factories import make_workspace
from tests.listening import TOPICS, NearestExampleTrainer, add_feedback, rule_analyzer
from tests.text.fakes import HashedTrigramEmbedder

UNCOVERED = [
    "No parking spaces near the shop",
    "Parking was full again today",
    "Impossible de trouver une place de parking",
    "The parking is far too small",
    "The app crashes at checkout",
    "App crashes every time I log in",
    "The mobile app keeps crashing",
    "Crashes in the app when paying",
]


def _context(cx: Cxgap, embedder: Embedder | None) -> JobContext:
    return JobContext(
        sessions=cx.sessions,
        data_dir=cx.settings.data_dir,
        analyzer_factory=rule_analyzer,
        trainer=NearestExampleTrainer(),
        embedder_factory=(lambda: embedder) if embedder is not None else None,
    )


def _enrich(cx: Cxgap, context: JobContext) -> None:
    """Enrich, then run what the job queued after it (the overlay index, emerging topics)."""
    with cx.transaction() as session:
        enqueue_enrichment(session, get_workspace(session, "acme"))
    worker = Worker(context)
    assert worker.run_once()
    while worker.run_once() is not None:
        pass


def _stored(cx: Cxgap, workspace: Workspace) -> emerging.StoredEmerging | None:
    with cx.reading() as session:
        return emerging.load_stored(session, workspace)


def _workspace(cx: Cxgap) -> Workspace:
    with cx.reading() as session:
        return get_workspace(session, "acme")


@pytest.fixture
def seeded(cx: Cxgap, monkeypatch: pytest.MonkeyPatch) -> Cxgap:
    monkeypatch.setattr(taxonomy, "default_taxonomy", lambda: TOPICS)
    with cx.transaction() as session:
        add_feedback(session, make_workspace(session), ["The delivery was late", *UNCOVERED])
    return cx


def test_a_successful_job_stores_the_clusters_with_its_enrichment_version(seeded: Cxgap) -> None:
    cx = seeded
    embedder = CachedEmbedder(HashedTrigramEmbedder(dimension=512))
    _enrich(cx, _context(cx, embedder))
    workspace = _workspace(cx)
    stored = _stored(cx, workspace)
    assert stored is not None and stored.clauses == 8
    assert sorted(len(c.examples) for c in stored.shown) == [3, 3]
    with cx.reading() as session:
        assert stored.version == emerging.enrichment_version(session, workspace) != ""
        fresh = emerging.freshness(session, workspace, stored)
        live = emerging.emerging_topics(session, workspace, embedder)
    assert (fresh.new_feedback, fresh.version_changed, fresh.stale) == (0, False, False)
    assert list(stored.clusters) == live  # the stored result is what a live run finds
    assert embedder.hits >= 8  # the live run re-used the job's embeddings

    with cx.transaction() as session:  # newer feedback: stale until the next job
        add_feedback(session, get_workspace(session, "acme"), ["Queue far too long"], prefix="b")
    with cx.reading() as session:
        fresh = emerging.freshness(session, workspace, stored)
    assert (fresh.new_feedback, fresh.stale) == (1, True)
    misses = embedder.misses
    _enrich(cx, _context(cx, embedder))
    again = _stored(cx, workspace)
    assert again is not None and again.computed_at > stored.computed_at
    assert embedder.misses == misses + 1  # only the new clause was embedded
    with cx.reading() as session:
        assert not emerging.freshness(session, workspace, again).stale


def test_a_failing_refresh_leaves_the_enrichment_done_and_nothing_stored(seeded: Cxgap) -> None:
    cx = seeded

    class Broken:
        name = "broken"
        dimension = 4

        def embed(self, texts: object) -> object:
            raise RuntimeError("model unavailable")

    _enrich(cx, _context(cx, Broken()))  # type: ignore[arg-type]
    with cx.reading() as session:
        jobs = {kind: status for kind, status in session.execute(select(Job.kind, Job.status))}
        error = session.scalar(select(Job.error).where(Job.kind == "emerging"))
    # the emerging job waits for its second attempt, with the reason on the jobs page
    assert jobs == {"enrich": "done", "overlay": "done", "emerging": "queued"}
    assert error == "RuntimeError: model unavailable"
    assert _stored(cx, _workspace(cx)) is None


def test_a_job_without_an_embedder_computes_nothing(seeded: Cxgap) -> None:
    _enrich(seeded, _context(seeded, None))
    assert _stored(seeded, _workspace(seeded)) is None


def test_adoption_hides_the_cluster_and_bad_documents_are_ignored(seeded: Cxgap) -> None:
    cx = seeded
    _enrich(cx, _context(cx, HashedTrigramEmbedder(dimension=512)))
    workspace = _workspace(cx)
    stored = _stored(cx, workspace)
    assert stored is not None and len(stored.shown) == 2
    first = stored.shown[0].suggested_key
    with cx.transaction() as session:
        assert not emerging.mark_adopted(session, workspace, "no-such-cluster")
        assert emerging.mark_adopted(session, workspace, first)
    reread = _stored(cx, workspace)
    assert reread is not None and [c.suggested_key for c in reread.shown] == [
        stored.shown[1].suggested_key
    ]
    with cx.transaction() as session:
        row = session.get(EmergingTopicsResult, workspace.id)
        assert row is not None
        row.data = {**row.data, "format": 99}
    assert _stored(cx, workspace) is None
    with cx.transaction() as session:
        row = session.get(EmergingTopicsResult, workspace.id)
        assert row is not None
        row.data = {"format": 1, "clusters": "not a list"}
    assert _stored(cx, workspace) is None


def test_the_result_lives_in_the_database_not_in_the_data_folder(seeded: Cxgap) -> None:
    """What one process computed, another reads (a restart, a second web process)."""
    cx = seeded
    _enrich(cx, _context(cx, HashedTrigramEmbedder(dimension=512)))
    assert not (cx.settings.data_dir / "emerging").exists()
    other = Cxgap(cx.settings)  # a second process on the same database
    try:
        with other.reading() as session:
            again = emerging.load_stored(session, get_workspace(session, "acme"))
    finally:
        other.engine.dispose()
    assert again is not None and len(again.shown) == 2


def test_recomputing_twice_while_one_waits_is_one_job(seeded: Cxgap) -> None:
    cx = seeded
    _enrich(cx, _context(cx, None))
    workspace = _workspace(cx)
    with cx.transaction() as session:
        first = queue_emerging(session, workspace.id).id
    with cx.transaction() as session:  # e.g. the other web process, a second click
        assert queue_emerging(session, workspace.id).id == first
    worker = Worker(_context(cx, HashedTrigramEmbedder(dimension=512)))
    assert worker.run_once() == first and worker.run_once() is None
    stored = _stored(cx, workspace)
    assert stored is not None and len(stored.shown) == 2
