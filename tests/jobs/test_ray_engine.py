"""The Ray engine (a Ray Data pipeline) on a local two-CPU Ray cluster started here: the same
analyses as the local engine, text for text, a run stopped part-way that resumes to the same
end, the texts read by the cluster's read tasks (not fed by the driver), and a worker with
other models refused."""

from __future__ import annotations

import os
import random
from collections.abc import Iterator
from importlib.util import find_spec
from pathlib import Path

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from cxgap.cli.main import app
from cxgap.db.tables import Job, TextEnrichment, TextFinding, Workspace
from cxgap.errors import ConfigError
from cxgap.jobs.hash_ranges import hash_ranges
from cxgap.jobs.ray_engine import RayEngine, import_ray
from cxgap.jobs.runner import JobContext, run_job
from cxgap.jobs.store import claim, enqueue_enrichment
from cxgap.services import enrichment
from cxgap.services.core import Cxgap
from cxgap.services.enrichment import AnalyzerFactory
from tests.factories import make_workspace
from tests.listening import add_feedback, rule_analyzer
from tests.listening_factories import random_verbatim

# Ray Data (with pandas and pyarrow) is imported by the tests that run, not when the module is
# collected: every test process collects it, one runs it (the "processes" xdist group).
if find_spec("ray") is None or find_spec("pandas") is None or find_spec("pyarrow") is None:
    pytest.skip("Ray Data is not installed: pip install 'cxgap[ray]'", allow_module_level=True)

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[2]
BATCH = 16


@pytest.fixture(scope="module")
def ray_cluster() -> Iterator[None]:
    """One local Ray cluster of two CPUs for the module (it takes seconds to start); its
    workers import cxgap and the tests from this checkout."""
    path = os.pathsep.join([str(ROOT / "src"), str(ROOT), os.environ.get("PYTHONPATH", "")])
    ray = import_ray()
    ray.init(
        num_cpus=2,
        include_dashboard=False,
        log_to_driver=False,
        runtime_env={"env_vars": {"PYTHONPATH": path}},
    )
    yield
    ray.shutdown()


def _texts() -> list[str]:
    """160 French and English verbatims of one to three clauses, with repeats and an empty
    one (identical texts are enriched once)."""
    rng = random.Random(7)
    texts = [random_verbatim(rng).text for _ in range(160)]
    return [*texts, "", texts[0], texts[1]]


def _workspace(cx: Cxgap, key: str) -> Workspace:
    with cx.transaction() as session:
        workspace = make_workspace(session, key=key)
        add_feedback(session, workspace, _texts(), prefix=key)
        return workspace


def _context(
    cx: Cxgap, engine: RayEngine | None, factory: AnalyzerFactory | None = None
) -> JobContext:
    """A job context; ``factory`` None: the bundled text models."""
    return JobContext(
        sessions=cx.sessions,
        data_dir=cx.settings.data_dir,
        analyzer_factory=factory,
        batch_size=BATCH,
        engine=engine,
    )


def _run(cx: Cxgap, context: JobContext, workspace: Workspace) -> str:
    with cx.transaction() as session:
        job_id = enqueue_enrichment(session, workspace).id
    lease = claim(cx.sessions, job_id, stale_seconds=60)
    assert lease is not None
    return run_job(context, lease)


def _analyses(cx: Cxgap, workspace: Workspace) -> dict[str, tuple[object, ...]]:
    """Each text's stored enrichment and findings, by text hash."""
    with cx.reading() as session:
        rows = session.scalars(
            select(TextEnrichment).where(TextEnrichment.workspace_id == workspace.id)
        ).all()
        findings: dict[int, list[tuple[object, ...]]] = {}
        for f in session.scalars(
            select(TextFinding)
            .where(TextFinding.workspace_id == workspace.id)
            .order_by(TextFinding.position, TextFinding.topic_key)
        ):
            findings.setdefault(f.enrichment_id, []).append(
                (
                    f.position,
                    f.start,
                    f.end,
                    f.sentiment,
                    f.sentiment_score,
                    f.intensity,
                    f.topic_key,
                )
            )
        return {
            row.text_hash: (
                row.language,
                row.sentiment,
                row.sentiment_score,
                row.intensity,
                tuple(row.topic_keys),
                row.model,
                tuple(findings.get(row.id, ())),
            )
            for row in rows
        }


def _job(cx: Cxgap, workspace: Workspace) -> Job:
    with cx.reading() as session:
        job = session.scalars(
            select(Job)
            .where(Job.workspace_id == workspace.id, Job.kind == "enrich")
            .order_by(Job.id.desc())
        ).first()
        assert job is not None
        return job


def test_ray_stores_what_the_local_engine_stores(ray_cluster: None, sqlite_cx: Cxgap) -> None:
    local, distributed = _workspace(sqlite_cx, "local"), _workspace(sqlite_cx, "onray")

    context = _context(sqlite_cx, None)  # one context: the driver loads the models once
    assert _run(sqlite_cx, context, local) == "done"
    context.engine = RayEngine(actors=2)
    assert _run(sqlite_cx, context, distributed) == "done"

    expected, found = _analyses(sqlite_cx, local), _analyses(sqlite_cx, distributed)
    assert len(expected) == len(set(_texts())) > 100
    assert {r[0] for r in expected.values()} >= {"fr", "en"}
    assert any(r[6] for r in expected.values())  # findings were stored
    assert found == expected
    job = _job(sqlite_cx, distributed)
    assert (job.status, job.done, job.total) == ("done", len(expected), len(expected))


def test_a_stopped_ray_run_resumes_to_the_same_end(ray_cluster: None, sqlite_cx: Cxgap) -> None:
    # The small rule analyzer: what is tested here is the stop and the resume, not the models.
    local, distributed = _workspace(sqlite_cx, "local"), _workspace(sqlite_cx, "onray")
    assert _run(sqlite_cx, _context(sqlite_cx, None, rule_analyzer), local) == "done"
    # One actor: a pool starts in seconds less. The stop lands right after the first batch.
    context = _context(sqlite_cx, RayEngine(actors=1), rule_analyzer)

    def stop_after_first_batch(done: int, total: int) -> None:
        context.stop.set()

    with sqlite_cx.transaction() as session:
        job_id = enqueue_enrichment(session, distributed).id
    lease = claim(sqlite_cx.sessions, job_id, stale_seconds=60)
    assert lease is not None
    assert run_job(context, lease, progress=stop_after_first_batch) == "released"
    stored = len(_analyses(sqlite_cx, distributed))
    # The first range (about a batch) is stored, and nothing after it.
    assert 0 < stored <= 2 * BATCH
    assert _job(sqlite_cx, distributed).done == stored

    context.stop.clear()
    lease = claim(sqlite_cx.sessions, job_id, stale_seconds=60)
    assert lease is not None
    assert run_job(context, lease) == "done"
    expected = _analyses(sqlite_cx, local)
    assert _analyses(sqlite_cx, distributed) == expected
    job = _job(sqlite_cx, distributed)
    assert (job.done, job.total) == (len(expected), len(expected))


def test_cxgap_enrich_engine_ray(
    ray_cluster: None, sqlite_cx: Cxgap, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The command on the cluster this module started (it joins it, and leaves it running)."""
    monkeypatch.setenv("CXGAP_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("CXGAP_QUEUE", "embedded")
    monkeypatch.setattr(enrichment, "default_analyzer_factory", rule_analyzer)
    workspace = _workspace(sqlite_cx, "acme")
    url = sqlite_cx.settings.database_url

    result = CliRunner().invoke(
        app, ["enrich", "--workspace", "acme", "--engine", "ray", "--database-url", url]
    )

    assert result.exit_code == 0, result.stderr
    distinct = len(set(_texts()))
    assert f"{distinct:,} distinct texts enriched" in result.stdout
    assert len(_analyses(sqlite_cx, workspace)) == distinct
    assert import_ray().is_initialized()


def test_the_hash_ranges_split_the_pending_texts_without_gap_or_overlap(
    sqlite_cx: Cxgap,
) -> None:
    """What the read tasks read, range by range, is what one read of the workspace reads."""
    workspace = _workspace(sqlite_cx, "acme")
    texts = enrichment.PendingTexts(sqlite_cx.sessions, workspace.id, "v1", batch_size=BATCH)
    whole = [pair for batch in texts.batches() for pair in batch]
    assert len(whole) == len(set(_texts()))
    for count in (1, 2, 7, 40):
        ranges = hash_ranges(count)
        read = [
            pair
            for after, until in ranges
            for batch in texts.batches(after=after, until=until)
            for pair in batch
        ]
        assert read == whole, count
    # sha256 digests spread evenly: no range of seven holds more than twice its share
    sizes = [sum(map(len, texts.batches(after=a, until=u))) for a, u in hash_ranges(7)]
    assert max(sizes) <= 2 * len(whole) / 7, sizes


def test_the_cluster_reads_the_pending_texts_itself(
    ray_cluster: None, cx: Cxgap, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ray Data read tasks read the database (SQLite, or PostgreSQL through its URL); the
    driver only stores: a driver that cannot read pending batches still gets every text
    enriched, as the local engine enriches it."""

    def no_driver_reads(*args: object, **kwargs: object) -> None:
        raise AssertionError("the driver read a batch of pending texts")

    local, distributed = _workspace(cx, "local"), _workspace(cx, "onray")
    assert _run(cx, _context(cx, None, rule_analyzer), local) == "done"
    monkeypatch.setattr(enrichment, "pending_batches", no_driver_reads)
    context = _context(cx, RayEngine(actors=1), rule_analyzer)
    assert _run(cx, context, distributed) == "done"
    expected = _analyses(cx, local)
    assert len(expected) == len(set(_texts()))
    assert _analyses(cx, distributed) == expected


def test_a_worker_with_other_models_is_refused(ray_cluster: None, sqlite_cx: Cxgap) -> None:
    workspace = _workspace(sqlite_cx, "acme")
    recipe = _context(sqlite_cx, None, rule_analyzer).recipe_for(workspace)
    analyzer = recipe.build()
    driver = analyzer.name.replace(";topics=", ";topics=x")  # the driver's taxonomy differs
    analyse = RayEngine(actors=1).analyser(recipe, version=driver)

    with pytest.raises(ConfigError) as refused:
        enrichment.enrich_pending(
            sqlite_cx.sessions, workspace, analyzer, batch_size=BATCH, analyse=analyse
        )

    assert refused.value.message_key == "ray.error.version"
    assert refused.value.message_params == {"worker": analyzer.name, "driver": driver}
    assert _analyses(sqlite_cx, workspace) == {}
