"""The worker's analyzers (one per workspace) are bounded and share one model and cache."""

from __future__ import annotations

from pathlib import Path

from cxgap.jobs.runner import MAX_CACHED_ANALYZERS, JobContext
from cxgap.services.core import Cxgap
from tests.factories import make_workspace


def test_analyzers_for_many_workspaces_stay_bounded_and_share_the_embedder(
    sqlite_cx: Cxgap, tmp_path: Path
) -> None:
    # The hostile run's server grew from 180 MB to 1.77 GB: each workspace's analyzer had
    # its own embedding cache (up to 100 MB each, eight analyzers kept).
    with sqlite_cx.transaction() as session:
        workspaces = [make_workspace(session, key=f"w{n}", name=f"W{n}") for n in range(12)]
    context = JobContext(sessions=sqlite_cx.sessions, data_dir=tmp_path)
    embedders = set()
    for workspace in workspaces:
        analyzer = context.analyzer_for(workspace)
        embedders.add(id(analyzer.inner.embedder))  # type: ignore[attr-defined]
        assert len(context._analyzers) <= MAX_CACHED_ANALYZERS
    assert len(embedders) == 1
