"""The idea board as its readers see it: each idea with its status, votes, followers and
comments, filtered and ordered (``community.ranking``). The public board shows approved
ideas still on it; the team's view (``public=False``) shows every idea."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from cxgap.community.ranking import RECENT, Activity, Order, ordered
from cxgap.community.statuses import check_kind, is_public
from cxgap.db.table_base import utcnow
from cxgap.db.tables import (
    Idea,
    IdeaComment,
    IdeaFollower,
    IdeaStatus,
    IdeaTag,
    IdeaTagLink,
    IdeaVote,
    Workspace,
)
from cxgap.services.idea_statuses import statuses_of


@dataclass(frozen=True)
class IdeaSummary:
    """One line of the board."""

    id: int
    title: str
    status: str  # the status's key
    status_kind: str
    votes: int
    followers: int
    comments: int
    created_at: datetime
    moderation: str
    merged_into: int | None

    def as_json(self) -> dict[str, object]:
        return {
            "id": self.id,
            "title": self.title,
            "status": self.status,
            "votes": self.votes,
            "followers": self.followers,
            "status_kind": self.status_kind,
            "comments": self.comments,
            "created_at": self.created_at.isoformat(),
            "moderation": self.moderation,
            "merged_into": self.merged_into,
        }


def _counts(
    session: Session,
    table: type[IdeaVote] | type[IdeaFollower] | type[IdeaComment],
    ids: Sequence[int],
    since: datetime | None = None,
) -> dict[int, int]:
    query = select(table.idea_id, func.count()).where(table.idea_id.in_(ids))
    if since is not None:
        query = query.where(table.created_at >= since)
    return {idea_id: count for idea_id, count in session.execute(query.group_by(table.idea_id))}


def board(
    session: Session,
    workspace: Workspace,
    *,
    order: Order = "trending",
    status: str | None = None,
    tag: str | None = None,
    public: bool = True,
    now: datetime | None = None,
) -> list[IdeaSummary]:
    """The ideas of the board, ``status`` (a key) and ``tag`` (a key) keeping only theirs."""
    statuses = {row.id: row for row in statuses_of(session, workspace)}
    query = select(Idea).where(Idea.workspace_id == workspace.id)
    if status is not None:
        query = query.join(IdeaStatus, IdeaStatus.id == Idea.status_id).where(
            IdeaStatus.key == status
        )
    if tag is not None:
        tagged = select(IdeaTagLink.idea_id).join(IdeaTag, IdeaTag.id == IdeaTagLink.tag_id)
        query = query.where(Idea.id.in_(tagged.where(IdeaTag.key == tag)))
    ideas = [
        idea
        for idea in session.scalars(query)
        if not public
        or (idea.moderation == "approved" and is_public(check_kind(statuses[idea.status_id].kind)))
    ]
    ids = [idea.id for idea in ideas]
    moment = now or utcnow()
    votes, followers = _counts(session, IdeaVote, ids), _counts(session, IdeaFollower, ids)
    comments = _counts(session, IdeaComment, ids)
    recent_votes = _counts(session, IdeaVote, ids, moment - RECENT)
    recent_comments = _counts(session, IdeaComment, ids, moment - RECENT)
    activity = [
        Activity(
            i.id,
            i.created_at,
            votes.get(i.id, 0),
            recent_votes.get(i.id, 0),
            recent_comments.get(i.id, 0),
        )
        for i in ideas
    ]
    by_id = {idea.id: idea for idea in ideas}
    return [
        IdeaSummary(
            id=idea_id,
            title=by_id[idea_id].title,
            status=statuses[by_id[idea_id].status_id].key,
            status_kind=statuses[by_id[idea_id].status_id].kind,
            votes=votes.get(idea_id, 0),
            followers=followers.get(idea_id, 0),
            comments=comments.get(idea_id, 0),
            created_at=by_id[idea_id].created_at,
            moderation=by_id[idea_id].moderation,
            merged_into=by_id[idea_id].merged_into_id,
        )
        for idea_id in ordered(activity, order, moment)
    ]
