"""Feedback imports: rows per second on PostgreSQL (COPY) and SQLite, the row mapping of
before against the fast row mapper, in one process and in a pool of processes.

``python -m bench.import_speed``. Environment:

- ``BENCH_IMPORT_ROWS``: rows of the generic CSV (``bench.pg_scale.feedback_csv``, ~200
  bytes a row as in issue 11's file); 200,000 by default. 1,300,000 is the issue's file.
- ``BENCH_IMPORT_JOBS``: processes of the pooled runs (0, the default: one per CPU).
- ``BENCH_PG_URL``: the PostgreSQL server (database ``cxgap_bench_ingest`` is recreated).

The baseline runs in the same process on the same file just before: ``map_response`` row by
row (``cxgap.ingest.parallel.general_mapper``), one process, as every import ran before.
Each line is printed with the load average, which on a shared machine says more about a slow
figure than the code does. Each import is a whole import (``run_feedback_import``, what
``cxgap import feedback`` calls): reading, date detection, mapping, masking, dedupe,
staging and the final write, into an empty workspace of its own.
"""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from bench.pg_base import ADMIN_URL
from bench.pg_scale import feedback_csv
from cxgap.config import Settings
from cxgap.ingest import ImportReport, get_preset, parallel, read_feedback
from cxgap.ingest.rowmapper import RowMapper
from cxgap.services.core import Cxgap
from cxgap.services.feedback_imports import run_feedback_import
from cxgap.services.workspaces import create_workspace

ROWS = int(os.environ.get("BENCH_IMPORT_ROWS", "200000"))
JOBS = int(os.environ.get("BENCH_IMPORT_JOBS", "0"))
DATABASE = "cxgap_bench_ingest"


def load() -> str:
    one, five, _ = os.getloadavg()
    return f"load {one:.1f}/{five:.1f}"


def _postgres(folder: Path) -> Cxgap:
    admin = create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{DATABASE}"'))
    admin.dispose()
    url = make_url(ADMIN_URL).set(database=DATABASE).render_as_string(False)
    return _migrated(Settings(data_dir=folder, database_url=url, secret_key="bench"))


def _sqlite(folder: Path) -> Cxgap:
    url = f"sqlite:///{folder / 'bench.sqlite3'}"
    return _migrated(Settings(data_dir=folder, database_url=url, secret_key="bench"))


def _migrated(settings: Settings) -> Cxgap:
    cx = Cxgap(settings)
    cx.upgrade()
    return cx


def _timed(cx: Cxgap, key: str, path: Path, jobs: int, general: bool) -> tuple[float, int]:
    """Seconds of one whole import into a new workspace, and the records stored."""
    with cx.transaction() as session:
        create_workspace(session, key=key, name=key)
    mapper = parallel.row_mapper
    parallel.row_mapper = parallel.general_mapper if general else mapper
    try:
        start = time.perf_counter()
        outcome = run_feedback_import(
            cx,
            workspace_key=key,
            source=path,
            name=path.name,
            preset="generic",
            pseudonymise=True,
            jobs=jobs,
        )
        seconds = time.perf_counter() - start
    finally:
        parallel.row_mapper = mapper
    if outcome.refusal is not None:
        raise SystemExit(f"the benchmark file was refused: {outcome.report.summary()}")
    return seconds, outcome.report.records_valid


RUNS: tuple[tuple[str, int, bool], ...] = (
    ("before: map_response, 1 process (baseline)", 1, True),
    ("fast row mapper, 1 process", 1, False),
    ("fast row mapper, pool", JOBS, False),
)


def _backend(name: str, cx: Cxgap, path: Path, runs: tuple[tuple[str, int, bool], ...]) -> None:
    baseline: float | None = None
    for index, (label, jobs, general) in enumerate(runs):
        shown = f"{label} ({parallel.worker_count(jobs)})" if "pool" in label else label
        seconds, stored = _timed(cx, f"{name}{index}", path, jobs, general)
        rate = stored / seconds
        baseline = baseline or rate
        print(
            f"{name:10} {shown:46} {stored:>10,} {seconds:8.1f} s {rate:9,.0f} rows/s "
            f"{rate / baseline:5.2f}x  {load()}",
            flush=True,
        )


def _reading_only(path: Path) -> None:
    """Reading, date detection and mapping alone (no database): the ingest pipeline's share."""
    baseline: float | None = None
    for label, make in (
        ("before: map_response (baseline)", parallel.general_mapper),
        ("fast row mapper", RowMapper),
    ):
        mapper, parallel.row_mapper = parallel.row_mapper, make
        report = ImportReport(source=path.name, mode="all_or_nothing")
        try:
            start = time.perf_counter()
            count = sum(
                1 for _ in read_feedback(path, get_preset("generic"), report, pseudonym_key="k")
            )
            seconds = time.perf_counter() - start
        finally:
            parallel.row_mapper = mapper
        rate = count / seconds
        baseline = baseline or rate
        print(
            f"{'no db':10} {label:46} {count:>10,} {seconds:8.1f} s {rate:9,.0f} rows/s "
            f"{rate / baseline:5.2f}x  {load()}",
            flush=True,
        )


def main(backends: dict[str, Callable[[Path], Cxgap]] | None = None) -> None:
    chosen = backends or {"postgresql": _postgres, "sqlite": _sqlite}
    print(f"feedback import, {ROWS:,} rows, {os.cpu_count()} CPUs, {load()} at the start")
    with tempfile.TemporaryDirectory(prefix="cxgap-bench-import-") as tmp:
        folder = Path(tmp)
        path = feedback_csv(folder / "feedback.csv", ROWS)
        print(f"file: {path.stat().st_size / 1e6:,.0f} MB")
        _reading_only(path)
        for name, make in chosen.items():
            cx = make(folder)
            try:
                # The pooled run is the one that matters on PostgreSQL; SQLite shows the
                # mapper's own gain, one process each.
                _backend(name, cx, path, RUNS if name == "postgresql" else RUNS[:2])
            finally:
                cx.dispose()


if __name__ == "__main__":
    main()
