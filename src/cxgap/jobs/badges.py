"""The ``badges`` kind, queued every hour by the scheduler where a community exists, and for
one workspace when its team edits a badge (``queue_badges``): each workspace's badges awarded
and revoked from what its people gave (``services/community_reputation.py``), one
transaction per workspace."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from cxgap.db.tables import CommunityPerson, Job, Workspace
from cxgap.jobs.kinds import JobKind, JobRun
from cxgap.jobs.worker import submit
from cxgap.services.community_reputation import award_badges

BADGES = "badges"


def queue_badges(session: Session, workspace_id: int, requested_by_id: int | None = None) -> Job:
    """Award and revoke one workspace's badges in the background (after the team edits a
    badge's rule, disables or creates one); asked again while one waits: the same job."""
    return submit(
        session,
        BADGES,
        workspace_id=workspace_id,
        coalesce=True,
        max_attempts=2,
        requested_by_id=requested_by_id,
    )


def run_badges(run: JobRun) -> dict[str, object]:
    """Every workspace with a community (the hourly job), or the job's own workspace."""
    with run.context.sessions() as session:
        query = select(Workspace.id).where(Workspace.id.in_(select(CommunityPerson.workspace_id)))
        if run.workspace_id is not None:
            query = query.where(Workspace.id == run.workspace_id)
        ids = list(session.scalars(query.order_by(Workspace.id)))
    awarded = revoked = 0
    for done, workspace_id in enumerate(ids, start=1):
        with run.context.sessions() as session, session.begin():
            workspace = session.get(Workspace, workspace_id)
            if workspace is not None:
                outcome = award_badges(session, workspace)
                awarded, revoked = awarded + outcome.awarded, revoked + outcome.revoked
            run.progress(done, len(ids), stage="awarding", session=session)
    return {"workspaces": len(ids), "awarded": awarded, "revoked": revoked}


KIND = JobKind(BADGES, run_badges, retry_seconds=300.0)
