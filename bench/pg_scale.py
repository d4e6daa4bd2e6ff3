"""PostgreSQL at scale: import rows/s through COPY, and the Listening, results, segments and
journey overlay pages over a large feedback workspace (``bench.pg_base``).

``python -m bench.pg_scale``. Environment:

- ``BENCH_PG_ROWS``: the workspace's size (10,000,000 by default; building it the first time
  takes long, later runs reuse it); the size that ran is printed.
- ``BENCH_PG_IMPORT_ROWS``: rows of the CSV imported through COPY (200,000); the baseline, the
  INSERT-staged import of before, runs in the same process on a file a quarter that size.
- ``BENCH_PG_OVERLAY_REBUILD=1``: rebuild the overlay index whole before the pages (by
  default it is only brought up to date: the first run on a new base builds it).
- ``BENCH_PG_SKIP_IMPORT=1``: skip the COPY import figures (the pages only).
- ``BENCH_PG_SKIP_OVERLAY=1``: skip the journey overlay page and its index (whose first whole
  build on a new 10 M base takes 40 minutes or more); ``BENCH_PG_SKIP_BASELINE=1``: skip the
  statements of before (two runs each of 10–25 s at 10 M).
- ``BENCH_PG_EXPLAIN=1``: also write ``EXPLAIN (ANALYZE, BUFFERS)`` of each page's slowest
  statements to ``bench/out/pg_plans.txt`` (how the indexes of migration 0022 were chosen).

Every figure is printed with the load average, which on a shared machine says more about
a slow figure than the code does.
"""

from __future__ import annotations

import csv
import os
import random
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from unittest import mock

from fastapi.testclient import TestClient
from sqlalchemy import create_engine, event, select, text

from bench.build import OUT
from bench.pg_base import ADMIN_URL, ROWS, RULE, database_name, ensure_base, open_base
from bench.pg_plans import Statement, explained, selects
from cxgap.config import Settings
from cxgap.db.feedback_filters import FeedbackFilter
from cxgap.db.listening_queries import verbatim_page
from cxgap.services import accounts, feedback_stage
from cxgap.services.core import Cxgap
from cxgap.services.feedback_imports import run_feedback_import
from cxgap.services.overlay import refresh_overlay_index
from cxgap.services.segments import segment_filter
from cxgap.services.workspaces import create_workspace, get_workspace
from cxgap.web.app import create_app

IMPORT_ROWS = 200_000
EMAIL = "bench@example.com"
PAGES = {  # the quick ones first: at 10 M the Listening pages take minutes until lcounts' cube
    "Segments": "/w/bench/segments",
    "Results": "/w/bench/results",
    "Journey overlay": "/w/bench/journeys/bench",
    "Listening verbatims (JSON)": "/w/bench/listening/verbatims.json",
    "Listening overview": "/w/bench/listening",
    "Listening trends": "/w/bench/listening/trends",
    "Listening topics": "/w/bench/listening/topics",
    "Listening drivers": "/w/bench/listening/drivers",
}
WORDS = ["the", "delivery", "was", "late", "and", "assembly", "instructions", "missing", "sofa",
         "great", "service", "staff", "friendly", "refund", "slow", "app", "crashed",
         "checkout", "price", "store"]  # fmt: skip
HEADER = ["source_id", "source_type", "channel", "collected_at", "text", "nps", "csat",
          "customer_ref", "touchpoint", "language", "shop"]  # fmt: skip


def load() -> str:
    one, five, _ = os.getloadavg()
    return f"load {one:.1f}/{five:.1f}"


def feedback_csv(path: Path, rows: int, seed: int = 3) -> Path:
    """A generic-layout CSV of ``rows`` rows, ~200 bytes each as in issue 11's file."""
    rng = random.Random(seed)
    with path.open("w", newline="", encoding="utf-8") as stream:
        out = csv.writer(stream)
        out.writerow(HEADER)
        for i in range(rows):
            when = f"2025-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}T10:00:00+01:00"
            words = " ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 30)))
            nps = rng.choice(["", str(rng.randint(0, 10))])
            out.writerow([f"S-{i}", "survey", rng.choice(["web", "store", "phone"]), when,
                          words, nps, rng.choice(["", "4"]), f"C-{rng.randint(1, 50_000)}",
                          rng.choice(["delivery", "assembly", ""]), "en", "Lyon"])  # fmt: skip
    return path


def _fresh_import_db(folder: Path) -> Cxgap:
    admin = create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text('DROP DATABASE IF EXISTS "cxgap_bench_import" WITH (FORCE)'))
        conn.execute(text('CREATE DATABASE "cxgap_bench_import"'))
    admin.dispose()
    url = ADMIN_URL.rsplit("/", 1)[0] + "/cxgap_bench_import"
    cx = Cxgap(Settings(data_dir=folder, database_url=url, secret_key="bench"))
    cx.upgrade()
    return cx


def _timed_import(cx: Cxgap, key: str, path: Path) -> float:
    with cx.transaction() as session:
        create_workspace(session, key=key, name=key)
    start = time.perf_counter()
    outcome = run_feedback_import(
        cx, workspace_key=key, source=path, name=path.name, preset="generic", pseudonymise=True
    )
    seconds = time.perf_counter() - start
    assert outcome.refusal is None, outcome.report.summary()
    return outcome.report.records_valid / seconds


def import_figures(rows: int) -> list[str]:
    """rows/s: COPY on PostgreSQL, INSERT staging on PostgreSQL (baseline), and SQLite."""
    with tempfile.TemporaryDirectory() as folder:
        big = feedback_csv(Path(folder) / "big.csv", rows)
        small = feedback_csv(Path(folder) / "small.csv", rows // 4, seed=4)
        pg = _fresh_import_db(Path(folder))
        copy_rate = _timed_import(pg, "copy", big)
        copy_load = load()
        with mock.patch.object(feedback_stage, "copies", return_value=False):
            insert_rate = _timed_import(pg, "insert", small)
        insert_load = load()
        pg.dispose()
        lite_url = f"sqlite:///{folder}/lite.sqlite3"
        lite = Cxgap(Settings(data_dir=Path(folder), database_url=lite_url, secret_key="b"))
        lite.upgrade()
        lite_rate = _timed_import(lite, "lite", small)
        lite.dispose()
    return [
        f"import, PostgreSQL COPY      {rows:>10,} rows {copy_rate:9,.0f} rows/s  ({copy_load})",
        f"import, PostgreSQL INSERT    {rows // 4:>10,} rows {insert_rate:9,.0f} rows/s  "
        f"({insert_load})  baseline: COPY is {copy_rate / insert_rate:.1f}x",
        f"import, SQLite               {rows // 4:>10,} rows {lite_rate:9,.0f} rows/s  ({load()})",
    ]


def signed_in(cx: Cxgap) -> TestClient:
    with cx.transaction() as session:
        if session.scalar(select(accounts.User.id).where(accounts.User.email == EMAIL)) is None:
            accounts.create_user(session, email=EMAIL, password="bench-password", is_superuser=True)
    client = TestClient(create_app(cx=cx))
    token = client.get("/login").text.split('name="csrf_token" value="')[1].split('"')[0]
    client.post(
        "/login",
        data={"email": EMAIL, "password": "bench-password", "csrf_token": token},
    )
    return client


class Statements:
    """The statements a page sent, with their parameters and durations."""

    def __init__(self, cx: Cxgap) -> None:
        self.seen: list[tuple[float, str, Any]] = []
        event.listen(cx.engine, "before_cursor_execute", self._before)
        event.listen(cx.engine, "after_cursor_execute", self._after)

    def _before(self, conn: Any, cursor: Any, statement: str, params: Any, *args: Any) -> None:
        conn.info["bench_started"] = time.perf_counter()

    def _after(self, conn: Any, cursor: Any, statement: str, params: Any, *args: Any) -> None:
        elapsed = time.perf_counter() - conn.info.pop("bench_started", time.perf_counter())
        self.seen.append((elapsed, statement, params))


def _timed(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def page_figures(cx: Cxgap, rows: int, explain: bool) -> list[str]:
    client = signed_in(cx)
    lines = []
    force = os.environ.get("BENCH_PG_OVERLAY_REBUILD") == "1"

    def refresh() -> None:
        with cx.transaction() as session:
            workspace = get_workspace(session, "bench")
            refresh_overlay_index(session, workspace=workspace, force=force)

    recorder = Statements(cx) if explain else None
    plans: list[str] = []
    checks: dict[str, Callable[[], None]] = {
        name: (lambda url=url: _ok(client, url)) for name, url in PAGES.items()
    }
    checks = {  # the saved-rule check right after the Segments page
        "Segments": checks.pop("Segments"),
        "Saved-rule check (pro_buyer)": lambda: _rule_check(client),
        **checks,
    }
    if os.environ.get("BENCH_PG_SKIP_OVERLAY") == "1":
        checks.pop("Journey overlay")
    for name, action in checks.items():
        if name == "Journey overlay":  # its index brought up to date (built, the first time)
            took = _timed(refresh)
            what = "rebuild (forced)" if force else "refresh"
            lines.append(f"overlay index {what:15}{rows:>10,} rows {took:8.2f} s  ({load()})")
            print(lines[-1], flush=True)
        if recorder is not None:
            recorder.seen.clear()
        first = _timed(action)
        again = _timed(action)
        target = 1.0 if name.startswith(("Segments", "Saved-rule")) else 2.0
        verdict = "ok" if max(first, again) < target else f"over {target:.0f} s"
        lines.append(f"{name:28} {rows:>10,} rows {first:8.2f} s first, {again:6.2f} s again"
                     f"  {verdict}  ({load()})")  # fmt: skip
        print(lines[-1], flush=True)
        if recorder is not None:
            plans += _plans(cx, name, recorder.seen)
            OUT.mkdir(exist_ok=True)  # written after each page: a long run can be stopped
            (OUT / "pg_plans.txt").write_text("\n".join(plans), encoding="utf-8")
    return lines


def _rule_check(client: TestClient) -> None:
    """The check button on the saved rule of ``pro_buyer`` (htmx: the counts fragment)."""
    html = client.get("/w/bench/segments/pro_buyer").text
    token = html.split('name="csrf_token" value="')[1].split('"')[0]
    form = {"csrf_token": token, "name_en": "pro_buyer", "name_fr": "pro_buyer",
            "rule": RULE, "action": "check"}  # fmt: skip
    response = client.post("/w/bench/segments/pro_buyer", data=form, headers={"HX-Request": "true"})
    assert response.status_code == 200, response.status_code


def row_figures(cx: Cxgap, rows: int) -> list[str]:
    """The verbatims' keyset page alone (``verbatim_page``: 51 rows and their findings, no
    totals or facets, which wait for the Listening counts), first and deep pages, filtered."""
    with cx.transaction() as session:
        workspace = get_workspace(session, "bench")
        pro = segment_filter(session, workspace=workspace, segment="pro_buyer")
    middle = (datetime(2025, 6, 1, tzinfo=UTC), 2**31 - 1)  # half way down: a deep page
    cases: dict[str, tuple[FeedbackFilter, tuple[datetime, int] | None]] = {
        "rows, first page": (FeedbackFilter(), None),
        "rows, deep page": (FeedbackFilter(), middle),
        "rows, negative": (FeedbackFilter(sentiments=("negative",)), None),
        "rows, rare topic, deep": (FeedbackFilter(topic_sets=(("topic29",),)), middle),
        "rows, segment pro_buyer": (FeedbackFilter(segment=pro), middle),
        "rows, touchpoint, deep": (
            FeedbackFilter(touchpoint="tp2", touchpoint_topics=("topic1", "topic21")),
            middle,
        ),
    }
    lines = []
    for name, (where, after) in cases.items():
        seconds = []
        for _ in range(2):
            with cx.transaction() as session:
                start = time.perf_counter()
                page = verbatim_page(session, workspace.id, where, after=after, limit=51)
                seconds.append(time.perf_counter() - start)
            assert page, name
        verdict = "ok" if max(seconds) < 2 else "over 2 s"
        lines.append(f"verbatim {name:23} {rows:>10,} rows {seconds[0]:8.2f} s first, "
                     f"{seconds[1]:6.2f} s again  {verdict}  ({load()})")  # fmt: skip
        print(lines[-1], flush=True)
    return lines


BASELINES = {  # the statements of before, each against what replaced it, in the same run
    "segment counts": (
        "SELECT segment_id, count(*) FROM segment_members GROUP BY segment_id",
        "SELECT segment_id, member_count FROM segment_membership",
    ),
    "verbatims deep page": (
        "SELECT id FROM feedback WHERE workspace_id = 1 AND (collected_at < :at OR "
        "(collected_at = :at AND id < :id)) ORDER BY collected_at DESC, id DESC LIMIT 51",
        "SELECT id FROM feedback WHERE workspace_id = 1 AND collected_at <= :at AND "
        "(collected_at < :at OR (collected_at = :at AND id < :id)) "
        "ORDER BY collected_at DESC, id DESC LIMIT 51",
    ),
    "verbatims by topic": (
        "SELECT id FROM feedback WHERE workspace_id = 1 AND text_hash IN (SELECT e.text_hash "
        "FROM text_enrichments AS e JOIN text_findings AS t ON t.enrichment_id = e.id "
        "WHERE t.workspace_id = 1 AND t.topic_key = 'topic29') "
        "ORDER BY collected_at DESC, id DESC LIMIT 51",
        "SELECT id FROM feedback WHERE workspace_id = 1 AND EXISTS (SELECT 1 FROM "
        "text_enrichments AS e JOIN text_findings AS t ON t.enrichment_id = e.id "
        "WHERE e.workspace_id = 1 AND e.text_hash = feedback.text_hash "
        "AND t.topic_key = 'topic29' OFFSET 0) ORDER BY collected_at DESC, id DESC LIMIT 51",
    ),
}


def baseline_figures(cx: Cxgap, rows: int) -> list[str]:
    """Each statement this work changed, before and after, on the same base (second runs)."""
    lines = []
    params = {"at": datetime(2025, 6, 1, tzinfo=UTC), "id": 2**31 - 1}
    for name, (before, after) in BASELINES.items():
        seconds = []
        for statement in (before, after):
            with cx.engine.connect() as conn:
                conn.execute(text(statement), params).all()  # warm
                start = time.perf_counter()
                found = conn.execute(text(statement), params).all()
                seconds.append(time.perf_counter() - start)
            assert found, name
        ratio = seconds[0] / seconds[1]
        lines.append(f"{name:24} {rows:>10,} rows before {seconds[0]:7.3f} s, now "
                     f"{seconds[1]:7.3f} s: {ratio:,.0f}x  ({load()})")  # fmt: skip
        print(lines[-1], flush=True)
    return lines


def _ok(client: TestClient, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)


def _plans(cx: Cxgap, page: str, seen: list[Statement]) -> list[str]:
    """EXPLAIN (ANALYZE, BUFFERS) of the page's three slowest SELECTs."""
    return explained(cx, page, sorted(selects(seen), key=lambda s: -s[0])[:3])


def main() -> None:
    rows = int(os.environ.get("BENCH_PG_ROWS", ROWS))
    import_rows = int(os.environ.get("BENCH_PG_IMPORT_ROWS", IMPORT_ROWS))
    explain = os.environ.get("BENCH_PG_EXPLAIN") == "1"
    print(f"PostgreSQL at scale: {rows:,} feedback items in {database_name(rows)}, "
          f"{os.cpu_count()} cores, {load()}")  # fmt: skip
    if os.environ.get("BENCH_PG_SKIP_IMPORT") != "1":
        for line in import_figures(import_rows):
            print(line, flush=True)
    with tempfile.TemporaryDirectory() as folder:
        start = time.perf_counter()
        built = ensure_base(rows, Path(folder))
        took = time.perf_counter() - start
        print(f"base {'built' if built else 'reused'} in {took:.0f} s ({load()})", flush=True)
        cx = open_base(rows, Path(folder))
        if os.environ.get("BENCH_PG_SKIP_BASELINE") != "1":
            baseline_figures(cx, rows)  # printed as they come
        row_figures(cx, rows)
        page_figures(cx, rows, explain)
        cx.dispose()


if __name__ == "__main__":
    main()
