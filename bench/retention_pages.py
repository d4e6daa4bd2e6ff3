"""Time the Retention and Value pages (issue 14) on the demo: the first call, which reads the
events and the customers' voice once and computes both pages (one CLV fit), against the
cached call, with a baseline measured in the same run: reading the demo's events back with
nothing computed (the floor of any first call). Each page is requested through the app
(rendering included), on a throw-away SQLite database with the demo; the first call of each
page comes after a change to the data (a revision bump), so it recomputes. Prints seconds
with the load average, since the machine is shared.

    python -m bench.retention_pages
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from fastapi.testclient import TestClient

from cxgap.db.event_reads import workspace_events
from cxgap.services import accounts
from cxgap.services.core import Cxgap
from cxgap.services.demo import create_demo_workspace
from cxgap.services.workspaces import bump_revision, get_workspace
from cxgap.web.app import create_app

ROUNDS = int(os.environ.get("BENCH_RETENTION_ROUNDS", "3"))
PASSWORD = "bench-password-1234"


def _seconds(call: Callable[[], object]) -> float:
    start = time.perf_counter()
    call()
    return time.perf_counter() - start


def _get(client: TestClient, path: str) -> Callable[[], object]:
    return lambda: client.get(path).raise_for_status()


def _read_events(cx: Cxgap) -> int:
    with cx.reading() as session:
        return sum(1 for _ in workspace_events(session, get_workspace(session, "demo").id))


def _stale(cx: Cxgap) -> None:
    with cx.transaction() as session:
        bump_revision(session, get_workspace(session, "demo").id)


def main() -> None:
    folder = Path(tempfile.mkdtemp(prefix="cxgap-bench-retention-"))
    cx = Cxgap.from_env(f"sqlite:///{folder / 'bench.sqlite3'}")
    cx.upgrade()
    with cx.transaction() as session:
        create_demo_workspace(session)
        accounts.create_user(session, email="bench@example.com", password=PASSWORD)
        accounts.set_membership(
            session, workspace=get_workspace(session, "demo"), email="bench@example.com",
            role="viewer",
        )  # fmt: skip
    client = TestClient(create_app(cx=cx))
    login = client.get("/login").text
    token = login.split('name="csrf_token" value="')[1].split('"')[0]
    client.post(
        "/login",
        data={"email": "bench@example.com", "password": PASSWORD, "csrf_token": token},
    )
    rows: dict[str, list[float]] = {"baseline: read the events": []}
    for _ in range(ROUNDS):
        rows["baseline: read the events"].append(_seconds(lambda: _read_events(cx)))
        for page in ("retention", "value"):
            _stale(cx)
            get = _get(client, f"/w/demo/{page}")
            rows.setdefault(f"/{page} first call", []).append(_seconds(get))
            rows.setdefault(f"/{page} cached", []).append(_seconds(get))
    events = _read_events(cx)
    print(f"Retention and Value pages on the demo ({events:,} events, 640 customers), "
          f"median of {ROUNDS}, load average {os.getloadavg()[0]:.2f}")  # fmt: skip
    for name, seconds in rows.items():
        print(f"  {name:<28} {statistics.median(seconds):8.3f} s")
    cx.dispose()


if __name__ == "__main__":
    main()
