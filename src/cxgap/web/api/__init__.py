"""REST API v1: bearer tokens scoped to a workspace and a role, over the pages' services.

One module per resource; ``errors`` holds the one error shape, ``pagination`` the pages.
"""

from __future__ import annotations

from fastapi import APIRouter

from cxgap.web.api import (
    actions,
    audit,
    case_imports,
    case_rules,
    cases,
    collectors,
    docs,
    executive,
    feedback,
    help_centre,
    idea_links,
    ideas,
    integrity,
    jobs,
    journeys,
    members,
    ownership,
    paths,
    replies,
    results,
    retention,
    service_credits,
    service_levels,
    structure,
    survey_links,
    teams,
    topics,
    workspaces,
)

router = APIRouter()
for _module in (
    workspaces,
    members,
    structure,
    collectors,
    survey_links,
    results,
    executive,
    integrity,
    feedback,
    ideas,
    idea_links,
    help_centre,
    topics,
    cases,
    case_imports,
    case_rules,
    teams,
    actions,
    ownership,
    journeys,
    paths,
    retention,
    audit,
    jobs,
    replies,
    service_levels,
    service_credits,
    docs,
):
    router.include_router(_module.router)
