"""The idea board over the API (``docs/community.md``): the board as the team sees it
(pending and merged ideas included, the same lines as ``cxgap ideas list --format json``), and
a status change with the team's message, through the same service as the page and the CLI,
so the same e-mails and webhooks follow."""

from __future__ import annotations

from enum import Enum
from typing import Annotated

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, Field

from cxgap.community.ranking import Order
from cxgap.services import idea_board, idea_evidence_pages, idea_notifications, idea_statuses
from cxgap.services.accounts import Role
from cxgap.web.api.deps import CallerDep, open_workspace
from cxgap.web.api.errors import error_responses
from cxgap.web.deps import SessionDep, SettingsDep
from cxgap.web.public_links import public_base

router = APIRouter(prefix="/api/v1/workspaces/{key}/ideas")
TAG: list[str | Enum] = ["ideas"]
STATUS_KEY = r"^[a-z0-9][a-z0-9_-]{0,39}$"


class IdeaOut(BaseModel):
    id: int
    title: str
    status: str = Field(description="The status's key")
    votes: int
    followers: int
    status_kind: str = Field(description="open, planned, started, completed, declined, duplicate")
    comments: int
    created_at: str
    moderation: str = Field(description="approved, pending or declined")
    merged_into: int | None = Field(description="The original, for a merged duplicate")
    verbatims: int | None = Field(
        None,
        description="How many verbatims ask for the same thing (matched by meaning; "
        "null until first computed)",
    )


class StatusChange(BaseModel):
    status: str = Field(pattern=STATUS_KEY, description="The new status's key")
    message: str = Field("", max_length=5000, description="The team's message to the voters")


class StatusChanged(BaseModel):
    idea: IdeaOut
    notified: int = Field(description="How many followers will be told by e-mail")


@router.get(
    "",
    response_model=list[IdeaOut],
    tags=TAG,
    operation_id="list_ideas",
    responses=error_responses(),
)
def list_ideas(
    key: str,
    session: SessionDep,
    caller: CallerDep,
    status: Annotated[str | None, Query(pattern=STATUS_KEY)] = None,
    sort: Annotated[Order, Query(description="The board's order")] = "trending",
) -> list[IdeaOut]:
    workspace, _ = open_workspace(session, caller, key, Role.VIEWER)
    rows = idea_board.board(session, workspace, order=sort, status=status, public=False)
    counts = idea_evidence_pages.evidence_counts(session, workspace)
    return [
        IdeaOut.model_validate(row.as_json() | {"verbatims": counts.get(row.id)}) for row in rows
    ]


@router.post(
    "/{idea_id}/status",
    response_model=StatusChanged,
    tags=TAG,
    operation_id="change_idea_status",
    responses=error_responses(),
)
def change_status(
    key: str,
    idea_id: int,
    body: StatusChange,
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    caller: CallerDep,
) -> StatusChanged:
    workspace, _ = open_workspace(session, caller, key, Role.ANALYST)
    change = idea_statuses.change_status(
        session,
        workspace=workspace,
        idea_id=idea_id,
        status=body.status,
        message=body.message,
        user_id=caller.principal.user_id,
        base_url=public_base(request, settings),
    )
    (row,) = [r for r in idea_board.board(session, workspace, public=False) if r.id == idea_id]
    notified = idea_notifications.waiting_for(session, change.id)
    verbatims = idea_evidence_pages.evidence_counts(session, workspace).get(idea_id)
    idea = IdeaOut.model_validate(row.as_json() | {"verbatims": verbatims})
    return StatusChanged(idea=idea, notified=notified)
