"""One record's Listening-count upkeep (``db.listening_counts.changing``: a retract and an add,
what editing, masking or bridging one item costs), with the upsert statements built at each
call (the baseline, as before 2026-12-04) and reused (built once per process, ``_BUILT``),
alternated twice, on SQLite and, with ``BENCH_UPKEEP_PG`` (an admin URL; a throw-away
database is made and dropped), on PostgreSQL. Client CPU seconds per record, the load
average on each line (docs/performance.md, "The test suite").
``python -m bench.record_upkeep``.
"""

from __future__ import annotations

import os
import secrets
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url

from cxgap.config import Settings
from cxgap.db import listening_counts
from cxgap.db.tables import Feedback
from cxgap.services.core import Cxgap
from cxgap.services.workspaces import create_workspace

RECORDS = 40


class _NotKept(dict[Any, Any]):
    """A statement cache that keeps nothing: every call builds its statements (baseline)."""

    def __setitem__(self, key: Any, value: Any) -> None:
        pass


def _load() -> str:
    return Path("/proc/loadavg").read_text().split()[0] if Path("/proc/loadavg").exists() else "?"


def _per_record(url: str, folder: Path) -> dict[str, list[float]]:
    app = Cxgap(Settings(data_dir=folder, database_url=url, secret_key="bench-upkeep"))
    app.upgrade()
    start = datetime(2026, 1, 5, tzinfo=UTC)
    with app.transaction() as session:
        workspace = create_workspace(session, key="bench", name="Bench")
        for n in range(RECORDS):
            session.add(
                Feedback(
                    workspace_id=workspace.id,
                    source_type="review",
                    source_id=f"r{n}",
                    channel="trustpilot",
                    collected_at=start + timedelta(days=n % 28),
                    text=f"The delivery took {n} days",
                    attributes={},
                    text_hash=f"{n:064x}",
                    nps=n % 11,
                )
            )
        session.flush()
        listening_counts.rebuild(session, workspace.id)
        workspace_id = workspace.id
    with app.reading() as session:
        ids = list(
            session.scalars(select(Feedback.id).where(Feedback.workspace_id == workspace_id))
        )
    seconds: dict[str, list[float]] = {}
    for name, cache in (
        ("built", _NotKept()),
        ("reused", {}),
        ("built", _NotKept()),
        ("reused", {}),
    ):
        listening_counts._BUILT = cache
        began = time.process_time()
        with app.transaction() as session:
            for record in ids:
                with listening_counts.changing(session, workspace_id, Feedback.id == record):
                    pass
        seconds.setdefault(name, []).append((time.process_time() - began) / len(ids))
    listening_counts._BUILT = {}
    app.dispose()
    return seconds


def _report(backend: str, seconds: dict[str, list[float]]) -> None:
    for name, values in seconds.items():
        shown = ", ".join(f"{v:.4f}" for v in values)
        print(f"{backend}: statements {name}: {shown} CPU s a record (load {_load()})")


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="bench-upkeep-") as folder:
        _report("sqlite", _per_record(f"sqlite:///{folder}/bench.sqlite3", Path(folder)))
        admin_url = os.environ.get("BENCH_UPKEEP_PG")
        if not admin_url:
            return
        admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
        name = f"cxgap_bench_upkeep_{secrets.token_hex(4)}"
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        try:
            url = make_url(admin_url).set(database=name).render_as_string(hide_password=False)
            _report("postgresql", _per_record(url, Path(folder)))
        finally:
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            admin.dispose()


if __name__ == "__main__":
    main()
