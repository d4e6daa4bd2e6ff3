"""Event logs at scale on PostgreSQL (issue 14: "10 million events work on PostgreSQL").

``BENCH_EVENTS_SCALE`` events (1,000,000 by default, so that ``make bench`` stays within
minutes; ``BENCH_EVENTS_SCALE=10000000`` for the 10 M run) of ``bench.paths``' retailer
journey (about 6.3 events a case, channels, skips, detours, loops) are written as a
gzipped CSV in CRM columns, one case at a time, then in a new PostgreSQL database
(``BENCH_EVENTS_SCALE_DB``, default ``cxgap_bench_events_scale``, recreated; server at
``BENCH_PG_URL``):

- **import**: ``import_events`` (read, check, pseudonymise, binary ``COPY``) into a new
  workspace whose activity mapping and journey map are set first; wall and CPU seconds
  (this process; the server's backends) and the **peak resident memory of this process
  during the import** (``VmHWM``, reset just before through ``/proc/self/clear_refs``);
  baseline, same run: the bare parse of the same file (``gzip`` + ``csv.reader`` +
  ``datetime.fromisoformat``, nothing checked or stored) and its peak memory;
- **variants**: ``workspace_variants`` (counted by the server); baseline, same run: the
  same variants counted in Python from the ordered scan (``on_server`` off);
- **paths report**: ``compute_paths_report`` against the 8-touchpoint map (every counter
  of the paths and conformance pages), first call: from the cases' shapes made by the
  server (``services.paths_compact``); baselines, same run: the case-by-case scan of event
  objects it replaced (``by_event``, the same report: checked equal, figure for figure) and
  the ordered read alone (``path_events`` grouped by case, no counter).

Each step prints wall, CPU, server CPU, peak memory and the load average (the machine is
shared), and everything goes to ``bench/out/events_scale.json``. Steps whose baseline would
take too long at 10 M can be left out with ``BENCH_EVENTS_SCALE_SKIP`` (comma-separated:
``scan``, ``read``, ``report``, ``events``: the event-by-event report).
``BENCH_EVENTS_SCALE_REUSE=1`` keeps a database a previous run built (no file written, no
import: the steps after the import only).

    python -m bench.events_scale
"""

from __future__ import annotations

import csv
import gzip
import json
import os
import tempfile
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from bench.build import OUT
from bench.import_speed import _migrated, _server_cpu
from bench.paths import DESIGN, generated
from bench.pg_base import ADMIN_URL
from cxgap.config import Settings
from cxgap.db.event_reads import event_totals, path_events
from cxgap.db.event_writes import set_activity_mapping
from cxgap.events import variants as variants_module
from cxgap.events.importing import import_events
from cxgap.events.model import cases
from cxgap.events.variants import workspace_variants
from cxgap.journeys.model import Journey, Phase, Stage, Text, Touchpoint
from cxgap.services.core import Cxgap
from cxgap.services.journey_paths import compute_paths_report
from cxgap.services.journeys import create_journey
from cxgap.services.workspaces import create_workspace, get_workspace

EVENTS = int(os.environ.get("BENCH_EVENTS_SCALE", "1000000"))
DATABASE = os.environ.get("BENCH_EVENTS_SCALE_DB", "cxgap_bench_events_scale")
SKIP = {s for s in os.environ.get("BENCH_EVENTS_SCALE_SKIP", "").split(",") if s}
REUSE = os.environ.get("BENCH_EVENTS_SCALE_REUSE") == "1"
HEADER = ("contact_id", "activity_type", "activity_date", "channel", "store")
KEY = "scale"


def load() -> str:
    one, five, _ = os.getloadavg()
    return f"load {one:.1f}/{five:.1f}"


def peak_reset() -> None:
    """Start a new peak of resident memory for this process (Linux: ``clear_refs`` 5)."""
    Path("/proc/self/clear_refs").write_text("5")


def peak_mib() -> float:
    """This process's peak resident memory since the last ``peak_reset``, in MiB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmHWM in /proc/self/status")


def write_log(path: Path, events: int) -> tuple[int, int]:
    """The retailer log as gzipped CSV, one case at a time; (cases, events) written."""
    written = number = 0
    with gzip.open(path, "wt", encoding="utf-8", newline="", compresslevel=1) as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for case, path_ in generated(events):
            store = f"store {int(case[4:]) % 40:02d}"
            writer.writerows(
                (case, e.activity, e.timestamp.isoformat(timespec="seconds"), e.channel, store)
                for e in path_
            )
            written += len(path_)
            number += 1
    return number, written


def bare_parse(path: Path) -> int:
    with gzip.open(path, "rt", encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        column = next(reader).index("activity_date")
        return sum(1 for row in reader if datetime.fromisoformat(row[column]))


def _cpu() -> float:
    times = os.times()
    return times.user + times.system


def step(cx: Cxgap, name: str, work: Callable[[], object], events: int) -> dict[str, Any]:
    """Run ``work`` once: wall, CPU, server CPU, peak memory, load; printed and returned."""
    peak_reset()
    server = _server_cpu(cx)
    start, cpu = time.perf_counter(), _cpu()
    result = work()
    wall, cpu = time.perf_counter() - start, _cpu() - cpu
    server_cpu = sum(s - server.get(pid, 0.0) for pid, s in _server_cpu(cx).items())
    row = {"step": name, "wall_s": round(wall, 2), "cpu_s": round(cpu, 2),
           "server_cpu_s": round(server_cpu, 2), "peak_rss_mib": round(peak_mib(), 1),
           "events_per_s": round(events / wall), "load": list(os.getloadavg()),
           "result": result}  # fmt: skip
    print(f"  {name:34} {wall:8.1f} s wall {cpu:7.1f} s CPU +{server_cpu:6.1f} s server "
          f"{row['peak_rss_mib']:7.1f} MiB peak  {events / wall:9,.0f} events/s; {load()}",
          flush=True)  # fmt: skip
    return row


def _database(folder: Path) -> Cxgap:
    admin = create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{DATABASE}"'))
    admin.dispose()
    url = make_url(ADMIN_URL).set(database=DATABASE).render_as_string(False)
    return _migrated(Settings(data_dir=folder, database_url=url, secret_key="bench"))


def _workspace(cx: Cxgap) -> int:
    """The workspace, its activity mapping (each designed activity onto its touchpoint) and
    its journey map, set before the import as an analyst would have."""
    with cx.transaction() as session:
        ws = create_workspace(session, key=KEY, name="Scale")
        points = tuple(Touchpoint(k, Text(k, k), "web", True) for k in DESIGN)
        stage = Stage("all", Text("All", "Tout"), Phase.DURING, points)
        journey = Journey("shop", Text("Shop", "Shop"), stages=(stage,))
        create_journey(session, workspace=ws, journey=journey)
        set_activity_mapping(session, ws.id, {k: k for k in DESIGN})
        return ws.id


def main() -> None:
    if REUSE:
        reused()
        return
    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="cxgap-bench-scale-") as folder:
        path = Path(folder) / "retailer.csv.gz"
        start = time.perf_counter()
        number, written = write_log(path, EVENTS)
        size = path.stat().st_size / 1e6
        print(f"events at scale, PostgreSQL: {written:,} events, {number:,} cases, "
              f"{size:.0f} MB gzipped CSV written in {time.perf_counter() - start:.0f} s; "
              f"{load()}; {os.cpu_count()} cores", flush=True)  # fmt: skip
        cx = _database(Path(folder))
        try:
            workspace_id = _workspace(cx)

            def timed(name: str, work: Callable[[], object]) -> None:
                rows.append(step(cx, name, work, written))

            def imported() -> int:
                with cx.transaction() as session:
                    stored = import_events(session, workspace_id, path, pseudonym_key="b")
                assert stored.events == written, (stored.events, written)
                return stored.cases

            timed("baseline: bare parse", lambda: bare_parse(path))
            timed("import (binary COPY)", imported)
            timed("variants (server)", lambda: _variants(cx, workspace_id, written))
            if "scan" not in SKIP:
                variants_module.on_server = False
                try:
                    timed("baseline: variants (Python scan)",
                          lambda: _variants(cx, workspace_id, written))  # fmt: skip
                finally:
                    variants_module.on_server = True
            rows += _after_import(cx, written)
        finally:
            cx.dispose()
    _write(written, number, rows)


def _after_import(cx: Cxgap, written: int) -> list[dict[str, Any]]:
    """The read and report steps; the two reports checked equal when both ran."""
    rows: list[dict[str, Any]] = []
    reports: dict[bool, dict[str, Any]] = {}

    def timed(name: str, work: Callable[[], object]) -> None:
        rows.append(step(cx, name, work, written))

    def report(by_event: bool) -> int:
        reports[by_event] = _report(cx, written, by_event=by_event)
        return int(reports[by_event]["cases"])

    if "read" not in SKIP:
        timed("baseline: read in case order", lambda: _read(cx))
    if "events" not in SKIP:
        timed("baseline: paths report, by event", lambda: report(True))
    if "report" not in SKIP:
        timed("paths report, first call", lambda: report(False))
    if len(reports) == 2:
        same = {**reports[True], "computed_at": 0} == {**reports[False], "computed_at": 0}
        print(f"  the two reports are the same, figure for figure: {same}", flush=True)
        assert same, "the report from shapes differs from the event-by-event report"
    return rows


def reused() -> None:
    """The steps after the import, on the database a previous run built."""
    url = make_url(ADMIN_URL).set(database=DATABASE).render_as_string(False)
    with tempfile.TemporaryDirectory(prefix="cxgap-bench-scale-") as folder:
        cx = Cxgap(Settings(data_dir=Path(folder), database_url=url, secret_key="bench"))
        try:
            with cx.reading() as session:
                number, written = event_totals(session, get_workspace(session, KEY).id)
            print(f"events at scale, PostgreSQL, reused {DATABASE}: {written:,} events, "
                  f"{number:,} cases; {load()}; {os.cpu_count()} cores", flush=True)  # fmt: skip
            rows = _after_import(cx, written)
        finally:
            cx.dispose()
    _write(written, number, rows)


def _write(written: int, number: int, rows: list[dict[str, Any]]) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "events_scale.json").write_text(json.dumps({"events": written, "cases": number,
                                                       "steps": rows}, indent=2))  # fmt: skip


def _variants(cx: Cxgap, workspace_id: int, events: int) -> int:
    with cx.reading() as session:
        found = workspace_variants(session, workspace_id)
    assert found.events == events, (found.events, events)
    return len(found.variants)


def _read(cx: Cxgap) -> int:
    with cx.reading() as session:
        ws = get_workspace(session, KEY)
        return sum(1 for _ in cases(path_events(session, ws.id)))


def _report(cx: Cxgap, events: int, *, by_event: bool) -> dict[str, Any]:
    with cx.reading() as session:
        ws = get_workspace(session, KEY)
        report = compute_paths_report(session, ws, by_event=by_event)
    assert report["events"] == events, (report["events"], events)
    return report


if __name__ == "__main__":
    main()
