"""A worker process killed with SIGKILL in the middle of a job: the next worker resumes it,
and every text ends up enriched exactly once."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select, update

from cxgap.db.tables import Job, TextEnrichment, utcnow
from cxgap.jobs.runner import JobContext
from cxgap.jobs.worker import Worker, enqueue_enrichment
from cxgap.services.core import Cxgap
from tests.factories import make_workspace
from tests.listening import TOPICS, RuleAnalyzer, add_feedback

ROOT = Path(__file__).resolve().parents[2]
WORKER = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from cxgap.config import Settings
    from cxgap.jobs.runner import JobContext
    from cxgap.jobs.worker import Worker
    from cxgap.services import taxonomy
    from cxgap.services.core import Cxgap
    from tests.listening import TOPICS, RuleAnalyzer

    class Slow(RuleAnalyzer):
        def analyze(self, texts):
            time.sleep(0.3)
            return super().analyze(texts)

    taxonomy.default_taxonomy = lambda: TOPICS
    cx = Cxgap(Settings(data_dir=Path(sys.argv[2]), database_url=sys.argv[1], secret_key="k"))
    context = JobContext(
        sessions=cx.sessions,
        data_dir=cx.settings.data_dir,
        analyzer_factory=lambda topics, workspace_model_dir=None: Slow(topics),
        batch_size=5,
    )
    Worker(context).run_once()
    """
)


def _done(cx: Cxgap, job_id: int) -> int:
    with cx.reading() as session:
        job = session.get(Job, job_id)
        return job.done if job is not None else 0


@pytest.mark.slow
def test_a_killed_worker_process_loses_at_most_one_batch(
    sqlite_cx: Cxgap, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from cxgap.services import taxonomy

    monkeypatch.setattr(taxonomy, "default_taxonomy", lambda: TOPICS)
    texts = [f"Parcel {n} arrived late" for n in range(60)]
    with sqlite_cx.transaction() as session:
        workspace = make_workspace(session)
        add_feedback(session, workspace, texts)
        job_id = enqueue_enrichment(session, workspace).id
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen(
        [sys.executable, "-c", WORKER, sqlite_cx.settings.database_url, str(tmp_path)], env=env
    )
    try:
        deadline = time.monotonic() + 120
        while _done(sqlite_cx, job_id) < 15 and time.monotonic() < deadline:
            assert process.poll() is None, "the worker process ended by itself"
            time.sleep(0.05)
        process.send_signal(signal.SIGKILL)
    finally:
        process.wait(10)
    done_at_death = _done(sqlite_cx, job_id)
    with sqlite_cx.reading() as session:
        stored = session.scalar(select(func.count()).select_from(TextEnrichment))
    assert 15 <= done_at_death < 60
    assert stored == done_at_death  # the job row never claims more than is stored
    with sqlite_cx.transaction() as session:  # time passes: its heartbeat goes stale
        session.execute(update(Job).values(heartbeat_at=utcnow() - timedelta(minutes=10)))
    resumed = RuleAnalyzer(TOPICS)
    context = JobContext(
        sessions=sqlite_cx.sessions,
        data_dir=tmp_path,
        analyzer_factory=lambda topics, workspace_model_dir=None: resumed,
        batch_size=5,
    )
    assert Worker(context).run_once() == job_id
    assert sum(len(call) for call in resumed.calls) == 60 - done_at_death
    with sqlite_cx.reading() as session:
        job = session.get(Job, job_id)
        stored = session.scalar(select(func.count()).select_from(TextEnrichment))
    assert job is not None and (job.status, job.done, job.total) == ("done", 60, 60)
    assert stored == 60
