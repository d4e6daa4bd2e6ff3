"""Enrichment throughput, local engine vs Ray engine, on the same texts in the same run.

    .venv/bin/python -m bench.ray_enrich [--verbatims N] [--cpus N] [--address ADDR]
        [--database-url URL]

Two workspaces of a fresh SQLite database get the same feedback: demo verbatims (the demo
generator, French and English), plus real French reviews (Allociné ``dev.tsv``) when
``../shared/data`` (or ``CXGAP_SHARED_DATA``) is there. One is enriched by the local engine
(the baseline: one process, what ``cxgap enrich`` does by default), the other by the Ray
engine (a Ray Data pipeline: read tasks, an actor pool of the text models, results streamed
back to the driver) on a local Ray instance of ``--cpus`` CPUs (or the cluster at
``--address``). Each time
is a whole job, from claim to finish, models loaded included; Ray's start-up is timed apart.
Prints distinct texts per second for both, whether they stored the same analyses, and the
load average (the machine is shared: the figures move with it).
"""

from __future__ import annotations

import argparse
import hashlib
import os
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select

from cxgap.config import Settings
from cxgap.db.tables import Feedback, TextEnrichment, Workspace
from cxgap.demo.feedback import demo_feedback
from cxgap.jobs.ray_engine import RayEngine, import_ray
from cxgap.jobs.runner import JobContext, run_job
from cxgap.jobs.store import claim, enqueue_enrichment
from cxgap.services.core import Cxgap
from cxgap.services.enrichment import enrich_pending
from cxgap.services.workspaces import create_workspace
from cxgap.text.protocols import Finding, TextAnalysis

DATA = Path(
    os.environ.get("CXGAP_SHARED_DATA", Path(__file__).resolve().parents[2] / "shared" / "data")
)
REAL_SHARE = 0.5  # of the texts, when the real reviews are there


def texts(count: int) -> tuple[list[str], str]:
    """``count`` texts and where they come from."""
    real_file = DATA / "allocine" / "dev.tsv"
    real: list[str] = []
    if real_file.exists():
        with real_file.open(encoding="utf-8") as lines:
            for line in lines:
                real.append(line.rstrip("\n").split("\t", 1)[-1])
                if len(real) >= int(count * REAL_SHARE):
                    break
    demo = [item.text for item in demo_feedback(n_items=count - len(real))]
    source = f"{len(demo)} demo + {len(real)} Allociné" if real else f"{len(demo)} demo"
    return demo + real, source


def fill(cx: Cxgap, key: str, items: list[str]) -> Workspace:
    with cx.transaction() as session:
        workspace = create_workspace(session, key=key, name=key)
        session.add_all(
            Feedback(
                workspace_id=workspace.id,
                source_type="review",
                source_id=f"{key}-{n}",
                collected_at=datetime(2026, 3, 1, tzinfo=UTC),
                text=text,
                text_hash=hashlib.sha256(text.encode()).hexdigest(),
            )
            for n, text in enumerate(items)
        )
        return workspace


def enrich(cx: Cxgap, workspace: Workspace, engine: RayEngine | None) -> tuple[float, int]:
    """Seconds for the whole job and how many distinct texts it enriched."""
    with cx.transaction() as session:
        job_id = enqueue_enrichment(session, workspace).id
    context = JobContext(sessions=cx.sessions, data_dir=cx.settings.data_dir, engine=engine)
    started = time.perf_counter()
    lease = claim(cx.sessions, job_id, stale_seconds=600)
    if lease is None or run_job(context, lease) != "done":
        raise SystemExit(f"The enrichment job of {workspace.key} did not finish")
    seconds = time.perf_counter() - started
    return seconds, len(stored(cx, workspace))


class InstantAnalyzer:
    """Answers at once, one finding per text: what is left is the driver's own work (read a
    batch, store it), the ceiling no number of Ray actors can pass."""

    name = "instant"

    def analyze(self, texts: list[str]) -> list[TextAnalysis]:
        finding = Finding(0, 1, "neutral", 0.0, 0.1, ("delivery",))
        return [
            TextAnalysis("en", "neutral", 0.0, 0.1, ("delivery",), ("products",), (finding,))
            for _ in texts
        ]


def driver_ceiling(cx: Cxgap, workspace: Workspace) -> float:
    """Texts per second the driver reads and stores when analysing costs nothing."""
    started = time.perf_counter()
    run = enrich_pending(cx.sessions, workspace, InstantAnalyzer())
    return run.enriched / (time.perf_counter() - started)


def stored(cx: Cxgap, workspace: Workspace) -> dict[str, tuple[object, ...]]:
    with cx.reading() as session:
        rows = session.execute(
            select(
                TextEnrichment.text_hash,
                TextEnrichment.sentiment,
                TextEnrichment.sentiment_score,
                TextEnrichment.topic_keys,
            ).where(TextEnrichment.workspace_id == workspace.id)
        )
        return {row[0]: (row[1], row[2], tuple(row[3])) for row in rows}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--verbatims", type=int, default=3000)
    parser.add_argument("--cpus", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--address", default=None, help="a Ray cluster instead of a local one")
    parser.add_argument(
        "--database-url", default=None, help="an empty database (default: a new SQLite file)"
    )
    args = parser.parse_args()
    ray = import_ray()
    items, source = texts(args.verbatims)
    backend = (args.database_url or "sqlite").split(":")[0].split("+")[0]
    print(f"enrichment, local vs Ray: {len(items):,} verbatims ({source}), {backend}")
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder)
        url = args.database_url or f"sqlite:///{path / 'db.sqlite3'}"
        cx = Cxgap(Settings(data_dir=path, database_url=url))
        cx.upgrade()
        local, distributed = fill(cx, "local", items), fill(cx, "onray", items)
        ceiling = driver_ceiling(cx, fill(cx, "ceiling", items))
        print(f"driver ceiling (read + store, instant analyses): {ceiling:,.0f} texts/s")
        local_s, distinct = enrich(cx, local, None)
        print(f"local engine (baseline): {distinct:,} texts in {local_s:.1f} s,"
              f" {distinct / local_s:,.0f} texts/s")  # fmt: skip
        started = time.perf_counter()
        ray.init(address=args.address, num_cpus=None if args.address else args.cpus,
                 include_dashboard=False, log_to_driver=False)  # fmt: skip
        cpus = int(ray.cluster_resources().get("CPU", 0))
        print(f"Ray start-up ({cpus} CPUs): {time.perf_counter() - started:.1f} s")
        ray_s, done = enrich(cx, distributed, RayEngine())
        ratio = local_s / ray_s
        print(f"Ray engine (Ray Data), {cpus} CPUs: {done:,} texts in {ray_s:.1f} s,"
              f" {done / ray_s:,.0f} texts/s ({ratio:.2f}x the local engine)")  # fmt: skip
        same = stored(cx, local) == stored(cx, distributed)
        print(f"same analyses stored by both: {'yes' if same else 'NO'}")
        ray.shutdown()
        cx.dispose()
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
