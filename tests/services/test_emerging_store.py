"""Emerging topics computed in the background and stored: the job's step, freshness, adoption."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import select

from cxgap.db.tables import Job, Workspace
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
    with cx.transaction() as session:
        enqueue_enrichment(session, get_workspace(session, "acme"))
    assert Worker(context).run_once()


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
    stored = emerging.load_stored(cx.settings.data_dir, workspace)
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
    again = emerging.load_stored(cx.settings.data_dir, workspace)
    assert again is not None and again.computed_at > stored.computed_at
    assert embedder.misses == misses + 1  # only the new clause was embedded
    with cx.reading() as session:
        assert not emerging.freshness(session, workspace, again).stale


def test_a_failing_refresh_leaves_the_job_done_and_nothing_stored(seeded: Cxgap) -> None:
    cx = seeded

    class Broken:
        name = "broken"
        dimension = 4

        def embed(self, texts: object) -> object:
            raise RuntimeError("model unavailable")

    _enrich(cx, _context(cx, Broken()))  # type: ignore[arg-type]
    with cx.reading() as session:
        assert list(session.scalars(select(Job.status))) == ["done"]
    workspace = _workspace(cx)
    assert emerging.load_stored(cx.settings.data_dir, workspace) is None
    assert not emerging.is_computing(cx.settings.data_dir, workspace)


def test_a_job_without_an_embedder_computes_nothing(seeded: Cxgap) -> None:
    _enrich(seeded, _context(seeded, None))
    assert emerging.load_stored(seeded.settings.data_dir, _workspace(seeded)) is None


def test_adoption_hides_the_cluster_and_bad_files_are_ignored(seeded: Cxgap) -> None:
    cx = seeded
    _enrich(cx, _context(cx, HashedTrigramEmbedder(dimension=512)))
    workspace, data_dir = _workspace(cx), cx.settings.data_dir
    stored = emerging.load_stored(data_dir, workspace)
    assert stored is not None and len(stored.shown) == 2
    first = stored.shown[0].suggested_key
    assert not emerging.mark_adopted(data_dir, workspace, "no-such-cluster")
    assert emerging.mark_adopted(data_dir, workspace, first)
    reread = emerging.load_stored(data_dir, workspace)
    assert reread is not None and [c.suggested_key for c in reread.shown] == [
        stored.shown[1].suggested_key
    ]
    path: Path = emerging.stored_path(data_dir, workspace)
    raw = json.loads(path.read_text(encoding="utf-8"))
    path.write_text(json.dumps({**raw, "format": 99}), encoding="utf-8")
    assert emerging.load_stored(data_dir, workspace) is None
    path.write_text("{not json", encoding="utf-8")
    assert emerging.load_stored(data_dir, workspace) is None


def test_a_background_recompute_runs_once_at_a_time(seeded: Cxgap) -> None:
    cx = seeded
    _enrich(cx, _context(cx, None))
    workspace, data_dir = _workspace(cx), cx.settings.data_dir
    thread = emerging.recompute_in_background(
        cx.sessions, workspace, data_dir, lambda: HashedTrigramEmbedder(dimension=512)
    )
    assert thread is not None
    assert emerging.is_computing(data_dir, workspace) or not thread.is_alive()
    if thread.is_alive():
        assert emerging.recompute_in_background(cx.sessions, workspace, data_dir) is None
    thread.join(60)
    assert not emerging.is_computing(data_dir, workspace)
    stored = emerging.load_stored(data_dir, workspace)
    assert stored is not None and len(stored.shown) == 2
