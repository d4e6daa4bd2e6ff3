"""The test factory's stand-in for the text analysis of the demo (``enrich_demo``) ends in the
same Listening counts whether it rebuilds them once at the end (the default, what the tests
that start from an enriched demo use) or keeps them text by text as the enrichment job does."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from cxgap.db.listening_counts import TABLES
from cxgap.demo.feedback import demo_feedback
from cxgap.services.core import Cxgap
from cxgap.services.demo import create_demo_workspace
from cxgap.services.workspaces import get_workspace
from tests.conftest import _settings
from tests.enrichment_factory import enrich_demo
from tests.prepared import Prepared

Counts = dict[str, list[tuple[Any, ...]]]


def _demo(session: Session) -> None:
    create_demo_workspace(session, n_customers=40)


def _counts(session: Session, workspace_id: int) -> Counts:
    """Every count row but its id, floats rounded (sums in another order differ in the last
    bit)."""
    found = {}
    for model in TABLES:
        table = model.__table__
        columns = [c for c in table.c if c.name != "id"]
        rows = session.execute(select(*columns).where(table.c.workspace_id == workspace_id))
        found[table.name] = sorted(
            tuple(round(v, 9) if isinstance(v, float) else str(v) for v in row) for row in rows
        )
    return found


def _enriched(demo: Path, folder: Path, *, counts_per_text: bool) -> tuple[Counts, Counts]:
    """The counts before and after enriching a part of the demo's texts in a copy of it."""
    folder.mkdir()
    shutil.copy(demo, folder / "db.sqlite3")
    cx = Cxgap(_settings(f"sqlite:///{folder / 'db.sqlite3'}", folder))
    items = demo_feedback()[:30]  # the per-text path: 0.1-0.5 s a text on a busy machine
    try:
        with cx.transaction() as session:
            workspace = get_workspace(session, "demo")
            before = _counts(session, workspace.id)
            assert enrich_demo(session, workspace, items=items, counts_per_text=counts_per_text)
            return before, _counts(session, workspace.id)
    finally:
        cx.dispose()


def test_counts_rebuilt_once_equal_the_counts_kept_text_by_text(
    prepared: Prepared, tmp_path: Path
) -> None:
    demo = prepared.file("enrichment-factory-demo", _demo)
    before, rebuilt = _enriched(demo, tmp_path / "rebuilt", counts_per_text=False)
    same_before, kept = _enriched(demo, tmp_path / "kept", counts_per_text=True)
    assert before == same_before
    assert rebuilt == kept
    assert rebuilt != before  # the enrichments moved the counts: there was something to compare
    assert sum(len(rows) for rows in rebuilt.values()) > 100
