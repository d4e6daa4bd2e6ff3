"""The Listening search's trigram index (db.search_index, migration 0045): on PostgreSQL the
index exists and serves the search's regular expression as it is; on both databases the
search keeps exactly the texts the Python regular expression matches (the index changes
the plan, not the result)."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest
from sqlalchemy import select, text

from cxgap.db import listening_queries, search_index
from cxgap.db.feedback_filters import (
    FeedbackFilter,
    feedback_query,
    filter_conditions,
    search_pattern,
)
from cxgap.db.tables import Feedback
from cxgap.services.core import Cxgap
from cxgap.services.workspaces import get_workspace
from tests.db.test_listening_counts import _stage_import, _write_csv
from tests.factories import make_workspace

SEARCHES = ["late", "RETARD", "prïce", "06 12", "jane@example", "was  late", "zzz"]


@pytest.fixture
def imported(cx: Cxgap, tmp_path: Path) -> tuple[Cxgap, int]:
    cx.upgrade()
    with cx.transaction() as session:
        make_workspace(session)
    _stage_import(cx, _write_csv(tmp_path / "a.csv", random.Random(5), range(0, 80)))
    with cx.reading() as session:
        return cx, get_workspace(session, "acme").id


def test_the_search_keeps_what_the_regular_expression_matches(
    imported: tuple[Cxgap, int],
) -> None:
    cx, ws = imported
    with cx.reading() as session:
        texts = session.execute(select(Feedback.id, Feedback.text).where(
            Feedback.workspace_id == ws)).all()  # fmt: skip
        kept = []
        for query in SEARCHES:
            f = FeedbackFilter(search=query)
            pattern = re.compile(search_pattern(query))
            want = sorted(i for i, t in texts if pattern.search(t))
            found = feedback_query([Feedback.id], enrichment=False)
            got = sorted(session.scalars(found.where(*filter_conditions(ws, f))))
            assert got == want, query
            assert listening_queries.count_verbatims(session, ws, f) == len(want)
            kept.append(len(want))
    assert min(kept) == 0 and 0 < max(kept) < len(texts), kept


def test_the_trigram_index_serves_the_search_on_postgresql(imported: tuple[Cxgap, int]) -> None:
    cx, ws = imported
    if cx.engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL only: SQLite keeps its GLOB over the rows")
    with cx.reading() as session:
        names = session.scalars(
            text("SELECT indexname FROM pg_indexes WHERE tablename = 'feedback'")
        )
        assert search_index.INDEX in set(names)
        # The search's own condition (the workspace's indexes left aside), on a table too
        # small for the planner to prefer an index unless scans are ruled out.
        condition = filter_conditions(ws, FeedbackFilter(search="retard"))[-1]
        query = select(Feedback.id).where(condition)
        compiled = query.compile(cx.engine, compile_kwargs={"literal_binds": True})
        session.execute(text("SET LOCAL enable_seqscan = off"))
        session.execute(text("SET LOCAL enable_indexscan = off"))
        plan = "\n".join(row[0] for row in session.execute(text(f"EXPLAIN {compiled}")))
    assert f"Bitmap Index Scan on {search_index.INDEX}" in plan, plan
