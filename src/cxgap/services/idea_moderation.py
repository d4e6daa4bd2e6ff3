"""Moderating the idea board (``docs/community.md``): a workspace may hold new ideas for a
moderator (``idea_board_settings.moderate_ideas``); the queue's ideas are approved (they
show on the board), declined (they never do) or declined with their author blocked (who can
then no longer post, vote or comment)."""

from __future__ import annotations

from typing import Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from cxgap.db.tables import CommunityPerson, Idea, IdeaBoardSetting, Workspace
from cxgap.errors import ConflictError
from cxgap.services.idea_statuses import idea_of
from cxgap.services.workspaces import bump_revision

Decision = Literal["approve", "decline", "block"]


def moderated(session: Session, workspace: Workspace) -> bool:
    row = session.get(IdeaBoardSetting, workspace.id)
    return row is not None and row.moderate_ideas


def set_moderation(session: Session, workspace: Workspace, on: bool) -> None:
    row = session.get(IdeaBoardSetting, workspace.id)
    if row is None:
        row = IdeaBoardSetting(workspace_id=workspace.id)
        session.add(row)
    row.moderate_ideas = on
    session.flush()


def queue(session: Session, workspace: Workspace) -> list[Idea]:
    """Ideas waiting for a moderator, oldest first."""
    query = (
        select(Idea)
        .where(Idea.workspace_id == workspace.id, Idea.moderation == "pending")
        .order_by(Idea.created_at, Idea.id)
    )
    return list(session.scalars(query))


def decide(session: Session, workspace: Workspace, idea_id: int, decision: Decision) -> Idea:
    """Approve or decline a waiting idea; ``block`` declines it and blocks its author."""
    idea = idea_of(session, workspace, idea_id)
    if idea.moderation != "pending":
        raise ConflictError(f"Idea {idea_id} is not waiting for moderation").keyed(
            "community.error.not_pending", id=idea_id
        )
    idea.moderation = "approved" if decision == "approve" else "declined"
    if decision == "block" and idea.author_id is not None:
        author = session.get(CommunityPerson, idea.author_id)
        if author is not None:
            author.blocked = True
    bump_revision(session, workspace.id)
    session.flush()
    return idea
