"""Build large benchmark workspaces fast: numpy-generated answers written with executemany.

The ORM path (services.answers.store_customer_answers) is what users run; here we only need
realistic volumes quickly, so rows go straight in through the DB-API. Files are cached in
bench/out/ by size and seed.
"""

from __future__ import annotations

import hashlib
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np

from cxgap.config import Settings
from cxgap.db.migrate import MIGRATIONS_DIR
from cxgap.services.core import Cxgap
from cxgap.services.demo import create_demo_workspace
from cxgap.services.workspaces import get_workspace, pillars_of

OUT = Path(__file__).with_name("out")
CHUNK = 50_000


def schema_tag() -> str:
    """Changes whenever a migration does, so a cached file never outlives its schema."""
    digest = hashlib.sha256()
    for script in sorted((MIGRATIONS_DIR / "versions").glob("*.py")):
        digest.update(script.read_bytes())
    return digest.hexdigest()[:10]


def bench_database(n_customers: int, seed: int = 7) -> Path:
    """A SQLite file holding the demo workspace's colleagues and ``n_customers`` answers."""
    OUT.mkdir(exist_ok=True)
    path = OUT / f"bench-{n_customers}-{seed}-{schema_tag()}.sqlite3"
    if path.exists():
        return path
    partial = path.with_suffix(".partial")
    partial.unlink(missing_ok=True)
    cx = Cxgap(Settings(data_dir=OUT, database_url=f"sqlite:///{partial}", secret_key="bench"))
    cx.upgrade()
    with cx.transaction() as session:
        create_demo_workspace(session, n_customers=1)
        workspace = get_workspace(session, "demo")
        pillar_ids = [p.id for p in pillars_of(session, workspace)]
        segments = ["busy_family", "design_lover", "pro_buyer", "bargain_hunter"]
        workspace_id = workspace.id
    cx.dispose()
    _fill(partial, workspace_id, pillar_ids, segments, n_customers, seed)
    partial.rename(path)
    return path


def _fill(
    path: Path, workspace_id: int, pillar_ids: list[int], segments: list[str], n: int, seed: int
) -> None:
    rng = np.random.default_rng(seed)
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA journal_mode=OFF")
    connection.execute("PRAGMA synchronous=OFF")
    next_id = (
        int(connection.execute("SELECT COALESCE(MAX(id), 0) FROM customer_responses").fetchone()[0])
        + 1
    )
    start = datetime(2026, 5, 1, tzinfo=UTC)
    for offset in range(0, n, CHUNK):
        size = min(CHUNK, n - offset)
        ids = np.arange(next_id + offset, next_id + offset + size)
        nps = rng.choice(11, size=size, p=_nps_weights())
        years = rng.integers(1940, 2008, size=size)
        seg = rng.integers(0, len(segments), size=size)
        seconds = rng.integers(0, 180 * 86400, size=size)
        connection.executemany(
            "INSERT INTO customer_responses (id, workspace_id, survey_id, source, external_id, "
            "submitted_at, language, nps, csat, ces, birth_year, segment_key, comment, consent) "
            "VALUES (?, ?, NULL, 'bench', ?, ?, ?, ?, ?, ?, ?, ?, '', 1)",
            (
                (int(i), workspace_id, f"b{i}", (start + timedelta(seconds=int(s))).isoformat(),
                 "fr" if i % 2 else "en", int(v), int(min(5, 1 + v // 2)), int(min(7, 1 + v * 0.6)),
                 int(y), segments[int(g)])
                for i, v, y, g, s in zip(ids, nps, years, seg, seconds, strict=True)
            ),
        )  # fmt: skip
        importance = rng.integers(1, 6, size=(size, len(pillar_ids)))
        performance = np.clip(importance - rng.integers(0, 3, size=importance.shape), 1, 5)
        connection.executemany(
            "INSERT INTO customer_pillar_scores (response_id, pillar_id, importance, performance, "
            "birth_year, segment_key) VALUES (?, ?, ?, ?, ?, ?)",
            (
                (
                    int(ids[r]),
                    pid,
                    int(importance[r, c]),
                    int(performance[r, c]),
                    int(years[r]),
                    segments[int(seg[r])],
                )
                for r in range(size)
                for c, pid in enumerate(pillar_ids)
            ),
        )
        connection.commit()
    connection.execute("UPDATE workspaces SET data_revision = data_revision + 1")
    connection.execute("ANALYZE")
    connection.commit()
    connection.close()


def _nps_weights() -> np.ndarray:
    weights = np.array([3, 2, 2, 3, 4, 6, 8, 12, 16, 20, 24], dtype=float)
    return weights / weights.sum()
