"""The ``index_search`` job (jobs/search.py, db.search_index): queued with an import, it
copies the import's texts into the search's index step by step; killed part-way it resumes
from its last committed step; the search finds the rows at every moment, on SQLite (where
the job has nothing to do) and PostgreSQL."""

from __future__ import annotations

import random
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select, text, update

from cxgap.db import search_index
from cxgap.db.tables import FeedbackSearch, FeedbackSearchPending, Job, utcnow
from cxgap.jobs import INDEX_SEARCH, queue_index_search
from cxgap.jobs.runner import JobContext
from cxgap.jobs.worker import Worker
from cxgap.services.core import Cxgap
from cxgap.services.feedback_imports import run_feedback_import
from cxgap.services.workspaces import get_workspace
from tests.db.test_listening_counts import _write_csv
from tests.db.test_search_index import _assert_exact
from tests.factories import make_workspace


class Killed(BaseException):
    """The worker's process dying: nothing in the job's code catches it."""


@pytest.fixture
def imported(cx: Cxgap, tmp_path: Path) -> tuple[Cxgap, int, int]:
    """A workspace whose 200 imported rows wait for the job (PostgreSQL), and the job."""
    cx.upgrade()
    with cx.transaction() as session:
        make_workspace(session)
    path = _write_csv(tmp_path / "a.csv", random.Random(3), range(200))
    outcome = run_feedback_import(
        cx, workspace_key="acme", source=path, name=path.name, preset="generic"
    )
    assert outcome.refusal is None
    with cx.transaction() as session:
        ws = get_workspace(session, "acme").id
        job_id = queue_index_search(session, ws).id
    return cx, ws, job_id


def _copied(cx: Cxgap) -> int:
    with cx.reading() as session:
        return int(session.execute(select(func.count()).select_from(FeedbackSearch)).scalar_one())


def test_a_killed_index_job_resumes_from_its_last_step(
    imported: tuple[Cxgap, int, int], context: JobContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    cx, ws, job_id = imported
    if cx.engine.dialect.name != "postgresql":  # SQLite: nothing to copy, the job ends at once
        assert Worker(context).run_once() == job_id
        with cx.reading() as session:
            assert session.get_one(Job, job_id).result == {"indexed": 0, "steps": 0}
        _assert_exact(cx, ws)
        return
    monkeypatch.setattr(search_index, "BATCH_IDS", 40)
    real = search_index.index_step
    calls: list[int] = []

    def dies_on_the_third(db: search_index.Database, workspace_id: int, batch: int) -> int | None:
        calls.append(batch)
        if len(calls) == 3:
            raise Killed
        return real(db, workspace_id, batch)

    monkeypatch.setattr(search_index, "index_step", dies_on_the_third)
    with pytest.raises(Killed):
        Worker(context).run_once()
    assert _copied(cx) == 80  # two steps of 40 committed, the third never ran
    with cx.reading() as session:
        marker = session.scalars(select(FeedbackSearchPending)).one()
        assert marker.last_id is not None and marker.indexed_through is not None
        assert marker.last_id - marker.indexed_through == 120
        assert search_index.lagging(session, ws) == 120
        job = session.get_one(Job, job_id)
        assert (job.status, job.done, job.total) == ("running", 80, 200)
    _assert_exact(cx, ws)  # half indexed: the search still finds every row
    with cx.transaction() as session:  # time passes: its heartbeat goes stale
        session.execute(update(Job).values(heartbeat_at=utcnow() - timedelta(minutes=10)))
    calls.clear()
    monkeypatch.setattr(search_index, "index_step", real)
    assert Worker(context).run_once() == job_id
    with cx.reading() as session:
        job = session.get_one(Job, job_id)
        assert job.status == "done"
        assert job.result == {"indexed": 120, "steps": 3}  # the rest, from the resume point
        assert search_index.lagging(session, ws) == 0
        assert not search_index.has_pending(session, ws)
    assert _copied(cx) == 200
    _assert_exact(cx, ws)


def test_the_browsers_import_job_queues_the_index_job(cx: Cxgap) -> None:
    """Queued where an import left rows to index; one per workspace while it waits."""
    cx.upgrade()
    with cx.transaction() as session:
        ws = make_workspace(session).id
        first = queue_index_search(session, ws).id
        assert queue_index_search(session, ws).id == first
        assert session.get_one(Job, first).kind == INDEX_SEARCH


def _forget_statistics(cx: Cxgap) -> None:
    """The search table as a bulk fill leaves it: no planner statistics (superuser only)."""
    with cx.transaction() as session:
        session.execute(
            text("DELETE FROM pg_statistic WHERE starelid = CAST('feedback_search' AS regclass)")
        )
        assert not search_index.has_statistics(session)


def test_the_index_job_leaves_the_planner_statistics_of_the_search_table(
    imported: tuple[Cxgap, int, int], context: JobContext
) -> None:
    cx, _, job_id = imported
    if cx.engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL only: SQLite's search has no planner estimate to read")
    _forget_statistics(cx)
    assert Worker(context).run_once() == job_id
    with cx.reading() as session:
        assert session.get_one(Job, job_id).status == "done"
        # The broad-search estimate asks the planner: it must not guess on an empty page.
        assert search_index.has_statistics(session)
