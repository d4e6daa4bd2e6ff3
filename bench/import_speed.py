"""Feedback imports: rows per second on PostgreSQL (COPY) and SQLite: on PostgreSQL the
staged path (the records copied into a temporary stage, then one ``INSERT … SELECT``: every
import before) against the records copied straight into ``feedback`` while the file is read
(``services.feedback_direct``), and that in a pool of processes; on SQLite the file read
twice (a pass to settle the date format, then the rows) against once.

``python -m bench.import_speed``. Environment:

- ``BENCH_IMPORT_ROWS``: rows of each file; 200,000 by default. 1,300,000 is the issue's.
- ``BENCH_IMPORT_FILES``: ``bench`` (``bench.pg_scale.feedback_csv``, ASCII, ~200 bytes a
  row as in issue 11's file), ``realistic`` (``bench.realistic_feedback``: accents, emoji,
  line breaks, contact details, two kept columns), or both (the default, comma-separated).
- ``BENCH_IMPORT_BACKENDS``: ``postgresql,sqlite`` by default.
- ``BENCH_IMPORT_JOBS``: processes of the pooled runs (0, the default: one per CPU).
- ``BENCH_IMPORT_DB``: the PostgreSQL database, recreated (``cxgap_bench_ingest``).
- ``BENCH_IMPORT_RUNS``: which lines of each backend to run, by their first word
  (``before``, ``staged``, ``checks``, ``counts``, ``direct``, ``one``) or ``pool`` for the
  pooled line, comma-separated; all by default. ``direct`` alone times the direct path in
  one process only; ``checks,direct`` the direct path with its foreign keys checked on every
  row (the code before ``db.key_checks``) then once, the first the baseline; ``before`` and
  ``staged`` the same for the staged path; ``counts,direct`` the direct path with its
  Listening counts added table by table (the code before ``db.listening_count_merge``) then
  in one grouped pass.
- ``BENCH_IMPORT_NODB``: ``0`` skips the no-database reading lines (``1`` by default).

On PostgreSQL each import is followed by its ``index_search`` job (the search's trigram
index, off the import's path since migration 0050), timed on a line of its own.

Besides the wall-clock seconds each line gives the CPU seconds the import used: this
process's and its children's (``os.times``, the line's ``client``) plus the PostgreSQL
backends' of the database (``server``: ``/proc/<pid>/stat`` of every backend
``pg_stat_activity`` lists, before and after). On a shared machine whose load is many
times its cores, wall time says how busy the machine was; rows per CPU second say what the
import costs, and what it would do alone.

The baseline runs in the same process on the same file just before: on PostgreSQL the staged
path (``feedback_direct.enabled = False``) with the foreign keys checked on every row
(``key_checks.enabled = False``), on SQLite the two reads of before
(``feedback_imports.read_once = False``), one process each. Each line
is printed with the load average, which on a shared machine says more about a slow figure
than the code does. Each import is a whole import (``run_feedback_import``, what ``cxgap
import feedback`` calls): reading, date detection, mapping, masking, dedupe, staging and the
final write, into an empty workspace of its own.
"""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from bench.pg_base import ADMIN_URL
from bench.pg_scale import feedback_csv
from bench.realistic_feedback import KEEP, realistic_csv
from cxgap.config import Settings
from cxgap.db import key_checks, listening_count_merge, search_index
from cxgap.ingest import ImportReport, MappingSpec, get_preset, parallel, read_feedback
from cxgap.ingest.pipeline import stream_feedback, stream_options
from cxgap.services import feedback_direct, feedback_imports
from cxgap.services.core import Cxgap
from cxgap.services.feedback_imports import run_feedback_import
from cxgap.services.workspaces import create_workspace, get_workspace

ROWS = int(os.environ.get("BENCH_IMPORT_ROWS", "200000"))
JOBS = int(os.environ.get("BENCH_IMPORT_JOBS", "0"))
DATABASE = os.environ.get("BENCH_IMPORT_DB", "cxgap_bench_ingest")
FILES = os.environ.get("BENCH_IMPORT_FILES", "bench,realistic").split(",")
BACKENDS = os.environ.get("BENCH_IMPORT_BACKENDS", "postgresql,sqlite").split(",")
RUNS = [word for word in os.environ.get("BENCH_IMPORT_RUNS", "").split(",") if word]
NODB = os.environ.get("BENCH_IMPORT_NODB", "1") != "0"


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


def _own_cpu() -> float:
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system


def _server_cpu(cx: Cxgap) -> dict[int, float]:
    """CPU seconds of each PostgreSQL backend of the database (none on SQLite)."""
    if cx.engine.dialect.name != "postgresql":
        return {}
    with cx.engine.connect() as conn:
        query = "SELECT pid FROM pg_stat_activity WHERE datname = current_database()"
        pids = [int(pid) for pid in conn.execute(text(query)).scalars()]
    tick = os.sysconf("SC_CLK_TCK")
    seconds: dict[int, float] = {}
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:  # a server on another machine, or the backend gone
            continue
        seconds[pid] = (int(fields[11]) + int(fields[12])) / tick
    return seconds


def _cpu_used(cx: Cxgap, before: tuple[float, dict[int, float]]) -> tuple[float, float]:
    """CPU seconds since ``before``: this process's (and children's), the server's."""
    own, server = before
    now = _server_cpu(cx)
    return _own_cpu() - own, sum(cpu - server.get(pid, 0.0) for pid, cpu in now.items())


# label, processes, one read, direct, keys once, the counts in one grouped pass
Run = tuple[str, int, bool, bool, bool, bool]


def _timed(
    cx: Cxgap, key: str, path: Path, spec: MappingSpec, run: Run
) -> tuple[float, tuple[float, float], int]:
    """Seconds and CPU seconds (Python, server) of one whole import into a new workspace,
    and the records stored."""
    _, jobs, once, direct, keys_once, grouped = run
    with cx.transaction() as session:
        create_workspace(session, key=key, name=key)
    feedback_imports.read_once, feedback_direct.enabled = once, direct
    key_checks.enabled, listening_count_merge.enabled = keys_once, grouped
    try:
        cpu = (_own_cpu(), _server_cpu(cx))
        start = time.perf_counter()
        outcome = run_feedback_import(
            cx,
            workspace_key=key,
            source=path,
            name=path.name,
            spec=spec,
            pseudonymise=True,
            jobs=jobs,
        )
        seconds = time.perf_counter() - start
        used = _cpu_used(cx, cpu)
    finally:
        feedback_imports.read_once, feedback_direct.enabled = True, True
        key_checks.enabled, listening_count_merge.enabled = True, True
    if outcome.refusal is not None:
        raise SystemExit(f"the benchmark file was refused: {outcome.report.summary()}")
    return seconds, used, outcome.report.records_valid


POSTGRESQL_RUNS: tuple[Run, ...] = (
    ("before: staged, keys every row (baseline)", 1, True, False, False, True),
    ("staged, keys checked once", 1, True, False, True, True),
    ("checks: direct, keys checked every row", 1, True, True, False, True),
    ("counts: direct, counts table by table", 1, True, True, True, False),
    ("direct into feedback, 1 process", 1, True, True, True, True),
    ("direct, pool", JOBS, True, True, True, True),
)
SQLITE_RUNS: tuple[Run, ...] = (
    ("before: two reads, 1 process (baseline)", 1, False, True, True, True),
    ("one read, 1 process", 1, True, True, True, True),
)


def _backend(
    name: str, cx: Cxgap, path: Path, spec: MappingSpec, runs: tuple[Run, ...], tag: str
) -> None:
    baseline: float | None = None
    for index, run in enumerate(runs):
        label, jobs = run[0], run[1]
        if RUNS and ("pool" if "pool" in label else label.split()[0].rstrip(":,")) not in RUNS:
            continue
        shown = f"{label} ({parallel.worker_count(jobs)})" if "pool" in label else label
        key = f"{name}{tag}{index}"
        seconds, (python, server), stored = _timed(cx, key, path, spec, run)
        _line(name, shown, stored, seconds, python + server, baseline, server)
        baseline = baseline or stored / (python + server)
        if name == "postgresql":
            seconds, (python, server), copied = _index_job(cx, key)
            _line(
                name, "  then its index_search job", copied, seconds, python + server, None, server
            )


def _index_job(cx: Cxgap, key: str) -> tuple[float, tuple[float, float], int]:
    """The ``index_search`` job's steps after an import (``db.search_index``): the search
    table's rows and trigram index, off the import's path since migration 0050."""
    with cx.reading() as session:
        workspace_id = get_workspace(session, key).id
    cpu = (_own_cpu(), _server_cpu(cx))
    start = time.perf_counter()
    copied = 0
    while True:
        with cx.transaction() as session:
            step = search_index.index_step(session, workspace_id, search_index.BATCH_IDS)
        if step is None:
            break
        copied += step
    return time.perf_counter() - start, _cpu_used(cx, cpu), copied


def _line(
    name: str,
    label: str,
    rows: int,
    seconds: float,
    cpu: float,
    base: float | None,
    server: float | None = None,
) -> None:
    """One figure: wall seconds and rows/s, CPU seconds (this process's, the client, and
    the server's) and rows per CPU second (the comparison with the baseline), the load
    average."""
    per_cpu = rows / cpu
    split = "" if server is None else f" (client {cpu - server:5.1f}, server {server:5.1f})"
    print(
        f"{name:10} {label:42} {rows:>9,} {seconds:7.1f} s {rows / seconds:7,.0f} rows/s "
        f"| cpu {cpu:6.1f} s{split} {per_cpu:7,.0f} rows/cpu-s "
        f"{per_cpu / (base or per_cpu):5.2f}x  {load()}",
        flush=True,
    )


def _reading_only(path: Path, spec: MappingSpec) -> None:
    """Reading, date detection and mapping alone (no database): the ingest pipeline's share."""
    baseline: float | None = None
    for label in ("before: two reads (baseline)", "one read"):
        report = ImportReport(source=path.name, mode="all_or_nothing")
        cpu = _own_cpu()
        start = time.perf_counter()
        if label == "one read":
            options = stream_options(name=path.name, pseudonym_key="k")
            count = sum(1 for _ in stream_feedback(path, spec, report, options))
        else:
            count = sum(1 for _ in read_feedback(path, spec, report, pseudonym_key="k"))
        seconds, used = time.perf_counter() - start, _own_cpu() - cpu
        _line("no db", label, count, seconds, used, baseline)
        baseline = baseline or count / used


def _files(folder: Path) -> list[tuple[str, Path, MappingSpec]]:
    generic = get_preset("generic")
    made = {
        "bench": lambda: (feedback_csv(folder / "feedback.csv", ROWS), generic),
        "realistic": lambda: (
            realistic_csv(folder / "realistic.csv", ROWS),
            replace(generic, keep=KEEP),
        ),
    }
    return [(name, *made[name]()) for name in FILES]


def main(backends: dict[str, Callable[[Path], Cxgap]] | None = None) -> None:
    every = {"postgresql": _postgres, "sqlite": _sqlite}
    chosen = backends or {name: every[name] for name in BACKENDS}
    print(f"feedback import, {ROWS:,} rows, {os.cpu_count()} CPUs, {load()} at the start")
    with tempfile.TemporaryDirectory(prefix="cxgap-bench-import-") as tmp:
        folder = Path(tmp)
        files = _files(folder)
        for tag, path, spec in files:
            print(f"file {tag}: {path.stat().st_size / 1e6:,.0f} MB")
            if NODB:
                _reading_only(path, spec)
        for name, make in chosen.items():
            cx = make(folder)
            try:
                for tag, path, spec in files:
                    print(f"file {tag}", flush=True)
                    runs = POSTGRESQL_RUNS if name == "postgresql" else SQLITE_RUNS
                    _backend(name, cx, path, spec, runs, tag)
            finally:
                cx.dispose()


if __name__ == "__main__":
    main()
