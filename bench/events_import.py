"""Time an event log import and its variants (issue 14): a log shaped like the BPI
Challenge 2012 (262,200 events, 13,087 cases, about 4,300 variants, lifecycle SCHEDULE /
START / COMPLETE on the work items, a loan amount per case, a resource per event), written
as CSV and as gzipped XES, imported into a new workspace and its variants computed, on
SQLite and on PostgreSQL. The target: import + variants under 30 s on 2 cores.

Baselines, in the same run: the bare parse of each file with the standard library (the CSV
rows split by ``csv.reader`` and their timestamps read by ``datetime.fromisoformat``; the
XES events counted by ``ElementTree.iterparse`` with element clearing), which stores
nothing and checks nothing; and on PostgreSQL the code before the binary ``COPY`` and the
server-side variants (text ``COPY``, variants counted in Python from an ordered scan),
alternated with the current code ``BENCH_EVENTS_ROUNDS`` times (2). Prints wall seconds of
the import and of the variants, CPU seconds (this process; the server's backends) with the
load average, since the machine is shared.

    python -m bench.events_import        # BENCH_EVENTS_BACKENDS=sqlite,postgresql
"""

from __future__ import annotations

import csv
import gzip
import os
import random
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from xml.etree.ElementTree import iterparse
from xml.sax.saxutils import quoteattr

from bench.import_speed import _postgres, _server_cpu, _sqlite, load
from cxgap.db import event_writes
from cxgap.events import variants as variants_module
from cxgap.events.importing import import_events
from cxgap.events.variants import workspace_variants
from cxgap.services.core import Cxgap
from cxgap.services.workspaces import create_workspace

EVENTS = int(os.environ.get("BENCH_EVENTS", "262200"))
CASES = int(os.environ.get("BENCH_EVENTS_CASES", "13087"))
BACKENDS = os.environ.get("BENCH_EVENTS_BACKENDS", "sqlite,postgresql").split(",")
ROUNDS = int(os.environ.get("BENCH_EVENTS_ROUNDS", "2"))
TARGET_S = 30.0
ZONE = timezone(timedelta(hours=2))
HEADER = [
    "case:concept:name",
    "case:AMOUNT_REQ",
    "case:REG_DATE",
    "concept:name",
    "lifecycle:transition",
    "org:resource",
    "time:timestamp",
]
WORK = ("W_Completeren aanvraag", "W_Nabellen offertes", "W_Valideren aanvraag",
        "W_Nabellen incomplete dossiers", "W_Afhandelen leads", "W_Beoordelen fraude")  # fmt: skip


def _work(rng: random.Random, name: str, path: list[tuple[str, str]]) -> None:
    path.append((name, "SCHEDULE"))
    for _ in range(1 + min(int(rng.expovariate(0.75)), 6)):
        path += [(name, "START"), (name, "COMPLETE")]


def case_path(rng: random.Random) -> list[tuple[str, str]]:
    """One application's events (activity, lifecycle), in the BPI 2012 spirit."""
    path = [("A_SUBMITTED", "COMPLETE"), ("A_PARTLYSUBMITTED", "COMPLETE")]
    roll = rng.random()
    if roll < 0.26:
        return [*path, ("A_DECLINED", "COMPLETE")]
    if rng.random() < 0.3:
        _work(rng, WORK[4], path)
    path.append(("A_PREACCEPTED", "COMPLETE"))
    _work(rng, WORK[0], path)
    if roll < 0.45:
        return [*path, ("A_CANCELLED", "COMPLETE")]
    path.append(("A_ACCEPTED", "COMPLETE"))
    for _ in range(1 + int(rng.expovariate(1.6))):
        path += [("O_SELECTED", "COMPLETE"), ("O_CREATED", "COMPLETE"), ("O_SENT", "COMPLETE")]
        _work(rng, WORK[1], path)
    path.append(("O_SENT_BACK", "COMPLETE"))
    if rng.random() < 0.3:
        _work(rng, WORK[3], path)
    if rng.random() < 0.08:
        _work(rng, WORK[5], path)
    _work(rng, WORK[2], path)
    end = "A_APPROVED" if roll < 0.75 else "A_DECLINED"
    return [*path, ("O_ACCEPTED" if end == "A_APPROVED" else "O_DECLINED", "COMPLETE"),
            (end, "COMPLETE")]  # fmt: skip


def generated(events: int = EVENTS, cases: int = CASES, seed: int = 2012) -> list[list[str]]:
    """The log's rows (``HEADER``), case by case, exactly ``events`` of ``cases`` cases."""
    rng = random.Random(seed)
    paths = [case_path(rng) for _ in range(cases)]
    total = sum(len(path) for path in paths)
    while total != events:  # trim or pad long cases with work items until the count fits
        path = paths[rng.randrange(cases)]
        if total > events and len(path) > 8:
            path.pop(-2)
            total -= 1
        elif total < events and len(path) > 3:
            path.insert(-1, (WORK[1], "COMPLETE"))
            total += 1
    start = datetime(2011, 10, 1, 0, 38, tzinfo=UTC)
    rows: list[list[str]] = []
    for number, path in enumerate(paths):
        case = str(173688 + number)
        at = start + timedelta(minutes=number * 12 + rng.randrange(12))
        amount, registered = str(rng.randrange(500, 50_000, 500)), at.isoformat()
        for activity, lifecycle in path:
            if rng.random() > 0.25:  # else the same moment as the event before: a tie
                at += timedelta(seconds=int(rng.expovariate(1 / 3_600)) + 1)
            resource = str(rng.choice((112, 10862, 10913, 11169, 10629)))
            stamp = at.astimezone(ZONE).isoformat(timespec="milliseconds")
            rows.append([case, amount, registered, activity, lifecycle, resource, stamp])
    return rows


def write_csv(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        writer.writerows(rows)
    return path


def _xes_lines(rows: list[list[str]]) -> Iterator[str]:
    yield '<?xml version="1.0" encoding="UTF-8"?>\n<log xes.version="1.0" xmlns="http://www.xes-standard.org/">\n'
    case = None
    for row in rows:
        if row[0] != case:
            if case is not None:
                yield "\t</trace>\n"
            case = row[0]
            yield (
                f'\t<trace>\n\t\t<string key="concept:name" value="{case}"/>\n'
                f'\t\t<string key="AMOUNT_REQ" value="{row[1]}"/>\n'
                f'\t\t<date key="REG_DATE" value="{row[2]}"/>\n'
            )
        yield (
            f'\t\t<event>\n\t\t\t<string key="org:resource" value="{row[5]}"/>\n'
            f'\t\t\t<string key="lifecycle:transition" value="{row[4]}"/>\n'
            f'\t\t\t<string key="concept:name" value={quoteattr(row[3])}/>\n'
            f'\t\t\t<date key="time:timestamp" value="{row[6]}"/>\n\t\t</event>\n'
        )
    yield "\t</trace>\n</log>\n"


def write_xes_gz(path: Path, rows: list[list[str]]) -> Path:
    with gzip.open(path, "wt", encoding="utf-8", compresslevel=6) as handle:
        handle.writelines(_xes_lines(rows))
    return path


def bare_csv(path: Path) -> int:
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.reader(handle)
        column = next(reader).index("time:timestamp")
        return sum(1 for row in reader if datetime.fromisoformat(row[column]))


def bare_xes(path: Path) -> int:
    count = 0
    with gzip.open(path, "rb") as handle:
        for _, element in iterparse(handle):
            if element.tag.endswith("}event"):
                count += 1
                element.clear()
            elif element.tag.endswith("}trace"):
                element.clear()
    return count


def _cpu() -> float:
    times = os.times()
    return times.user + times.system


@dataclass
class Timing:
    """One import + variants: wall seconds of each step, CPU seconds (this process, the
    server's backends), events and variants."""

    load_s: float
    variants_s: float
    cpu: float
    server: float
    events: int
    variants: int

    @property
    def wall(self) -> float:
        return self.load_s + self.variants_s


def timed(cx: Cxgap, key: str, path: Path) -> Timing:
    """Import ``path`` into a new workspace ``key``, then its variants, timed."""
    with cx.transaction() as session:
        workspace_id = create_workspace(session, key=key, name=key).id
    server = _server_cpu(cx)
    start, cpu = time.perf_counter(), _cpu()
    with cx.transaction() as session:
        result = import_events(session, workspace_id, path, pseudonym_key="bench")
    imported = time.perf_counter()
    with cx.reading() as session:
        variants = workspace_variants(session, workspace_id)
    end, cpu = time.perf_counter(), _cpu() - cpu
    server_cpu = sum(s - server.get(pid, 0.0) for pid, s in _server_cpu(cx).items())
    assert variants.events == result.events == EVENTS, (variants.events, result.events)
    return Timing(imported - start, end - imported, cpu, server_cpu, result.events,
                  len(variants.variants))  # fmt: skip


@contextmanager
def code(now: bool) -> Iterator[None]:
    """The PostgreSQL paths of this change (``now``) or those before it: the text ``COPY``
    and the variants counted in Python from an ordered scan."""
    event_writes.binary_copy = variants_module.on_server = now
    try:
        yield
    finally:
        event_writes.binary_copy = variants_module.on_server = True


def _line(label: str, kind: str, run: Timing) -> str:
    verdict = "ok" if run.wall < TARGET_S else f"OVER {TARGET_S:.0f} s"
    return (f"  {label:17} {kind:7} {run.wall:6.1f} s wall (import {run.load_s:5.1f} + variants "
            f"{run.variants_s:4.1f}) {run.cpu:5.1f} s CPU +{run.server:4.1f} s server, "
            f"{run.variants:,} variants  {verdict}; {load()}")  # fmt: skip


def main() -> None:
    backends: dict[str, Callable[[Path], Cxgap]] = {"sqlite": _sqlite, "postgresql": _postgres}
    with tempfile.TemporaryDirectory(prefix="cxgap-bench-events-") as folder:
        root = Path(folder)
        rows = generated()
        files = {"csv": write_csv(root / "bpi.csv", rows),
                 "xes.gz": write_xes_gz(root / "bpi.xes.gz", rows)}  # fmt: skip
        del rows
        print(f"events import + variants, BPI 2012-shaped log: {EVENTS:,} events, "
              f"{CASES:,} cases; {load()}; {os.cpu_count()} cores")  # fmt: skip
        for kind, path in files.items():
            start, cpu = time.perf_counter(), _cpu()
            count = bare_csv(path) if kind == "csv" else bare_xes(path)
            base = time.perf_counter() - start
            print(f"  baseline bare parse {kind:7} {base:6.1f} s wall {_cpu() - cpu:6.1f} s CPU "
                  f"({count:,} events, {path.stat().st_size / 1e6:.1f} MB)")  # fmt: skip
        for backend in BACKENDS:
            cx = backends[backend](root / backend)
            try:
                for kind, path in files.items():
                    if backend == "sqlite":
                        print(_line(backend, kind, timed(cx, kind.replace(".", ""), path)))
                        continue
                    # PostgreSQL: before / now alternated, ROUNDS times, on the same server
                    for number in range(ROUNDS):
                        for now in (False, True):
                            key = f"{kind.replace('.', '')}{number}{int(now)}"
                            with code(now):
                                run = timed(cx, key, path)
                            label = f"{backend} {'now' if now else 'before'}"
                            print(_line(label, kind, run))
            finally:
                cx.dispose()


if __name__ == "__main__":
    main()
