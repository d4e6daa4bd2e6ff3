"""Integrity flags of a workspace's survey answers (docs/integrity.md)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict

from cxgap.integrity import report_json
from cxgap.services import bot_answers
from cxgap.services.accounts import Role
from cxgap.services.integrity import workspace_integrity
from cxgap.web.api.deps import CallerDep, open_workspace
from cxgap.web.api.errors import error_responses
from cxgap.web.deps import SessionDep

router = APIRouter(prefix="/api/v1")


class IntegrityOut(BaseModel):
    """``cxgap integrity check``'s object on the stored answers (every answer listed by its
    external id, ``flags`` empty when clean), with how each headline figure moves without
    the flagged answers and the other verbatims reporting score begging."""

    model_config = ConfigDict(extra="allow")

    responses: list[dict[str, Any]]
    agents: list[dict[str, Any]]
    figures: list[dict[str, Any]]
    begging_verbatims: list[dict[str, Any]]
    bot_answers: dict[str, Any]  # the honeypot's catches, held apart: never in responses


@router.get(
    "/workspaces/{key}/integrity",
    response_model=IntegrityOut,
    tags=["results"],
    operation_id="get_integrity",
    responses=error_responses(),
)
def workspace_integrity_flags(key: str, session: SessionDep, caller: CallerDep) -> dict[str, Any]:
    """Flags per answer and per shop or agent, each with the figures behind it (analysts)."""
    workspace, _ = open_workspace(session, caller, key, Role.ANALYST)
    found = workspace_integrity(session, workspace=workspace)
    figures = [
        {"figure": m.key, "with_flagged": m.with_flagged, "without_flagged": m.without_flagged,
         "change": m.change, "n_with": m.n_with, "n_without": m.n_without}
        for m in found.moves
    ]  # fmt: skip
    verbatims = [
        {"feedback_id": b.feedback_id, "channel": b.channel, "phrase": b.phrase}
        for b in found.begging_verbatims
    ]
    bots = bot_answers.summary(session, workspace)
    held = [
        {"received_at": b.received_at.isoformat(), "survey": b.survey, "flags": ["bot"],
         "reason": b.reason, "agent": b.agent, "nps": b.nps, "comment": b.comment}
        for b in bots.newest
    ]  # fmt: skip
    return {
        **report_json(found.report),
        "figures": figures,
        "begging_verbatims": verbatims,
        "bot_answers": {"held": bots.held, "dropped": bots.dropped, "newest": held},
    }
