"""The exact figures of a broad search on the Listening pages: read from what the
``exact_figures`` job stored (``services.listening_exact``), or, while it computes them,
the estimate with the job's progress, or its error and a button to try again.

A page asked for its exact figures (``exact=1``) whose figures are stored and current shows
them, reading nothing but the stored view (the explorer also reads its page of newest
verbatims); otherwise it computes itself as without ``exact``: read whole where it is not
estimated (SQLite, a small workspace, a selective search: exact already), else the estimate.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any
from urllib.parse import urlencode

from sqlalchemy.orm import Session

from cxgap import jobs
from cxgap.db.tables import Workspace
from cxgap.services.accounts import Role
from cxgap.services.listening import Filters
from cxgap.services.listening_exact import StoredFigures, Target, exact_filters, stored
from cxgap.services.search_estimate import SearchEstimate

PATHS = {"explorer": "", "topics": "/topics", "trends": "/trends", "drivers": "/drivers"}


def lookup(
    session: Session, workspace: Workspace, filters: Filters, target: Target
) -> StoredFigures | None:
    """The page's stored exact figures when it asks for them and they are current."""
    if not filters.exact:
        return None
    return stored(session, workspace, target, exact_filters(session, workspace, filters))


def estimated(filters: Filters) -> Filters:
    """The filters a page computes itself with when its exact figures are not stored: a
    broad search's estimate, never every match in the request."""
    return replace(filters, exact=False)


def target_query(filters: Filters, target: Target) -> str:
    """The query string of the page's filters and of the target (page, grain, level)."""
    params = dict(filters.values)
    if filters.flagged is not None:
        params["flagged"] = filters.flagged
    params.update(page=target.page, grain=target.grain, level=target.level)
    return urlencode(params)


def page_url(workspace: Workspace, filters: Filters, target: Target) -> str:
    """The page with its exact figures asked for (its grain or level kept)."""
    params = dict(filters.values)
    if filters.flagged is not None:
        params["flagged"] = filters.flagged
    params["exact"] = "1"
    if target.page == "trends":
        params["grain"] = target.grain
    elif target.page == "drivers":
        params["level"] = target.level
    return f"/w/{workspace.key}/listening{PATHS[target.page]}?{urlencode(params)}"


def exact_context(
    session: Session,
    workspace: Workspace,
    role: Role,
    filters: Filters,
    target: Target,
    *,
    estimate: SearchEstimate | None,
    figures: StoredFigures | None,
) -> dict[str, Any]:
    """What the estimate notice shows of the exact figures: the stored ones, or the job
    computing them (progress, or its error), and where the button and the polling go."""
    job = None
    if estimate is not None and filters.exact:
        job = jobs.exact_job_state(
            session,
            workspace,
            exact_filters(session, workspace, filters),
            target,
            stale_seconds=jobs.QueueSettings.from_env().stale_seconds,
        )
    base = f"/w/{workspace.key}/listening/exact"
    return {
        "exact_figures": figures,
        "exact_job": job,
        "exact_target": target,
        "exact_action": f"{base}?{target_query(filters, target)}",
        "exact_status": f"{base}/{job.progress.id}?target={target.name}" if job else "",
        "exact_jobs_link": f"/w/{workspace.key}/jobs" if role.level >= Role.ANALYST.level else "",
    }


def is_ready(state: jobs.ExactJobState, target: str) -> bool:
    """Whether the page polling the job has something new to show: its figures stored, or
    the job ended (done, failed or cancelled)."""
    return target in state.ready or not state.progress.active
