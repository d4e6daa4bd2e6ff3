"""What customers do on the idea board: post an idea, vote, follow, comment
(``docs/community.md``). The author votes for their own idea and follows it; a voter follows
what they voted for (they are told when its status changes, and can stop)."""

from __future__ import annotations

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from cxgap.community.statuses import check_kind, takes_votes
from cxgap.db.tables import (
    CommunityPerson,
    Idea,
    IdeaComment,
    IdeaFollower,
    IdeaStatus,
    IdeaVote,
    Workspace,
)
from cxgap.errors import ConflictError, FieldProblem, ValidationError
from cxgap.i18n import LOCALES
from cxgap.services import board_access
from cxgap.services.community_people import check_not_blocked
from cxgap.services.community_text import checked_text
from cxgap.services.idea_statuses import first_open, idea_of
from cxgap.services.workspaces import bump_revision
from cxgap.webhooks import store as webhooks

TITLE_MIN, TITLE_MAX = 5, 160
DESCRIPTION_MAX = 10_000
COMMENT_MAX = 5_000


def check_idea(title: str, description: str = "") -> list[FieldProblem]:
    """What is wrong with an idea's title and description, before anything is stored."""
    problems: list[FieldProblem] = []
    for field, value, low, high in (
        ("title", title, TITLE_MIN, TITLE_MAX),
        ("description", description, 0, DESCRIPTION_MAX),
    ):
        try:
            checked_text(field, value, low, high)
        except ValidationError as exc:
            problems.extend(exc.problems)
    return problems


def submit_idea(
    session: Session,
    *,
    workspace: Workspace,
    person: CommunityPerson,
    title: str,
    description: str = "",
    language: str = "en",
    pending: bool = False,
) -> Idea:
    """A new idea in the board's first open status; ``pending`` when the board moderates new
    ideas (it shows once approved). Its author votes for it and follows it."""
    check_not_blocked(person)
    board_access.check_open(session, workspace)
    first = first_open(session, workspace)
    idea = Idea(
        workspace_id=workspace.id,
        title=checked_text("title", title, TITLE_MIN, TITLE_MAX),
        description=checked_text("description", description, 0, DESCRIPTION_MAX),
        language=language if language in LOCALES else "en",
        status_id=first.id,
        author_id=person.id,
        moderation="pending" if pending else "approved",
    )
    session.add(idea)
    session.flush()
    session.add(IdeaVote(idea_id=idea.id, person_id=person.id))
    session.add(IdeaFollower(idea_id=idea.id, person_id=person.id))
    bump_revision(session, workspace.id)
    session.flush()
    data = {
        "idea": idea.id,
        "title": idea.title,
        "status": first.key,
        "moderation": idea.moderation,
        "language": idea.language,
    }
    webhooks.emit(session, workspace.id, "idea.created", data)
    return idea


def _open_for_votes(session: Session, idea: Idea) -> None:
    status = session.get(IdeaStatus, idea.status_id)
    closed = status is None or not takes_votes(check_kind(status.kind))
    if closed or idea.merged_into_id is not None or idea.moderation != "approved":
        raise ConflictError("This idea takes no more votes").keyed("community.error.closed")


def _linked(
    session: Session,
    table: type[IdeaVote] | type[IdeaFollower],
    idea: Idea,
    person: CommunityPerson,
) -> bool:
    found = session.scalar(
        select(table.id).where(table.idea_id == idea.id, table.person_id == person.id)
    )
    return found is not None


def vote(session: Session, *, workspace: Workspace, idea_id: int, person: CommunityPerson) -> bool:
    """``person`` votes for the idea (and follows it); False when they had already voted."""
    check_not_blocked(person)
    board_access.check_open(session, workspace)
    idea = idea_of(session, workspace, idea_id)
    _open_for_votes(session, idea)
    if _linked(session, IdeaVote, idea, person):
        return False
    session.add(IdeaVote(idea_id=idea.id, person_id=person.id))
    if not _linked(session, IdeaFollower, idea, person):
        session.add(IdeaFollower(idea_id=idea.id, person_id=person.id))
    session.flush()
    votes = session.scalar(select(func.count()).where(IdeaVote.idea_id == idea.id)) or 0
    data = {"idea": idea.id, "title": idea.title, "votes": votes}
    webhooks.emit(session, workspace.id, "idea.voted", data)
    return True


def unvote(
    session: Session, *, workspace: Workspace, idea_id: int, person: CommunityPerson
) -> bool:
    """Take a vote back (the person still follows the idea until they stop)."""
    board_access.check_open(session, workspace)
    idea = idea_of(session, workspace, idea_id)
    result = session.execute(
        delete(IdeaVote).where(IdeaVote.idea_id == idea.id, IdeaVote.person_id == person.id)
    )
    return bool(getattr(result, "rowcount", 0))


def follow(
    session: Session,
    *,
    workspace: Workspace,
    idea_id: int,
    person: CommunityPerson,
    on: bool = True,
) -> None:
    """Start (``on``) or stop following an idea."""
    idea = idea_of(session, workspace, idea_id)
    linked = _linked(session, IdeaFollower, idea, person)
    if on and not linked:
        session.add(IdeaFollower(idea_id=idea.id, person_id=person.id))
    elif not on and linked:
        session.execute(
            delete(IdeaFollower).where(
                IdeaFollower.idea_id == idea.id, IdeaFollower.person_id == person.id
            )
        )
    session.flush()


def comment(
    session: Session,
    *,
    workspace: Workspace,
    idea_id: int,
    body: str,
    person: CommunityPerson | None = None,
    user_id: int | None = None,
) -> IdeaComment:
    """A comment by a customer (``person``, who then follows the idea) or by a team member."""
    if person is not None:
        check_not_blocked(person)
        board_access.check_open(session, workspace)  # the team may still answer
    idea = idea_of(session, workspace, idea_id)
    row = IdeaComment(
        idea_id=idea.id,
        person_id=None if person is None else person.id,
        user_id=user_id,
        body=checked_text("body", body, 1, COMMENT_MAX),
    )
    session.add(row)
    if person is not None and not _linked(session, IdeaFollower, idea, person):
        session.add(IdeaFollower(idea_id=idea.id, person_id=person.id))
    session.flush()
    return row
