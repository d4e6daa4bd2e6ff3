"""Time the results computation and the results page on 1k, 100k and 1M answers.

Baseline, measured in the same run: the plain approach of loading every answer row into
Python and computing from the rows (what a first version would do).
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from fastapi.testclient import TestClient
from sqlalchemy import select

from bench.build import bench_database
from cxgap.config import Settings
from cxgap.db.tables import ResultsCache
from cxgap.services import accounts
from cxgap.services.core import Cxgap
from cxgap.services.results import compute_results
from cxgap.services.workspaces import get_workspace
from cxgap.web.app import create_app


@dataclass
class Timing:
    name: str
    size: int
    seconds: float
    baseline_seconds: float | None = None

    @property
    def ratio(self) -> float | None:
        return self.baseline_seconds / self.seconds if self.baseline_seconds else None


def best_of(repeat: int, action: Callable[[], object]) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return min(times) if repeat < 3 else statistics.median(times)


def row_wise_baseline(cx: Cxgap) -> None:
    """Every score row fetched as plain tuples through the DB-API, then means and CIs per
    pillar and the NPS computed from the rows with numpy."""
    raw = cx.engine.raw_connection()
    try:
        cursor = raw.cursor()
        cursor.execute(
            "SELECT s.pillar_id, s.importance, s.performance FROM customer_pillar_scores s "
            "JOIN customer_responses r ON r.id = s.response_id WHERE r.workspace_id = 1"
        )
        scores = np.array(cursor.fetchall(), dtype=float)
        cursor.execute("SELECT nps FROM customer_responses WHERE workspace_id = 1")
        nps = np.array(cursor.fetchall(), dtype=float)
    finally:
        raw.close()
    for pillar in np.unique(scores[:, 0]):
        rows = scores[scores[:, 0] == pillar]
        for column in (1, 2):
            values = rows[:, column]
            values.mean(), values.std(ddof=1) / np.sqrt(len(values))
    ((nps >= 9).mean() - (nps <= 6).mean()) * 100


def run(sizes: list[int]) -> list[Timing]:
    timings: list[Timing] = []
    for size in sizes:
        path = bench_database(size)
        timings += _time_size(path, size)
    return timings


def _time_size(path: Path, size: int) -> list[Timing]:
    cx = Cxgap(Settings(data_dir=path.parent, database_url=f"sqlite:///{path}", secret_key="bench"))
    repeat = 5 if size <= 100_000 else 2
    with cx.transaction() as session:
        if (
            session.scalar(
                select(accounts.User.id).where(accounts.User.email == "bench@example.com")
            )
            is None
        ):
            accounts.create_user(
                session, email="bench@example.com", password="bench-password", is_superuser=True
            )
    baseline = best_of(repeat, lambda: row_wise_baseline(cx))

    def compute() -> None:
        with cx.reading() as session:
            compute_results(session, get_workspace(session, "demo"))

    compute_s = best_of(repeat, compute)
    client = TestClient(create_app(cx=cx))
    token = client.get("/login").text.split('name="csrf_token" value="')[1].split('"')[0]
    client.post(
        "/login",
        data={"email": "bench@example.com", "password": "bench-password", "csrf_token": token},
    )

    def cold_page() -> None:
        with cx.transaction() as session:
            session.execute(ResultsCache.__table__.delete())
        assert client.get("/w/demo/results").status_code == 200

    def warm_page() -> None:
        assert client.get("/w/demo/results").status_code == 200

    cold_s = best_of(repeat, cold_page)
    warm_page()
    warm_s = best_of(repeat, warm_page)
    cx.dispose()
    return [
        Timing("results computation (histograms in SQL)", size, compute_s, baseline),
        Timing("results page, cold (compute + render)", size, cold_s, baseline),
        Timing("results page, cached results", size, warm_s, baseline),
    ]
