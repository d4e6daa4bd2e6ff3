"""A board's statuses and the team's moves of an idea between them: a status change with
its message (recorded for the changelog and the followers' notifications) and the merge of a
duplicate into its original (``docs/community.md``)."""

from __future__ import annotations

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from cxgap.community.statuses import DEFAULT_STATUSES, StatusSpec, check_kind
from cxgap.db.tables import (
    Idea,
    IdeaFollower,
    IdeaStatus,
    IdeaStatusChange,
    IdeaVote,
    Workspace,
)
from cxgap.errors import ConflictError, FieldProblem, NotFoundError, ValidationError
from cxgap.services.idea_notifications import queue_status_change
from cxgap.services.workspaces import bump_revision
from cxgap.webhooks import store as webhooks

MESSAGE_LIMIT = 5_000


def statuses_of(session: Session, workspace: Workspace) -> list[IdeaStatus]:
    """The board's statuses in their order; the defaults are created on first use."""
    query = (
        select(IdeaStatus)
        .where(IdeaStatus.workspace_id == workspace.id)
        .order_by(IdeaStatus.position, IdeaStatus.id)
    )
    found = list(session.scalars(query))
    if found:
        return found
    for position, spec in enumerate(DEFAULT_STATUSES):
        session.add(_row(workspace, spec, position))
    session.flush()
    return list(session.scalars(query))


def _row(workspace: Workspace, spec: StatusSpec, position: int) -> IdeaStatus:
    return IdeaStatus(
        workspace_id=workspace.id,
        key=spec.key,
        kind=spec.kind,
        name_en=spec.name_en,
        name_fr=spec.name_fr,
        position=position,
    )


def add_status(session: Session, *, workspace: Workspace, spec: StatusSpec) -> IdeaStatus:
    """A status the team adds to its board (after the others)."""
    existing = statuses_of(session, workspace)
    if any(row.key == spec.key for row in existing):
        raise ConflictError(f"Status {spec.key!r} already exists").keyed(
            "community.error.status_taken", key=spec.key
        )
    row = _row(workspace, spec, max(row.position for row in existing) + 1)
    session.add(row)
    session.flush()
    return row


def status_by_key(session: Session, workspace: Workspace, key: str) -> IdeaStatus:
    """The board's status ``key``, or an error naming it and the statuses there are."""
    rows = statuses_of(session, workspace)
    for row in rows:
        if row.key == key:
            return row
    allowed = ", ".join(row.key for row in rows)
    problem = FieldProblem(
        "status", f"must be one of {allowed}", key, code="choice_of", params={"allowed": allowed}
    )
    raise ValidationError([problem], summary="Unknown status")


def first_open(session: Session, workspace: Workspace) -> IdeaStatus:
    """Where a new idea starts: the board's first status of kind ``open``."""
    for row in statuses_of(session, workspace):
        if row.kind == "open":
            return row
    raise ConflictError("The board has no status of kind 'open'").keyed(
        "community.error.no_open_status"
    )


def idea_of(session: Session, workspace: Workspace, idea_id: int) -> Idea:
    idea = session.get(Idea, idea_id)
    if idea is None or idea.workspace_id != workspace.id:
        raise NotFoundError(f"No idea {idea_id} in workspace {workspace.key!r}").keyed(
            "community.error.no_idea", id=idea_id
        )
    return idea


def _message(text: str) -> str:
    clean = text.strip()
    if len(clean) > MESSAGE_LIMIT:
        problem = FieldProblem(
            "message", "is too long", code="too_long", params={"limit": MESSAGE_LIMIT}
        )
        raise ValidationError([problem], summary="Invalid message")
    return clean


def change_status(
    session: Session,
    *,
    workspace: Workspace,
    idea_id: int,
    status: str,
    message: str = "",
    user_id: int | None = None,
    base_url: str = "",
) -> IdeaStatusChange:
    """Move an idea to ``status`` with the team's ``message``; the change is recorded (the
    changelog reads it) and its followers are sent an e-mail about it (queued here, in the
    same transaction; ``base_url``: where its links point). Moving to a ``duplicate`` status
    goes through ``merge_idea``, which names the original."""
    idea = idea_of(session, workspace, idea_id)
    target = status_by_key(session, workspace, status)
    if check_kind(target.kind) == "duplicate":
        problem = FieldProblem(
            "status",
            "is set by merging the idea into its original",
            status,
            code="status_duplicate",
        )
        raise ValidationError([problem], summary="Merge instead")
    return _record(session, workspace, idea, target, _message(message), user_id, base_url)


def _record(
    session: Session,
    workspace: Workspace,
    idea: Idea,
    target: IdeaStatus,
    message: str,
    user_id: int | None,
    base_url: str,
) -> IdeaStatusChange:
    before = session.get(IdeaStatus, idea.status_id)
    change = IdeaStatusChange(
        idea_id=idea.id,
        from_status_id=idea.status_id,
        to_status_id=target.id,
        message=message,
        user_id=user_id,
    )
    session.add(change)
    session.flush()
    idea.status_id, idea.status_message = target.id, message
    idea.status_changed_at = change.created_at
    bump_revision(session, workspace.id)
    session.flush()
    queue_status_change(session, change, base_url)
    data = {
        "idea": idea.id,
        "title": idea.title,
        "before": None if before is None else before.key,
        "after": target.key,
        "message": message,
    }
    webhooks.emit(session, workspace.id, "idea.status_changed", data)
    return change


def merge_idea(
    session: Session,
    *,
    workspace: Workspace,
    idea_id: int,
    into_id: int,
    message: str = "",
    user_id: int | None = None,
    base_url: str = "",
) -> IdeaStatusChange:
    """Merge a duplicate into its original: its followers are told (by e-mail, naming the
    original), its voters and followers become the original's (once each), it takes the
    board's ``duplicate`` status and leaves the board."""
    idea, original = idea_of(session, workspace, idea_id), idea_of(session, workspace, into_id)
    if original.id == idea.id or original.merged_into_id is not None:
        problem = FieldProblem(
            "into", "must be another idea still on the board", into_id, code="merge_target"
        )
        raise ValidationError([problem], summary="Invalid merge")
    duplicate = next(
        (row for row in statuses_of(session, workspace) if row.kind == "duplicate"), None
    )
    if duplicate is None:
        raise ConflictError("The board has no status of kind 'duplicate'").keyed(
            "community.error.no_duplicate_status"
        )
    idea.merged_into_id = original.id
    session.execute(
        update(Idea).where(Idea.merged_into_id == idea.id).values(merged_into_id=original.id)
    )
    change = _record(session, workspace, idea, duplicate, _message(message), user_id, base_url)
    for table in (IdeaVote, IdeaFollower):
        _move(session, table, idea.id, original.id)
    return change


def _move(
    session: Session, table: type[IdeaVote] | type[IdeaFollower], source: int, target: int
) -> None:
    """Give ``target`` the people of ``source`` it does not have yet, and empty ``source``."""
    already = select(table.person_id).where(table.idea_id == target)
    session.execute(
        update(table)
        .where(table.idea_id == source, table.person_id.not_in(already))
        .values(idea_id=target)
    )
    session.execute(delete(table).where(table.idea_id == source))


def vote_count(session: Session, idea_id: int) -> int:
    return session.scalar(select(func.count()).where(IdeaVote.idea_id == idea_id)) or 0
