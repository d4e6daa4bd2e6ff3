"""The Listening search's index (db.search_index, migrations 0045 and 0050): on PostgreSQL
the trigram index of the search table serves the search's regular expression as it is; on
both databases the search keeps exactly the texts the Python regular expression matches
(the index changes the plan, not the result), before, while and after the ``index_search``
job copies an import's texts in."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest
from sqlalchemy import delete, func, select, text
from sqlalchemy.orm import Session

from cxgap.db import listening_queries, search_index
from cxgap.db.feedback_filters import (
    FeedbackFilter,
    feedback_query,
    filter_conditions,
    search_pattern,
)
from cxgap.db.tables import Feedback, FeedbackSearch
from cxgap.services.core import Cxgap
from cxgap.services.workspaces import get_workspace
from tests.db.test_listening_counts import _stage_import, _write_csv
from tests.factories import make_workspace
from tests.listening import add_feedback

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
        assert search_index.INDEX not in set(names)  # since 0050: on the search table
        # The search's own condition (the workspace's indexes left aside), on a table too
        # small for the planner to prefer an index unless scans are ruled out.
        condition = filter_conditions(ws, FeedbackFilter(search="retard"))[-1]
        query = select(Feedback.id).where(condition)
        compiled = query.compile(cx.engine, compile_kwargs={"literal_binds": True})
        session.execute(text("SET LOCAL enable_seqscan = off"))
        session.execute(text("SET LOCAL enable_indexscan = off"))
        plan = "\n".join(row[0] for row in session.execute(text(f"EXPLAIN {compiled}")))
    assert f"Bitmap Index Scan on {search_index.SEARCH_INDEX}" in plan, plan


def _truth(session: Session, ws: int, query: str) -> list[int]:
    pattern = re.compile(search_pattern(query))
    rows = session.execute(select(Feedback.id, Feedback.text).where(Feedback.workspace_id == ws))
    return sorted(i for i, t in rows if pattern.search(t))


def _found(session: Session, ws: int, query: str) -> list[int]:
    f = FeedbackFilter(search=query)
    found = feedback_query([Feedback.id], enrichment=False).where(*filter_conditions(ws, f))
    return sorted(session.scalars(found))


def _assert_exact(cx: Cxgap, ws: int) -> None:
    """Every search finds what the regular expression finds in ``feedback`` now; every row
    is in the search table with its current text, or pending (past its import's resume
    point): the invariant ``db.search_index`` keeps."""
    with cx.reading() as session:
        for query in SEARCHES:
            want = _truth(session, ws, query)
            assert _found(session, ws, query) == want, query
            assert listening_queries.count_verbatims(
                session, ws, FeedbackFilter(search=query)
            ) == len(want)
        if cx.engine.dialect.name != "postgresql":
            return
        stale = session.execute(text(
            "SELECT count(*) FROM feedback f LEFT JOIN feedback_search s ON s.feedback_id = f.id"
            " LEFT JOIN feedback_search_pending p ON p.import_id = f.import_id"
            " AND f.id > coalesce(p.indexed_through, 0)"
            " WHERE f.workspace_id = :ws AND s.text IS DISTINCT FROM f.text"
            " AND p.import_id IS NULL"
        ), {"ws": ws}).scalar_one()  # fmt: skip
        assert stale == 0


def _indexed(cx: Cxgap) -> int:
    with cx.reading() as session:
        return int(session.execute(select(func.count()).select_from(FeedbackSearch)).scalar_one())


def test_imported_rows_are_found_before_during_and_after_the_index_job(
    imported: tuple[Cxgap, int], tmp_path: Path
) -> None:
    """The import writes no search rows on PostgreSQL (a job does, after it), yet the search
    finds its rows at every moment: just imported, half indexed, indexed; then after a
    re-import that updates 40 texts in place and adds 40 (the staged path)."""
    cx, ws = imported
    postgresql = cx.engine.dialect.name == "postgresql"
    with cx.reading() as session:
        assert search_index.lagging(session, ws) == (80 if postgresql else 0)
        assert search_index.has_pending(session, ws) is postgresql
    assert _indexed(cx) == 0  # not on the import's path (and never on SQLite)
    _assert_exact(cx, ws)
    steps = 0
    while True:
        with cx.transaction() as session:
            step = search_index.index_step(session, ws, 25)
        if step is None:
            break
        steps += 1
        _assert_exact(cx, ws)
    assert steps == (4 if postgresql else 0)  # 80 ids by 25
    assert _indexed(cx) == (80 if postgresql else 0)
    with cx.reading() as session:
        assert search_index.lagging(session, ws) == 0
    # A re-import: ids 40-119 with other texts (40 updated in place, 40 new).
    _stage_import(cx, _write_csv(tmp_path / "b.csv", random.Random(9), range(40, 120)))
    with cx.reading() as session:
        assert search_index.lagging(session, ws) == (80 if postgresql else 0)
    _assert_exact(cx, ws)
    while True:
        with cx.transaction() as session:
            if search_index.index_step(session, ws, 30) is None:
                break
        _assert_exact(cx, ws)
    with cx.reading() as session:
        rows = session.execute(select(func.count()).select_from(Feedback)).scalar_one()
    assert rows > 80 and _indexed(cx) == (rows if postgresql else 0)


def test_other_writers_keep_the_search_rows_current(imported: tuple[Cxgap, int]) -> None:
    """Rows written outside an import (here through ``listening_counts.add``, as survey
    comments, recovery answers and masking do through ``changing``) are searchable at once,
    in the search table on PostgreSQL; a deleted row leaves it."""
    cx, ws = imported
    with cx.transaction() as session:
        rows = add_feedback(session, get_workspace(session, "acme"), ["Délai trop LATE", "zzz"])
        assert search_index.lagging(session, ws) == (
            80 if cx.engine.dialect.name == "postgresql" else 0
        )
    _assert_exact(cx, ws)
    with cx.transaction() as session:
        session.execute(delete(Feedback).where(Feedback.id == rows[0].id))
    _assert_exact(cx, ws)
    with cx.reading() as session:
        gone = select(FeedbackSearch).where(FeedbackSearch.feedback_id == rows[0].id)
        assert session.execute(gone).first() is None
