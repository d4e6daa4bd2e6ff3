"""Time the paths pages (issue 14): the report's first computation against the cached one, on
the demo and on a stored log of BENCH_PATHS_PAGES_EVENTS events (1,000,000), on SQLite.

For each workspace, in the same run:

- **baseline**: reading the workspace's events in case order with no analysis (the floor of
  any first computation: ``path_events``, what the report reads, grouped by case);
- **first call**: ``paths_report`` with nothing cached (every counter fed in one read, the
  feedback join, the report stored in the results cache);
- **cached call**: ``paths_report`` again (the stamp read, the stored JSON returned);
- **page, cached**: ``GET /w/<key>/paths`` served by the app, signed in, from the cache.

The large log is the retailer's journey of ``bench.paths`` (about 6.3 events a case) stored
with ``store_events`` and read against an 8-touchpoint map. Prints seconds and the load
average (the machine is shared), writes bench/out/paths_pages.json.

    python -m bench.paths_pages
"""

from __future__ import annotations

import json
import os
import re
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from bench.build import OUT
from bench.paths import DESIGN, generated
from cxgap.config import Settings
from cxgap.db.event_reads import path_events
from cxgap.db.event_writes import finish_import, start_import, store_events
from cxgap.events.model import Event, cases
from cxgap.journeys.model import Journey, Phase, Stage, Text, Touchpoint
from cxgap.services import accounts
from cxgap.services.core import Cxgap
from cxgap.services.demo import create_demo_workspace
from cxgap.services.journey_paths import paths_report
from cxgap.services.journeys import create_journey
from cxgap.services.workspaces import create_workspace, get_workspace
from cxgap.web.app import create_app

PASSWORD = "bench-only-password"


def load() -> str:
    one, five, _ = os.getloadavg()
    return f"load average {one:.1f} (1 min), {five:.1f} (5 min)"


def timed(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def _events(total: int) -> Iterator[Event]:
    for _, path in generated(total):
        yield from path


def _big(cx: Cxgap, total: int) -> float:
    """The large log stored in workspace ``big`` with its map; seconds it took."""
    with cx.transaction() as session:
        ws = create_workspace(session, key="big", name="Big")
        points = tuple(Touchpoint(k, Text(k, k), "web", True) for k in DESIGN)
        stage = Stage("all", Text("All", "Tout"), Phase.DURING, points)
        create_journey(
            session, workspace=ws, journey=Journey("shop", Text("Shop", "Shop"), stages=(stage,))
        )
        accounts.set_membership(session, workspace=ws, email="bench@example.com", role="viewer")
        start = time.perf_counter()
        import_id = start_import(session, ws.id, "big.csv", "generic")
        stored = store_events(session, ws.id, import_id, _events(total))
        finish_import(session, import_id, events=stored, cases=0, skipped=0)
    return time.perf_counter() - start


def _read_only(cx: Cxgap, key: str) -> None:
    with cx.reading() as session:
        ws = get_workspace(session, key)
        for _ in cases(path_events(session, ws.id)):
            pass


def _report(cx: Cxgap, key: str) -> dict[str, Any]:
    with cx.transaction() as session:
        return paths_report(session, get_workspace(session, key))


def _signed_in(cx: Cxgap) -> TestClient:
    client = TestClient(create_app(cx=cx))
    page = client.get("/login").text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert token is not None
    sent = {"email": "bench@example.com", "password": PASSWORD, "csrf_token": token.group(1)}
    assert client.post("/login", data=sent, follow_redirects=False).status_code == 303
    return client


def measure(cx: Cxgap, client: TestClient, key: str) -> dict[str, Any]:
    baseline = timed(lambda: _read_only(cx, key))
    first = timed(lambda: _report(cx, key))
    cached = timed(lambda: _report(cx, key))
    report = _report(cx, key)
    client.get(f"/w/{key}/paths").raise_for_status()  # templates compiled, app warm
    page = timed(lambda: client.get(f"/w/{key}/paths").raise_for_status())
    row = {
        "workspace": key,
        "events": report["events"],
        "cases": report["cases"],
        "baseline_read_s": round(baseline, 3),
        "first_call_s": round(first, 3),
        "cached_call_s": round(cached, 4),
        "page_cached_s": round(page, 3),
    }
    print(
        f"{key:6} {row['events']:>10,} events {row['cases']:>9,} cases | read only "
        f"{baseline:7.2f} s | first call {first:7.2f} s | cached {cached:7.4f} s | "
        f"page (cached) {page:6.3f} s"
    )
    return row


def main() -> None:
    total = int(os.environ.get("BENCH_PATHS_PAGES_EVENTS", "1000000"))
    print(f"paths pages, SQLite; {load()}")
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        settings = Settings(data_dir=Path(folder), database_url=f"sqlite:///{folder}/b.sqlite3")
        cx = Cxgap(settings)
        cx.upgrade()
        with cx.transaction() as session:
            create_demo_workspace(session)
            accounts.create_user(session, email="bench@example.com", password=PASSWORD)
            demo = get_workspace(session, "demo")
            accounts.set_membership(
                session, workspace=demo, email="bench@example.com", role="viewer"
            )
        stored = _big(cx, total)
        print(f"stored {total:,} events in {stored:.1f} s; {load()}")
        with _signed_in(cx) as client:
            rows.append(measure(cx, client, "demo"))
            rows.append(measure(cx, client, "big"))
        cx.dispose()
    print(f"end: {load()}")
    OUT.mkdir(exist_ok=True)
    (OUT / "paths_pages.json").write_text(json.dumps({"load_end": load(), "rows": rows}, indent=2))


if __name__ == "__main__":
    main()
