"""The ``exact_figures`` job: the exact figures of a broad Listening search, computed in the
background instead of in a request (27-61 s a page at 10 M items), page after page, and
kept for the pages (``services.listening_exact``).

Asked for from a page's "Exact figures" button: the page asked from first, then the three
other Listening pages under the same filters (the tabs' links keep the exact figures). One
step per page, each computed and stored in a transaction of its own with the job's
progress and the names of the pages ready (the page asked from shows its figures as soon as
they are stored, while the others are computed). A job killed part-way resumes with the
pages not yet stored; a page stored and still current is not computed again (neither by a
second job for the same filters, queued meanwhile: one runs at a time per workspace and
filters). A step's heartbeats are written from a thread while it computes (a page of a broad
search at 10 M may outlast the stale delay). Asked again while a job for the same filters
waits or runs: that job.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from cxgap.db.tables import Job, Workspace
from cxgap.errors import ConfigError
from cxgap.jobs.heartbeat import beating
from cxgap.jobs.kinds import JobKind, JobRun
from cxgap.jobs.progress import JobProgress, job_progress
from cxgap.jobs.store import ACTIVE
from cxgap.jobs.worker import submit
from cxgap.services import listening_exact as exact
from cxgap.services.listening import Filters
from cxgap.services.listening_exact import Target

EXACT_FIGURES = "exact_figures"
RECENT = 10  # jobs of the same filters looked at for the one that covers a page


def exclusive_key(workspace_id: int, filters: Filters) -> str:
    return f"{EXACT_FIGURES}:{workspace_id}:{exact.digest(filters)}"


def target_names(job: Job) -> list[str]:
    """The pages a job computes, by name, in its order."""
    payload = job.payload or {}
    targets = payload.get("targets")
    names = []
    for item in targets if isinstance(targets, list) else ():
        if isinstance(item, Mapping):
            names.append(Target.of(item).name)
    return names


def ready_names(job: Job) -> list[str]:
    """The pages whose figures a job has stored so far (all of them once it is done)."""
    if job.status == "done":
        return target_names(job)
    ready = (job.result or {}).get("ready")
    return [str(name) for name in ready] if isinstance(ready, list) else []


def job_for(session: Session, workspace: Workspace, filters: Filters, target: Target) -> Job | None:
    """The newest job of these filters that computes this page (any status)."""
    query = (
        select(Job)
        .where(
            Job.kind == EXACT_FIGURES,
            Job.workspace_id == workspace.id,
            Job.exclusive == exclusive_key(workspace.id, filters),
        )
        .order_by(Job.id.desc())
        .limit(RECENT)
    )
    for job in session.scalars(query):
        if target.name in target_names(job):
            return job
    return None


def request_exact_figures(
    session: Session,
    workspace: Workspace,
    filters: Filters,
    first: Target,
    *,
    requested_by_id: int | None = None,
) -> Job | None:
    """The job that computes the page's exact figures: the one waiting or running for the
    same filters and page, else a new one; None when those stored are current already.
    ``filters``: as ``listening_exact.exact_filters`` resolves them."""
    if exact.stored(session, workspace, first, filters) is not None:
        return None
    found = job_for(session, workspace, filters, first)
    if found is not None and found.status in ACTIVE and not found.cancel_requested:
        return found
    payload = {
        "filters": exact.filters_payload(filters),
        "targets": [t.as_dict() for t in exact.targets_for(first)],
    }
    return submit(
        session,
        EXACT_FIGURES,
        workspace_id=workspace.id,
        payload=payload,
        exclusive=exclusive_key(workspace.id, filters),
        max_attempts=2,
        requested_by_id=requested_by_id,
    )


def run_exact_figures(run: JobRun) -> dict[str, object]:
    if run.workspace_id is None:
        raise ConfigError(f"Job {run.job_id} ({run.lease.kind}) has no workspace")
    filters_data = run.payload.get("filters")
    filters = exact.filters_of(filters_data if isinstance(filters_data, Mapping) else {})
    targets_data = run.payload.get("targets")
    targets = [
        Target.of(item)
        for item in (targets_data if isinstance(targets_data, list) else ())
        if isinstance(item, Mapping)
    ]
    ready: list[str] = []
    computed, matches = 0, None
    for step, target in enumerate(targets):
        run.check()
        with run.context.sessions() as session, session.begin():
            workspace = session.get(Workspace, run.workspace_id)
            if workspace is None:
                return {"workspace_gone": True}
            view = exact.compute_and_store(  # a page's step may outlast the stale delay
                session, workspace, target, filters, job_id=run.job_id, computing=beating(run)
            )
            computed += view is not None
            if target.page == "explorer":
                matches = _matches(session, workspace, target, filters, view)
            ready.append(target.name)
            run.progress(
                step + 1,
                len(targets),
                session=session,
                stage=target.page,
                details={"ready": list(ready)},
            )
    return {"pages": len(targets), "computed": computed, "matches": matches}


def _matches(
    session: Session, workspace: Workspace, target: Target, filters: Filters, view: object
) -> int | None:
    """The records the search and filters keep (the explorer's total), for the jobs page."""
    if view is None:
        found = exact.stored(session, workspace, target, filters)
        view = found.view if found is not None else None
    return view.total if isinstance(view, exact.ExplorerFigures) else None


@dataclass(frozen=True)
class ExactJobState:
    """A page's exact-figures job as the page shows it: its progress and the pages ready."""

    progress: JobProgress
    ready: list[str]


def exact_job_state(
    session: Session,
    workspace: Workspace,
    filters: Filters,
    target: Target,
    *,
    stale_seconds: int = 120,
) -> ExactJobState | None:
    job = job_for(session, workspace, filters, target)
    if job is None:
        return None
    return ExactJobState(job_progress(job, stale_seconds=stale_seconds), ready_names(job))


def exact_job_by_id(
    session: Session, workspace: Workspace, job_id: int, *, stale_seconds: int = 120
) -> ExactJobState | None:
    """One exact-figures job of the workspace (None: no such job here)."""
    job = session.get(Job, job_id)
    if job is None or job.workspace_id != workspace.id or job.kind != EXACT_FIGURES:
        return None
    return ExactJobState(job_progress(job, stale_seconds=stale_seconds), ready_names(job))


KIND = JobKind(EXACT_FIGURES, run_exact_figures, retry_seconds=30.0)
