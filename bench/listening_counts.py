"""Listening pages from the pre-aggregated counts vs from the rows, and what keeping the
counts costs an import and an enrichment (docs/performance.md, "Listening counts").

At ``BENCH_LC_ROWS`` feedback items (default 1,000,000) over two years on SQLite (a file
cached in bench/out/): each Listening page (explorer with facets, topics, trends, drivers)
read through the rows (the baseline, same run) and through the counts; the backfill
(``rebuild``); an import of 10,000 items with and without the counts' maintenance, and the
enrichment of 10,000 texts without it, with the previous upkeep (retract/add, the baseline)
and with the batch path (``db.listening_count_moves``); the number of count rows.
``BENCH_LC_URL`` (a PostgreSQL URL to an empty database) runs it on PostgreSQL instead;
``BENCH_LC_UPKEEP_ONLY=1`` skips the pages and the import. Every line gives the load average.
``python -m bench.listening_counts``.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import random
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy import delete, func, select

from bench.build import OUT, schema_tag
from cxgap.config import Settings
from cxgap.db import listening_counts, listening_cube
from cxgap.db.tables import Feedback, Workspace
from cxgap.services import enrichment
from cxgap.services.core import Cxgap
from cxgap.services.feedback_imports import run_feedback_import
from cxgap.services.listening import explore, parse_filters
from cxgap.services.listening_insights import drivers_view, topics_view, trends_view
from cxgap.services.workspaces import create_workspace, get_workspace
from cxgap.text.protocols import Finding, TextAnalysis

ROWS = 1_000_000
CHANGE = 10_000
SOURCES = [("survey", "web"), ("survey", "app"), ("review", "trustpilot"), ("review", "google"),
           ("ticket", "mail"), ("chat", "web")]  # fmt: skip
TOPICS = [f"topic{t}" for t in range(30)]


def _load() -> str:
    return f"(load average {os.getloadavg()[0]:.1f})"


def _open(url: str) -> Cxgap:
    return Cxgap(Settings(data_dir=OUT, database_url=url, secret_key="bench"))


def database(rows: int) -> str:
    """A SQLite file with ``rows`` items, 70 % of distinct texts enriched (cached)."""
    OUT.mkdir(exist_ok=True)
    path = OUT / f"lcounts-{rows}-{schema_tag()}.sqlite3"
    if not path.exists():
        partial = path.with_suffix(".partial")
        partial.unlink(missing_ok=True)
        _build(f"sqlite:///{partial}", rows, lambda: sqlite3.connect(partial))
        partial.rename(path)
    return f"sqlite:///{path}"


def _build(url: str, rows: int, connect: Callable[[], Any]) -> None:
    cx = _open(url)
    cx.upgrade()
    with cx.transaction() as session:
        workspace_id = create_workspace(session, key="bench", name="Bench").id
    cx.dispose()
    db = connect()
    rng = np.random.default_rng(11)
    distinct = max(1, rows // 3)  # identical texts share one enrichment
    start = datetime(2024, 6, 1, tzinfo=UTC)
    for offset in range(0, rows, 50_000):
        size = min(50_000, rows - offset)
        text_ids = rng.integers(0, distinct, size=size)
        src = rng.integers(0, len(SOURCES), size=size)
        days = rng.uniform(0, 730, size=size)
        nps = rng.integers(0, 11, size=size)
        tp = rng.integers(0, 12, size=size)
        db.executemany(
            "INSERT INTO feedback (workspace_id, source_type, source_id, channel, collected_at, "
            "text, nps, csat, ces, stars, touchpoint, attributes, text_hash, created_at, "
            "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?, '{}', ?, ?, ?)",
            (
                (workspace_id, SOURCES[src[r]][0], f"b{offset + r}", SOURCES[src[r]][1],
                 (start + timedelta(days=float(days[r]))).strftime("%Y-%m-%d %H:%M:%S.%f"),
                 f"text {text_ids[r]}", int(nps[r]) if src[r] < 2 else None,
                 min(5, int(nps[r] // 2 + 1)) if src[r] == 5 else None,
                 min(5, int(nps[r] // 2 + 1)) if src[r] in (2, 3) else None,
                 f"tp{tp[r]}" if tp[r] < 8 else None,
                 hashlib.sha256(f"text {text_ids[r]}".encode()).hexdigest(),
                 "2026-01-01 00:00:00.000000", "2026-01-01 00:00:00.000000")
                for r in range(size)
            ),
        )  # fmt: skip
        db.commit()
    for first in range(0, int(distinct * 0.7), 50_000):
        ids = range(first, min(first + 50_000, int(distinct * 0.7)))
        enrichments = [(workspace_id, hashlib.sha256(f"text {i}".encode()).hexdigest(),
                        *_analysis(i)) for i in ids]  # fmt: skip
        db.executemany(
            "INSERT INTO text_enrichments (workspace_id, text_hash, language, sentiment, "
            "sentiment_score, intensity, topic_keys, model, enriched_at) VALUES (?, ?, ?, ?, ?, "
            "0.5, ?, 'bench', '2026-01-01 00:00:00.000000')",
            [e[:6] for e in enrichments],
        )
        hashes = [e[1] for e in enrichments]
        known = dict(db.execute(
            f"SELECT text_hash, id FROM text_enrichments WHERE text_hash IN "
            f"({','.join('?' * len(hashes))})", hashes).fetchall())  # fmt: skip
        db.executemany(
            "INSERT INTO text_findings (enrichment_id, workspace_id, position, start, \"end\", "
            "sentiment, sentiment_score, intensity, topic_key) "
            "VALUES (?, ?, ?, 0, 5, ?, ?, 0.5, ?)",
            [(known[e[1]], workspace_id, k, s, v, t) for e in enrichments
             for k, (s, v, t) in enumerate(e[6])],
        )  # fmt: skip
        db.commit()
    db.execute("ANALYZE")
    db.commit()
    db.close()
    cx = _open(url)
    with cx.transaction() as session:
        listening_counts.rebuild(session, workspace_id)
    cx.dispose()


class _Postgres:
    """The few calls ``_build`` makes of an sqlite3 connection, on psycopg's."""

    def __init__(self, raw: Any) -> None:
        self.raw = raw

    def executemany(self, sql: str, rows: Any) -> None:
        with self.raw.cursor() as cursor:
            cursor.executemany(sql.replace("?", "%s"), list(rows))

    def execute(self, sql: str, params: Any = ()) -> Any:
        cursor = self.raw.cursor()
        cursor.execute(sql.replace("?", "%s"), params)
        return cursor

    def commit(self) -> None:
        self.raw.commit()

    def close(self) -> None:
        self.raw.close()


def _analysis(i: int) -> tuple[str, str, float, str, list[tuple[str, float, str]]]:
    rng = random.Random(i)
    labels = rng.sample(["positive", "negative", "neutral"], rng.randint(1, 2))
    findings = [(s, round(rng.uniform(-1, 1), 3), rng.choice(TOPICS)) for s in labels]
    mean = sum(f[1] for f in findings) / len(findings)
    label = "negative" if mean < -0.2 else "positive" if mean > 0.2 else "neutral"
    topics = json.dumps(sorted({f[2] for f in findings}))
    return rng.choice(("en", "fr")), label, mean, topics, findings


@contextmanager
def _rows_only() -> Iterator[None]:
    saved = listening_cube.serves
    listening_cube.serves = lambda f, need="day": False  # type: ignore[assignment]
    try:
        yield
    finally:
        listening_cube.serves = saved  # type: ignore[assignment]


@contextmanager
def _no_maintenance() -> Iterator[None]:
    saved = listening_counts.retract, listening_counts.add, enrichment.moving
    listening_counts.retract = listening_counts.add = lambda *a, **k: None  # type: ignore[assignment]
    enrichment.moving = lambda *a, **k: nullcontext()  # type: ignore[assignment]
    try:
        yield
    finally:
        listening_counts.retract, listening_counts.add, enrichment.moving = saved  # type: ignore[assignment]


@contextmanager
def _previous_upkeep() -> Iterator[None]:
    """Enrichment's upkeep as it was until 2026-12-03: the records' counts retracted and
    added again by an upsert per table each (``listening_counts.changing``)."""
    saved = enrichment.moving
    enrichment.moving = listening_counts.changing  # type: ignore[assignment]
    try:
        yield
    finally:
        enrichment.moving = saved  # type: ignore[assignment]


def _timed(action: Callable[[], object]) -> float:
    began = time.perf_counter()
    action()
    return time.perf_counter() - began


# The default views, and a source over whole months (the drivers' patterns then read the rows).
FILTERS = [{}, {"source": "survey", "from": "2024-09-01", "to": "2025-08-31"}]


def pages(cx: Cxgap, params: dict[str, str]) -> None:
    filters = parse_filters(params)
    views: dict[str, Callable[[Any, Any], object]] = {
        "explorer": lambda s, w: explore(s, w, filters),
        "topics": lambda s, w: topics_view(s, w, filters),
        "trends": lambda s, w: trends_view(s, w, filters, grain="month", min_group_size=30),
        "drivers": lambda s, w: drivers_view(s, w, filters, level="topic", min_group_size=30),
    }
    print(f"pages, filters {params or 'none'}", flush=True)
    for name, view in views.items():
        with cx.reading() as session:
            workspace = get_workspace(session, "bench")
            shown = lambda: view(session, workspace)  # noqa: B023, E731
            with _rows_only():
                raw = _timed(shown)
            counted = min(_timed(shown) for _ in range(2))
        print(f"listening {name:<9} rows {raw:7.2f} s   counts {counted:6.3f} s   "
              f"{raw / counted:6.0f}x   {_load()}", flush=True)  # fmt: skip


def _csv(path: Path, first: int) -> Path:
    with path.open("w", newline="", encoding="utf-8") as stream:
        writer = csv.writer(stream)
        writer.writerow(["source_id", "source_type", "channel", "collected_at", "text", "nps"])
        for i in range(first, first + CHANGE):
            writer.writerow([f"new{i}", "survey", "web", "2026-05-02T10:00:00Z",
                             f"new text {i % 3000}", str(i % 11)])  # fmt: skip
    return path


def imports(cx: Cxgap) -> None:
    def run(first: int) -> float:
        path = _csv(OUT / f"lcounts-import-{first}.csv", first)
        return _timed(lambda: run_feedback_import(
            cx, workspace_key="bench", source=path, name=path.name, preset="generic"))  # fmt: skip

    stamp = time.time_ns()
    with _no_maintenance():
        bare = run(stamp)
    kept = run(stamp + CHANGE)
    print(f"import of {CHANGE:,} items   without counts {bare:6.2f} s   with {kept:6.2f} s   "
          f"(+{kept - bare:5.2f} s)   {_load()}", flush=True)  # fmt: skip


class _Quick:
    name = "bench-quick"

    def analyze(self, texts: list[str]) -> list[TextAnalysis]:
        finding = Finding(0, 3, "negative", -0.5, 0.5, ("topic1",))
        analysis = TextAnalysis("en", "negative", -0.5, 0.5, ("topic1",), (), (finding,))
        return [analysis for _ in texts]


def enrichments(cx: Cxgap) -> None:
    with cx.reading() as session:
        workspace = get_workspace(session, "bench")
    pending = enrichment.pending_batches(cx.sessions, workspace.id, "bench-quick", batch_size=256)
    quick = _Quick()

    def store(batch: list[tuple[str, str]]) -> float:
        began = time.perf_counter()
        enrichment.store_batch(cx.sessions, workspace.id, quick.name, batch,
                               quick.analyze([t for _, t in batch]))  # fmt: skip
        return time.perf_counter() - began

    spent = {"bare": 0.0, "before": 0.0, "now": 0.0}
    done = dict.fromkeys(spent, 0)
    with _no_maintenance():
        for batch in pending:
            spent["bare"] += store(batch)
            done["bare"] += len(batch)
            if done["bare"] >= CHANGE:
                break
    # The baseline and the batch path take turns, batch by batch: the same load for both.
    for i, batch in enumerate(pending):
        which = ("before", "now")[i % 2]
        with _previous_upkeep() if which == "before" else nullcontext():
            spent[which] += store(batch)
        done[which] += len(batch)
        if min(done["before"], done["now"]) >= CHANGE:
            break
    bare, before, kept = spent["bare"], spent["before"], spent["now"]
    print(f"enrichment of {CHANGE:,} texts (stored)   without counts {bare:6.2f} s   "
          f"with, before {before:6.2f} s (+{before - bare:5.2f} s)   with, now {kept:6.2f} s "
          f"(+{kept - bare:5.2f} s)   {_load()}", flush=True)  # fmt: skip


def main() -> None:
    rows = int(os.environ.get("BENCH_LC_ROWS", ROWS))
    url = os.environ.get("BENCH_LC_URL") or database(rows)
    if url.startswith("postgresql"):
        cx = _open(url)
        cx.upgrade()
        with cx.reading() as session:
            empty = session.scalar(select(func.count()).select_from(Feedback)) == 0
        if empty:
            with cx.transaction() as session:
                session.execute(delete(Workspace))
            _build(url, rows, lambda: _Postgres(cx.engine.raw_connection()))
        cx.dispose()
    print(f"Listening counts at {rows:,} items on {url.split(':')[0]} {_load()}", flush=True)
    cx = _open(url)
    with cx.transaction() as session:
        workspace_id = get_workspace(session, "bench").id
        took = _timed(lambda: listening_counts.rebuild(session, workspace_id))
        sizes = {
            m.__tablename__: session.scalar(select(func.count()).select_from(m)) or 0
            for m in listening_counts.TABLES
        }
    print(f"rebuild (the backfill) {took:7.2f} s   count rows {sum(sizes.values()):,} for "
          f"{rows:,} items   {_load()}", flush=True)  # fmt: skip
    for name, size in sizes.items():
        print(f"  {name:<26} {size:>9,} rows ({rows / max(size, 1):,.0f} items a row)")
    _vacuum(cx)
    if not os.environ.get("BENCH_LC_UPKEEP_ONLY"):
        for params in FILTERS:
            pages(cx, params)
        imports(cx)
    enrichments(cx)
    with cx.transaction() as session:  # the runs without upkeep left their changes uncounted
        listening_counts.rebuild(session, workspace_id)
    _vacuum(cx)
    cx.dispose()


def _vacuum(cx: Cxgap) -> None:
    """PostgreSQL: the rebuild's deleted rows vacuumed and the tables analysed, as
    autovacuum would soon do (docs/scale.md)."""
    if cx.engine.dialect.name != "postgresql":
        return
    with cx.engine.connect() as conn:
        conn = conn.execution_options(isolation_level="AUTOCOMMIT")
        for model in listening_counts.TABLES:
            conn.exec_driver_sql(f"VACUUM ANALYZE {model.__tablename__}")


if __name__ == "__main__":
    main()
