"""Jobs as the jobs page and the API show them: progress, who asked, which workspace.

Filters take the statuses people see (``stalled`` and ``waiting`` included) and the kinds
cxgap knows; anything else is refused with the field and the value.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from cxgap.db.tables import Job, User, Workspace
from cxgap.errors import ValidationError
from cxgap.jobs.progress import JobProgress, job_progress

SHOWN_STATUSES = ("queued", "waiting", "running", "stalled", "failed", "cancelled", "done")
# A shown status → the stored one it is derived from.
STORED = {"waiting": "queued", "stalled": "running"}


@dataclass(frozen=True)
class JobRow:
    """One job on the jobs page: its progress, where it belongs, who asked for it."""

    progress: JobProgress
    workspace_key: str | None
    requested_by: str | None  # the requester's e-mail (shown to the page's own users only)

    def as_dict(self) -> dict[str, object]:
        return {
            **self.progress.as_dict(),
            "workspace": self.workspace_key,
            "requested_by_id": self.requested_by_id,
        }

    requested_by_id: int | None = None
    payload: Mapping[str, object] = field(default_factory=dict)


def parse_filters(
    statuses: Sequence[str], kinds: Sequence[str], known_kinds: Sequence[str]
) -> tuple[list[str], list[str]]:
    """The filters asked for, refused with the field and value when unknown."""
    for status in statuses:
        if status not in SHOWN_STATUSES:
            raise ValidationError.single(
                "status", f"must be one of {', '.join(SHOWN_STATUSES)}", status
            )
    for kind in kinds:
        if kind not in known_kinds:
            raise ValidationError.single("kind", f"must be one of {', '.join(known_kinds)}", kind)
    return [s for s in statuses if s], [k for k in kinds if k]


def job_rows(
    session: Session,
    *,
    workspace_id: int | None = None,
    all_workspaces: bool = False,
    statuses: Sequence[str] = (),
    kinds: Sequence[str] = (),
    limit: int = 100,
    stale_seconds: int = 120,
) -> list[JobRow]:
    """The newest jobs first, of one workspace or (``all_workspaces``) of the instance."""
    query = select(Job, Workspace.key, User.email).outerjoin(
        Workspace, Workspace.id == Job.workspace_id
    )
    query = query.outerjoin(User, User.id == Job.requested_by_id)
    if not all_workspaces:
        query = query.where(Job.workspace_id == workspace_id)
    if statuses:
        query = query.where(Job.status.in_({STORED.get(s, s) for s in statuses}))
    if kinds:
        query = query.where(Job.kind.in_(list(kinds)))
    rows = []
    for job, key, email in session.execute(query.order_by(Job.id.desc()).limit(limit)):
        shown = job_progress(job, stale_seconds=stale_seconds)
        if statuses and shown.status not in statuses:
            continue  # asked for "waiting" and not "queued", or the reverse
        rows.append(
            JobRow(
                shown, key, email, requested_by_id=job.requested_by_id, payload=job.payload or {}
            )
        )
    return rows


def job_row(
    session: Session, job_id: int, *, workspace_id: int | None, stale_seconds: int = 120
) -> JobRow | None:
    """One job, if it belongs to the workspace (any workspace when ``workspace_id`` is None)."""
    job = session.get(Job, job_id)
    if job is None or (workspace_id is not None and job.workspace_id != workspace_id):
        return None
    workspace = session.get(Workspace, job.workspace_id) if job.workspace_id else None
    user = session.get(User, job.requested_by_id) if job.requested_by_id else None
    return JobRow(
        job_progress(job, stale_seconds=stale_seconds),
        workspace.key if workspace else None,
        user.email if user else None,
        requested_by_id=job.requested_by_id,
        payload=job.payload or {},
    )
