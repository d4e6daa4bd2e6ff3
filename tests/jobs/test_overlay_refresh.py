"""A finished enrichment job queues the journey overlay's index rebuild as a job of its own,
which leaves the index fresh: the first journey view after it does not pay the rebuild."""

from __future__ import annotations

import pytest

from cxgap.db.tables import Job
from cxgap.jobs.runner import JobContext
from cxgap.jobs.worker import Worker, enqueue_enrichment
from cxgap.services import journeys, overlay
from cxgap.services.core import Cxgap
from cxgap.services.workspaces import get_workspace
from tests.factories import make_workspace
from tests.journeys.samples import sample_journey
from tests.listening import add_feedback, run_jobs

TEXTS = [f"Parcel {n} was late but the staff were lovely" for n in range(7)]


def _queue(cx: Cxgap) -> int:
    with cx.transaction() as session:
        workspace = make_workspace(session)
        journeys.create_journey(session, workspace=workspace, journey=sample_journey(3))
        for item in add_feedback(session, workspace, TEXTS):
            item.touchpoint = "tp-0-0"
        return enqueue_enrichment(session, workspace).id


def test_the_index_is_rebuilt_after_the_job(cx: Cxgap, context: JobContext) -> None:
    job_id = _queue(cx)
    ran = run_jobs(Worker(context))
    assert ran[0] == job_id and len(ran) == 2
    with cx.reading() as session:
        follow_up = session.get(Job, ran[1])
        assert follow_up is not None and (follow_up.kind, follow_up.status) == ("overlay", "done")
        assert (follow_up.done, follow_up.total) == (1, 1)  # done: all its units done
    with cx.transaction() as session:
        workspace = get_workspace(session, "acme")
        assert overlay.refresh_overlay_index(session, workspace=workspace) is False
        journey, _ = overlay.journey_with_overlay(session, workspace=workspace, key="sample")
    measured = journey.touchpoints[0].measured
    assert (measured.feedback_count, measured.enriched_count) == (7, 7)


def test_a_failed_rebuild_leaves_the_job_done(
    cx: Cxgap, context: JobContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object, **kwargs: object) -> bool:
        raise RuntimeError("disk full")

    monkeypatch.setattr(overlay, "refresh_overlay_index", broken)
    job_id = _queue(cx)
    ran = run_jobs(Worker(context))
    with cx.reading() as session:
        job = session.get(Job, job_id)
        assert job is not None and (job.status, job.done) == ("done", 7)
        rebuild = session.get(Job, ran[1])  # its own job: failed with the reason, retried later
        assert rebuild is not None and rebuild.error == "RuntimeError: disk full"
