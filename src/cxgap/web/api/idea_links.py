"""An idea's links to action plans and cases over the API (``docs/community.md``): read them
(viewer), link and unlink (analyst), through the service the idea's team page and
``cxgap ideas link`` use."""

from __future__ import annotations

from datetime import date
from enum import Enum
from typing import Annotated, Literal

from fastapi import APIRouter, Path, Response
from pydantic import BaseModel, Field

from cxgap.services import idea_links
from cxgap.services.accounts import Role
from cxgap.web.api.deps import CallerDep, open_workspace
from cxgap.web.api.errors import error_responses
from cxgap.web.deps import SessionDep

router = APIRouter(prefix="/api/v1/workspaces/{key}/ideas/{idea_id}/links")
TAG: list[str | Enum] = ["ideas"]
Kind = Literal["action_plan", "case"]
Target = Annotated[
    int, Path(ge=1, le=2**31 - 1, description="The action plan's id, or the case's number")
]


class PlanOut(BaseModel):
    kind: Literal["action_plan"]
    id: int
    title: str
    status: str = Field(description="not_started, in_progress, on_hold, done or cancelled")
    progress: int = Field(ge=0, le=100)
    late: bool
    due_date: date | None
    linked_at: str


class CaseOut(BaseModel):
    kind: Literal["case"]
    number: int
    subject: str
    status: str = Field(description="new, open, pending_customer, resolved or closed")
    priority: str
    linked_at: str


class LinksOut(BaseModel):
    idea: int
    plans: list[PlanOut]
    cases: list[CaseOut]
    suggest_status: str | None = Field(
        description="A status of kind completed the idea could move to: a linked plan is done "
        "and the idea is still open, planned or started (a suggestion; nothing moves by itself)"
    )


class LinkIn(BaseModel):
    kind: Kind
    target: int = Field(ge=1, le=2**31 - 1, description="The plan's id, or the case's number")


def _links(session: SessionDep, key: str, idea_id: int, caller: CallerDep) -> LinksOut:
    workspace, _ = open_workspace(session, caller, key, Role.VIEWER)
    return LinksOut.model_validate(idea_links.links_of(session, workspace, idea_id).as_json())


@router.get("", response_model=LinksOut, tags=TAG, operation_id="list_idea_links",
            responses=error_responses())  # fmt: skip
def list_links(key: str, idea_id: int, session: SessionDep, caller: CallerDep) -> LinksOut:
    """The action plans (status, progress) and cases (state) the idea is linked to."""
    return _links(session, key, idea_id, caller)


@router.post("", response_model=LinksOut, status_code=201, tags=TAG,
             operation_id="link_idea", responses=error_responses(409))  # fmt: skip
def add_link(
    key: str, idea_id: int, body: LinkIn, session: SessionDep, caller: CallerDep
) -> LinksOut:
    """Link the idea to one of the workspace's action plans or cases (409 if it already is)."""
    workspace, _ = open_workspace(session, caller, key, Role.ANALYST)
    idea_links.link(
        session, workspace=workspace, idea_id=idea_id, kind=body.kind, target=body.target,
        user_id=caller.principal.user_id,
    )  # fmt: skip
    return _links(session, key, idea_id, caller)


@router.delete("/{kind}/{target}", status_code=204, response_class=Response, tags=TAG,
               operation_id="unlink_idea", responses=error_responses())  # fmt: skip
def remove_link(
    key: str, idea_id: int, kind: Kind, target: Target, session: SessionDep, caller: CallerDep
) -> Response:
    """Remove a link (404 when there is none)."""
    workspace, _ = open_workspace(session, caller, key, Role.ANALYST)
    idea_links.unlink(
        session, workspace=workspace, idea_id=idea_id, kind=kind, target=target,
        user_id=caller.principal.user_id,
    )  # fmt: skip
    return Response(status_code=204)
