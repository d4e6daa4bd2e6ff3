"""What the idea board's pages read (``docs/community.md``): an idea with its history and
comments, the roadmap's columns, the changelog, and what a reader has voted for and follows.
The lines of the board itself come from ``idea_board.board``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from cxgap.community.statuses import check_kind, is_public
from cxgap.db.tables import (
    CommunityPerson,
    Idea,
    IdeaComment,
    IdeaFollower,
    IdeaStatus,
    IdeaStatusChange,
    IdeaTag,
    IdeaVote,
    Workspace,
)
from cxgap.services.idea_board import IdeaSummary, board
from cxgap.services.idea_statuses import idea_of, statuses_of, vote_count

ROADMAP_KINDS = ("planned", "started", "completed")


def status_names(session: Session, workspace: Workspace, locale: str) -> dict[str, str]:
    """Each status key's name in the reader's language."""
    return {
        row.key: row.name_fr if locale == "fr" else row.name_en
        for row in statuses_of(session, workspace)
    }


def tags_of(session: Session, workspace: Workspace, locale: str) -> list[tuple[str, str]]:
    rows = session.scalars(select(IdeaTag).where(IdeaTag.workspace_id == workspace.id))
    return [(t.key, t.name_fr if locale == "fr" else t.name_en) for t in rows]


@dataclass(frozen=True)
class Change:
    at: datetime
    status: str  # the new status's key
    message: str


@dataclass(frozen=True)
class Comment:
    at: datetime
    body: str
    by_team: bool
    author: str  # the person's display name, or "" (shown as "a customer" / "the team")


@dataclass(frozen=True)
class IdeaView:
    id: int
    title: str
    description: str
    status: str
    status_kind: str
    status_message: str
    votes: int
    created_at: datetime
    moderation: str
    merged_into: int | None
    author_id: int | None
    history: list[Change]
    comments: list[Comment]


def idea_view(session: Session, workspace: Workspace, idea_id: int) -> IdeaView:
    """One idea as its page shows it; NotFoundError for another workspace's or none."""
    idea = idea_of(session, workspace, idea_id)
    keys = {row.id: row for row in statuses_of(session, workspace)}
    changes = session.scalars(
        select(IdeaStatusChange)
        .where(IdeaStatusChange.idea_id == idea.id)
        .order_by(IdeaStatusChange.created_at, IdeaStatusChange.id)
    )
    comments = session.execute(
        select(IdeaComment, CommunityPerson.display_name)
        .outerjoin(CommunityPerson, CommunityPerson.id == IdeaComment.person_id)
        .where(IdeaComment.idea_id == idea.id)
        .order_by(IdeaComment.created_at, IdeaComment.id)
    )
    status = keys[idea.status_id]
    return IdeaView(
        id=idea.id,
        title=idea.title,
        description=idea.description,
        status=status.key,
        status_kind=status.kind,
        status_message=idea.status_message,
        votes=vote_count(session, idea.id),
        created_at=idea.created_at,
        moderation=idea.moderation,
        merged_into=idea.merged_into_id,
        author_id=idea.author_id,
        history=[Change(c.created_at, keys[c.to_status_id].key, c.message) for c in changes],
        comments=[
            Comment(c.created_at, c.body, c.user_id is not None, name or "") for c, name in comments
        ],
    )


def is_shown(view: IdeaView, kinds: dict[str, str]) -> bool:
    """Whether the public may read the idea's page (approved, its status on the board)."""
    return view.moderation == "approved" and is_public(check_kind(kinds[view.status]))


def roadmap(session: Session, workspace: Workspace) -> dict[str, list[IdeaSummary]]:
    """The roadmap's columns: planned, started, completed ideas, most voted first."""
    lines = board(session, workspace, order="most_voted")
    return {kind: [i for i in lines if i.status_kind == kind] for kind in ROADMAP_KINDS}


@dataclass(frozen=True)
class ChangelogEntry:
    idea_id: int
    title: str
    status: str
    message: str
    at: datetime


def changelog(session: Session, workspace: Workspace, limit: int = 100) -> list[ChangelogEntry]:
    """Completed ideas still on the board, with the team's message of their completion,
    newest first."""
    query = (
        select(Idea, IdeaStatus.key, IdeaStatusChange.message, IdeaStatusChange.created_at)
        .join(IdeaStatusChange, IdeaStatusChange.idea_id == Idea.id)
        .join(IdeaStatus, IdeaStatus.id == IdeaStatusChange.to_status_id)
        .where(
            Idea.workspace_id == workspace.id,
            Idea.moderation == "approved",
            Idea.status_id == IdeaStatusChange.to_status_id,
            IdeaStatus.kind == "completed",
        )
        .order_by(IdeaStatusChange.created_at.desc(), IdeaStatusChange.id.desc())
    )
    entries: list[ChangelogEntry] = []
    seen: set[int] = set()
    for idea, key, message, at in session.execute(query):
        if idea.id not in seen:  # the latest completion of each idea
            seen.add(idea.id)
            entries.append(ChangelogEntry(idea.id, idea.title, key, message, at))
    return entries[:limit]


def linked_ids(session: Session, person: CommunityPerson | None) -> tuple[set[int], set[int]]:
    """The ideas ``person`` voted for and those they follow."""
    if person is None:
        return set(), set()
    voted = set(session.scalars(select(IdeaVote.idea_id).where(IdeaVote.person_id == person.id)))
    followed = session.scalars(
        select(IdeaFollower.idea_id).where(IdeaFollower.person_id == person.id)
    )
    return voted, set(followed)


def similar_ideas(
    session: Session, workspace: Workspace, typed: str, limit: int = 5
) -> list[tuple[int, str]]:
    """The public board's ideas most like ``typed`` (``community.similar``): (id, title)."""
    from cxgap.community.similar import similar

    shown = {line.id for line in board(session, workspace, order="newest")}
    if not shown or not typed.strip():
        return []
    rows = session.execute(select(Idea.id, Idea.title, Idea.description).where(Idea.id.in_(shown)))
    texts = {idea_id: (title, f"{title}\n{description}") for idea_id, title, description in rows}
    matches = similar(typed, [(i, text) for i, (_, text) in texts.items()], limit=limit)
    return [(m.idea_id, texts[m.idea_id][0]) for m in matches]
