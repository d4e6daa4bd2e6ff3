"""What the listening pages (taxonomy, emerging topics, enrichment progress) share."""

from __future__ import annotations

from typing import Any

from fastapi import Request

from cxgap.jobs import QueueSettings
from cxgap.services import topic_links
from cxgap.services.accounts import Role
from cxgap.web.deps import SessionDep
from cxgap.web.render import locale_of


def is_htmx(request: Request) -> bool:
    return request.headers.get("hx-request") == "true"


def can_edit(role: Role) -> bool:
    return role.level >= Role.ANALYST.level


def stale_seconds() -> int:
    return QueueSettings.from_env().stale_seconds


def touchpoint_context(request: Request, session: SessionDep, workspace: Any) -> dict[str, Any]:
    """The touchpoint picker's choices (by journey, stage and name) and their labels."""
    choices = topic_links.touchpoint_choices(session, workspace, locale_of(request))
    return {
        "touchpoint_choices": choices,
        "touchpoint_labels": topic_links.touchpoint_labels(choices),
    }
