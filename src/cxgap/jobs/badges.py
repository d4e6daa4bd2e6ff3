"""The ``badges`` kind, queued every hour by the scheduler where a community exists: each
workspace's badges awarded and revoked from what its people gave
(``services/community_reputation.py``), one transaction per workspace."""

from __future__ import annotations

from sqlalchemy import select

from cxgap.db.tables import CommunityPerson, Workspace
from cxgap.jobs.kinds import JobKind, JobRun
from cxgap.services.community_reputation import award_badges

BADGES = "badges"


def run_badges(run: JobRun) -> dict[str, object]:
    with run.context.sessions() as session:
        ids = list(
            session.scalars(
                select(Workspace.id)
                .where(Workspace.id.in_(select(CommunityPerson.workspace_id)))
                .order_by(Workspace.id)
            )
        )
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
