"""The scheduled kinds: webhook deliveries due, and the purge of what is no longer needed.

They are queued by the scheduler (``jobs/schedule.py``), one job per slot, and run by any
worker like every other kind, so N web processes and M workers deliver a webhook once.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import delete

from cxgap.db.tables import Job, utcnow
from cxgap.jobs.case_mail import notify_assignee
from cxgap.jobs.kinds import JobKind, JobRun
from cxgap.jobs.schedule import CASE_BREACHES, PURGE, WEBHOOKS
from cxgap.jobs.store import FINISHED
from cxgap.services import case_sla, feedback_uploads
from cxgap.webhooks.sender import RetryPolicy, deliver_due

# A round attempts this many deliveries at most (the next slot takes the rest).
WEBHOOK_ROUND = 200


def deliver_webhooks(run: JobRun) -> dict[str, object]:
    """Post the deliveries due now (each outcome is recorded before the next is posted)."""
    attempted = deliver_due(run.context.sessions, policy=RetryPolicy(), limit=WEBHOOK_ROUND)
    run.progress(attempted, attempted, stage="delivering")
    return {"attempted": attempted}


def purge(run: JobRun) -> dict[str, object]:
    """Delete finished job rows older than ``keep_days``, and feedback uploads abandoned for
    a day in the data dir."""
    keep_days = int(str(run.payload.get("keep_days", 30)))
    before = utcnow() - timedelta(days=keep_days)
    with run.context.sessions() as session, session.begin():
        deleted = session.execute(
            delete(Job)
            .where(Job.status.in_(FINISHED), Job.finished_at < before)
            .execution_options(synchronize_session=False)
        )
        jobs = int(getattr(deleted, "rowcount", 0))
        run.progress(1, 2, session=session, stage="purging")
    if run.context.settings is not None:
        feedback_uploads.prune(run.context.settings)
    run.progress(2, 2, stage="purging")
    return {"jobs_deleted": jobs, "keep_days": keep_days}


def announce_case_breaches(run: JobRun) -> dict[str, object]:
    """Announce the SLA metrics of open cases missed since the last round (once each)."""
    with run.context.sessions() as session, session.begin():
        announced = case_sla.announce_breaches(session, utcnow())
        for case, metric in announced:
            if case.assignee_id is not None:
                notify_assignee(session, case.id, case.workspace_id, "breached", metric)
    run.progress(1, 1, stage="checking")
    return {"announced": len(announced)}


WEBHOOKS_KIND = JobKind(WEBHOOKS, deliver_webhooks, retry_seconds=5.0)
PURGE_KIND = JobKind(PURGE, purge)
CASE_BREACHES_KIND = JobKind(CASE_BREACHES, announce_case_breaches)
