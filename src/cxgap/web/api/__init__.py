"""REST API v1: bearer tokens scoped to a workspace and a role, over the pages' services.

One module per resource; ``errors`` holds the one error shape, ``pagination`` the pages.
"""

from __future__ import annotations

from fastapi import APIRouter

from cxgap.web.api import (
    audit,
    cases,
    collectors,
    docs,
    feedback,
    jobs,
    journeys,
    members,
    replies,
    results,
    service_levels,
    structure,
    topics,
    workspaces,
)

router = APIRouter()
for _module in (
    workspaces,
    members,
    structure,
    collectors,
    results,
    feedback,
    topics,
    cases,
    journeys,
    audit,
    jobs,
    replies,
    service_levels,
    docs,
):
    router.include_router(_module.router)
