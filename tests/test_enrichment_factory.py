"""The test factories end in the same Listening counts whether they rebuild them once (the
default, what the tests use) or keep them item by item as imports and the enrichment job do:
``enrich_demo``, the stand-in for the text analysis of the demo, and ``add_feedback``, whose
counts are rebuilt when the session commits."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from cxgap.db.listening_counts import TABLES
from cxgap.db.tables import Workspace
from cxgap.demo.feedback import demo_feedback
from cxgap.services.core import Cxgap
from cxgap.services.demo import create_demo_workspace
from cxgap.services.workspaces import get_workspace
from tests.conftest import _settings
from tests.enrichment_factory import add_feedback, enrich_demo
from tests.factories import make_workspace
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


def _items(cx: Cxgap, *, counts_per_item: bool) -> Counts:
    """Two workspaces' items, some enriched (texts shared), over two transactions."""
    with cx.transaction() as session:
        acme, other = make_workspace(session), make_workspace(session, key="o", name="O")
        ids = acme.id, other.id
        for i in range(24):
            workspace = acme if i % 3 else other
            add_feedback(
                session, workspace, f"text {i % 7}", touchpoint=("web", "shop", None)[i % 3],
                nps=i % 11, channel=("app", None)[i % 2], attributes={"segment": str(i % 2)},
                score=(-0.8, 0.1, 0.6, None)[i % 4], findings=[("delivery", -0.8)],
                counts_per_item=counts_per_item,
            )  # fmt: skip
    with cx.transaction() as session:
        acme = session.get(Workspace, ids[0])
        assert acme is not None
        for i in range(5):
            add_feedback(session, acme, f"later {i}", nps=9, counts_per_item=counts_per_item)
    with cx.reading() as session:
        return {f"{w}:{t}": rows for w in ids for t, rows in _counts(session, w).items()}


def test_counts_rebuilt_at_commit_equal_the_counts_added_item_by_item(
    sqlite_template: Path, tmp_path: Path
) -> None:
    found = []
    for counts_per_item in (True, False):
        folder = tmp_path / str(counts_per_item)
        folder.mkdir()
        shutil.copy(sqlite_template, folder / "db.sqlite3")
        cx = Cxgap(_settings(f"sqlite:///{folder / 'db.sqlite3'}", folder))
        try:
            found.append(_items(cx, counts_per_item=counts_per_item))
        finally:
            cx.dispose()
    assert found[0] == found[1]
    day_counts = [rows for key, rows in found[0].items() if key.endswith(":listening_counts")]
    assert len(day_counts) == 2 and all(day_counts)  # both workspaces counted
