"""The public survey under load: ``python -m bench.survey_load``.

Starts ``cxgap serve`` itself (a temporary data folder, a fresh SQLite file or PostgreSQL
database per run), publishes a survey, opens its form once per simulated respondent (the
cookie, CSRF token and answer key a browser would hold) and then posts the valid answers
from ``--concurrency`` keep-alive connections, each respondent from its client address
(``CXGAP_TRUSTED_PROXIES=127.0.0.1`` + ``X-Forwarded-For``, a few respondents per address so
the rate limit is never reached by the load itself). Printed: submissions/s, p50/p95/p99,
errors, the client's own CPU, the load average. Then it checks what was acknowledged: every
303 answer is stored exactly once (its answer key is the stored ``external_id``), and one
client posting past the rate limit is refused, over fresh connections that land on any of
the server's processes. The baseline, in the same run, is ``cxgap serve`` in one process
with every answer through the full route (``CXGAP_SURVEY_FAST_PATH=0``, the code before the
short path); the other setups use the short path (``web/public_fast_path.py``). Bounded:
``--count`` answers and ``--max-seconds`` per run.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import resource
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url

from bench.load_client import Connection, Respondent, open_form, submission, submit
from cxgap.config import Settings
from cxgap.db.tables import CustomerResponse
from cxgap.pillars import DEFAULT_PILLARS
from cxgap.services import campaigns
from cxgap.services.core import Cxgap
from cxgap.services.workspaces import add_segments, create_workspace

PG_ADMIN = os.environ.get(
    "BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
# This bench's own database, dropped after each run.
PG_NAME = os.environ.get("BENCH_SURVEY_PG_NAME", "cxgap_bench_survey_load")
RATE_LIMIT = 20
PER_ADDRESS = 5  # respondents sharing one client address during the load (< RATE_LIMIT)


@dataclass(frozen=True)
class Setup:
    """How the server is started: ``full:1`` (the baseline), ``fast:1``, ``fast:2``…"""

    fast: bool
    workers: int

    @classmethod
    def parse(cls, text: str) -> Setup:
        path, _, workers = text.partition(":")
        if path not in {"full", "fast"} or not workers.isdigit() or int(workers) < 1:
            raise argparse.ArgumentTypeError(f"a setup is full:N or fast:N, got {text!r}")
        return cls(path == "fast", int(workers))

    def __str__(self) -> str:
        return f"{'fast' if self.fast else 'full'}:{self.workers}"


@dataclass
class Run:
    backend: str
    setup: Setup
    concurrency: int
    sent: int
    acknowledged: int
    errors: dict[int, int]
    seconds: float
    latencies: list[float]
    client_cpu: float
    stored_once: int = 0
    lost: int = 0
    duplicated: int = 0
    unacknowledged_stored: int = 0
    rate_limit: str = ""
    server_cpu: float = 0.0  # CPU seconds of the server's processes while posting
    load: tuple[float, float, float] = (0.0, 0.0, 0.0)

    @property
    def cpu_ms(self) -> float:
        """Server CPU per acknowledged answer: what the machine's load does not change much."""
        return 1000 * self.server_cpu / self.acknowledged if self.acknowledged else 0.0

    @property
    def workers(self) -> int:
        return self.setup.workers

    @property
    def client_ms(self) -> float:
        """The load client's CPU per answer (it shares the two cores with the server)."""
        return 1000 * self.client_cpu * self.seconds / self.sent if self.sent else 0.0

    @property
    def rate(self) -> float:
        return self.acknowledged / self.seconds if self.seconds else 0.0

    def percentile(self, q: float) -> float:
        ordered = sorted(self.latencies)
        if not ordered:
            return float("nan")
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


def answers() -> dict[str, str]:
    form = {
        f"{p.key}_{aspect}": "4"
        for p in DEFAULT_PILLARS
        for aspect in ("importance", "performance")
    }
    form.update(nps="8", csat="4", ces="6", birth_year="1980", segment="pro", consent="true")
    return form


# --- the database and the server ---------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _publish(url: str, data_dir: Path) -> str:
    cx = Cxgap(Settings(data_dir=data_dir, database_url=url, secret_key="bench"))
    cx.upgrade()
    with cx.transaction() as session:
        workspace = create_workspace(session, key="load", name="Load")
        add_segments(session, workspace=workspace, segments=[("pro", "Pros", "Pros")])
        token = campaigns.create_survey(session, workspace=workspace, key="s", name="S").token
    cx.dispose()
    return token


def _pg_url(name: str) -> str:
    return make_url(PG_ADMIN).set(database=name).render_as_string(hide_password=False)


@contextmanager
def database(backend: str, folder: Path) -> Iterator[tuple[str, str]]:
    """A fresh, migrated database with a published survey: (url, survey token)."""
    if backend == "sqlite":
        url = f"sqlite:///{folder / 'load.sqlite3'}"
        yield url, _publish(url, folder)
        return
    admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:  # our own database only
        conn.execute(text(f'DROP DATABASE IF EXISTS "{PG_NAME}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{PG_NAME}"'))
    try:
        yield _pg_url(PG_NAME), _publish(_pg_url(PG_NAME), folder)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{PG_NAME}" WITH (FORCE)'))
        admin.dispose()


@contextmanager
def server(url: str, folder: Path, setup: Setup, extra: list[str]) -> Iterator[tuple[int, int]]:
    """``cxgap serve`` on a free port; the baseline (``full:1``) is the plain command."""
    port, workers = _free_port(), setup.workers
    env = {
        **os.environ,
        "CXGAP_DATABASE_URL": url,
        "CXGAP_DATA_DIR": str(folder),
        "CXGAP_SECRET_KEY": "bench-secret",
        "CXGAP_SURVEY_RATE_LIMIT": str(RATE_LIMIT),
        "CXGAP_TRUSTED_PROXIES": "127.0.0.1",
        "CXGAP_SURVEY_FAST_PATH": "1" if setup.fast else "0",
    }
    command = [sys.executable, "-c", "from cxgap.cli.main import main; main()", "serve"]
    command += ["--port", str(port)] + (["--workers", str(workers)] if workers > 1 else [])
    log = (folder / f"serve-{setup.fast}-{workers}.log").open("w")
    command += extra if setup.fast else []
    process = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        _wait_until_up(port, process, workers)
        yield port, process.pid
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


def _wait_until_up(port: int, process: subprocess.Popen[bytes], workers: int) -> None:
    deadline = time.monotonic() + 300  # a busy shared machine starts slowly
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("cxgap serve exited; see its log in the bench folder")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/login", timeout=5) as page:
                if page.status == 200:
                    time.sleep(0.5 * workers)  # let every worker process finish starting
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("cxgap serve did not listen within 300 s")


# --- the load ----------------------------------------------------------------------------


async def _open_forms(
    port: int, path: str, addresses: list[str], concurrency: int
) -> list[Respondent]:
    queue = list(enumerate(addresses))
    found: list[Respondent | None] = [None] * len(addresses)

    async def opener() -> None:
        conn = Connection("127.0.0.1", port)
        while queue:
            i, address = queue.pop()
            found[i] = await open_form(conn, path, address)
        conn.close()

    await asyncio.gather(*(opener() for _ in range(concurrency)))
    return [r for r in found if r is not None]


async def _post_all(
    port: int, path: str, respondents: list[Respondent], concurrency: int, max_seconds: float
) -> tuple[list[float], dict[int, int], list[str], float]:
    form = answers()
    wire = Connection("127.0.0.1", port)  # the posts' bytes, built before the clock starts
    todo = [(r, submission(wire, path, r, form)) for r in reversed(respondents)]
    latencies: list[float] = []
    errors: dict[int, int] = {}
    acknowledged: list[str] = []
    start = time.perf_counter()
    deadline = start + max_seconds

    async def poster() -> None:
        conn = Connection("127.0.0.1", port)
        while todo and time.perf_counter() < deadline:
            respondent, raw = todo.pop()
            began = time.perf_counter()
            try:
                status = (await conn.send(raw)).status
            except (OSError, asyncio.IncompleteReadError):
                status = 0  # the connection broke: not acknowledged
            latencies.append(time.perf_counter() - began)
            if status == 303:
                acknowledged.append(respondent.submission_id)
            else:
                errors[status] = errors.get(status, 0) + 1
        conn.close()

    await asyncio.gather(*(poster() for _ in range(concurrency)))
    return latencies, errors, acknowledged, time.perf_counter() - start


async def _rate_limit_holds(port: int, path: str) -> str:
    """One new client posts ``RATE_LIMIT + 1`` answers, each over a new connection (so any
    of the server's processes may answer): the first ``RATE_LIMIT`` pass, the last is 429."""
    address = "198.51.100.77"
    statuses = []
    for _ in range(RATE_LIMIT + 1):
        conn = Connection("127.0.0.1", port)
        respondent = await open_form(conn, path, address)
        conn.close()
        conn = Connection("127.0.0.1", port)
        statuses.append(await submit(conn, path, respondent, answers()))
        conn.close()
    passed = statuses[:RATE_LIMIT] == [303] * RATE_LIMIT and statuses[-1] == 429
    return "holds" if passed else f"BROKEN: {statuses}"


def _check_stored(url: str, acknowledged: list[str], run: Run) -> None:
    engine = create_engine(url)
    with engine.connect() as conn:
        rows = conn.execute(
            select(CustomerResponse.external_id, func.count())
            .where(CustomerResponse.source == "web")
            .group_by(CustomerResponse.external_id)
        ).all()
    engine.dispose()
    stored = {str(external_id): int(n) for external_id, n in rows}
    wanted = {f"web-{sid}" for sid in acknowledged}
    run.stored_once = sum(1 for key in wanted if stored.get(key) == 1)
    run.lost = sum(1 for key in wanted if key not in stored)
    run.duplicated = sum(1 for n in stored.values() if n > 1)
    run.unacknowledged_stored = sum(1 for key in stored if key not in wanted)


def measure(backend: str, setup: Setup, args: argparse.Namespace) -> Run:
    folder = Path(tempfile.mkdtemp(prefix="cxgap-load-"))
    try:
        with (
            database(backend, folder) as (url, token),
            server(url, folder, setup, args.serve_arg) as (port, pid),
        ):
            path = f"/s/{token}"
            addresses = [
                f"10.{i // 65536 % 256}.{i // 256 % 256}.{i % 256}"
                for i in range(args.count // PER_ADDRESS + 1)
            ]
            # Neighbours in the queue are posted together: give them different addresses.
            per_respondent = [addresses[i % len(addresses)] for i in range(args.count)]
            print(f"{backend}, {setup}: opening {args.count} forms", flush=True)
            respondents = asyncio.run(_open_forms(port, path, per_respondent, args.concurrency))
            print(f"{backend}, {setup}: posting", flush=True)
            cpu_before, server_before = _cpu(), _tree_cpu(pid)
            latencies, errors, acknowledged, seconds = asyncio.run(
                _post_all(port, path, respondents, args.concurrency, args.max_seconds)
            )
            cpu = _cpu() - cpu_before
            server_cpu = _tree_cpu(pid) - server_before
            run = Run(
                backend,
                setup,
                args.concurrency,
                len(latencies),
                len(acknowledged),
                errors,
                seconds,
                latencies,
                cpu / seconds,
                load=os.getloadavg(),
                server_cpu=server_cpu,
            )
            _check_stored(url, acknowledged, run)
            run.rate_limit = asyncio.run(_rate_limit_holds(port, path))
            return run
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _tree_cpu(root: int) -> float:
    """CPU seconds used so far by ``root`` and its descendants (the server's processes)."""
    parents: dict[int, int] = {}
    times: dict[int, float] = {}
    tick = os.sysconf("SC_CLK_TCK")
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except (OSError, IndexError):
                continue
            parents[int(entry.name)] = int(fields[1])
            times[int(entry.name)] = (int(fields[11]) + int(fields[12])) / tick
    tree, grew = {root}, True
    while grew:
        found = {pid for pid, parent in parents.items() if parent in tree} - tree
        tree |= found
        grew = bool(found)
    return sum(times.get(pid, 0.0) for pid in tree)


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def report(runs: list[Run], *, legend: bool = True) -> None:
    header = (
        f"{'backend':10} {'setup':>6} {'conc':>5} {'sent':>6} {'ok/s':>6} {'x base':>6} "
        f"{'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'errors':>8} {'lost':>4} {'dup':>3} "
        f"{'srv ms':>6} {'cli ms':>6} {'srv/core/s':>10} {'ceiling/s':>9} {'limit':>6} "
        f"{'load 1m':>7}"
    )
    print(header)
    print("-" * len(header))
    for r in runs:
        base = next((b for b in runs if b.backend == r.backend and b.setup == BASELINE), None)
        ratio = f"{r.rate / base.rate:.1f}" if base is not None and base.rate else "-"
        errors = ",".join(f"{k}:{v}" for k, v in sorted(r.errors.items())) or "0"
        per_core = 1000 / r.cpu_ms if r.cpu_ms else 0.0
        print(
            f"{r.backend:10} {r.setup!s:>6} {r.concurrency:>5} {r.sent:>6} {r.rate:>6.0f} "
            f"{ratio:>6} {r.percentile(0.50):>7.1f} {r.percentile(0.95):>7.1f} "
            f"{r.percentile(0.99):>7.1f} {errors:>8} {r.lost:>4} {r.duplicated:>3} "
            f"{r.cpu_ms:>6.2f} {r.client_ms:>6.2f} {per_core:>10.0f} {_ceiling(r):>9.0f} "
            f"{r.rate_limit:>6} {r.load[0]:>7.2f}"
        )
    if not legend:
        sys.stdout.flush()
        return
    print(
        "\nsetup: full = every answer through the full route (the code before the short path), "
        "fast = the short path;\n:N web processes. Baseline (x base): full:1, one process. "
        "ok/s: acknowledged (303) answers per second;\nlost: acknowledged but not stored; "
        "dup: stored twice; limit: one client's 21st answer refused.\n"
        "srv ms: CPU of the server's processes per acknowledged answer (the database's own "
        "CPU not included);\ncli ms: the load client's own CPU per answer, on the same two "
        "cores; srv/core/s: answers per second one core\nwould take for the server alone; "
        "ceiling/s: the answers per second the machine's cores would take with no client "
        "and\nno other work (min(workers, cores) x srv/core/s)."
    )


def _ceiling(run: Run) -> float:
    cores = min(run.workers, os.cpu_count() or 1)
    return cores * 1000 / run.cpu_ms if run.cpu_ms else 0.0


BASELINE = Setup(fast=False, workers=1)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m bench.survey_load", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument(
        "--setups",
        default=f"full:1,fast:1,fast:{os.cpu_count() or 2}",
        help="comma-separated full:N (every answer through the route) or fast:N (the short "
        "path), N web processes; full:1 is the baseline",
    )
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--count", type=int, default=1000, help="answers posted per run")
    parser.add_argument("--max-seconds", type=float, default=60.0, help="per run, posting phase")
    parser.add_argument(
        "--serve-arg",
        action="append",
        default=[],
        help="passed to cxgap serve in the fast setups (e.g. --no-access-log)",
    )
    args = parser.parse_args(argv)
    backends = ["sqlite", "postgresql"] if args.backend == "both" else [args.backend]
    setups = [Setup.parse(text) for text in args.setups.split(",")]
    print(
        f"survey load: {os.cpu_count()} cores, load average before {os.getloadavg()[0]:.2f}, "
        f"{args.count} answers per run, concurrency {args.concurrency}, "
        f"rate limit {RATE_LIMIT}/h per client\n"
    )
    runs = []
    for backend in backends:
        for setup in setups:
            runs.append(measure(backend, setup, args))
            report(runs[-1:], legend=False)  # each run as soon as it is measured
    print()
    report(runs)
    if any(r.lost or r.duplicated or r.rate_limit != "holds" for r in runs):
        sys.exit(1)


if __name__ == "__main__":
    main()
