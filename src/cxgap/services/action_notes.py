"""An action's steps (sub-actions: a title, an owner, a due date, done or not) and its
comments (never edited). Adding either marks the action updated."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from cxgap.db.tables import ActionComment, ActionRow, ActionStep
from cxgap.errors import NotFoundError
from cxgap.services import action_checks as check
from cxgap.services.action_plans import now_utc

MAX_COMMENT = 20_000


def add_step(
    session: Session,
    *,
    action: ActionRow,
    title: str,
    owner: str | None = None,
    due_date: str | date | None = None,
    actor_id: int | None = None,
) -> ActionStep:
    clean = check.text("title", title, check.MAX_TITLE, required=True)
    owner_id = check.member(session, action.workspace_id, "owner", owner).id if owner else None
    due = check.day("due_date", due_date)
    last = session.scalar(
        select(func.max(ActionStep.position)).where(ActionStep.action_id == action.id)
    )
    step = ActionStep(
        action_id=action.id, position=(last or 0) + 1, title=clean, owner_id=owner_id,
        due_date=due, done=False, created_at=now_utc(),
    )  # fmt: skip
    session.add(step)
    action.updated_at, action.updated_by_id = now_utc(), actor_id
    session.flush()
    return step


def step_of(session: Session, action: ActionRow, step_id: int) -> ActionStep:
    step = session.get(ActionStep, step_id)
    if step is None or step.action_id != action.id:
        raise NotFoundError(f"No step {step_id} in action {action.id}")
    return step


def set_step_done(
    session: Session, *, action: ActionRow, step_id: int, done: bool, actor_id: int | None
) -> ActionStep:
    step = step_of(session, action, step_id)
    if step.done != done:
        step.done, step.done_at = done, (now_utc() if done else None)
        action.updated_at, action.updated_by_id = now_utc(), actor_id
        session.flush()
    return step


def steps_of(session: Session, action: ActionRow) -> list[ActionStep]:
    query = select(ActionStep).where(ActionStep.action_id == action.id)
    return list(session.scalars(query.order_by(ActionStep.position, ActionStep.id)))


def add_comment(
    session: Session, *, action: ActionRow, body: str, author_id: int | None
) -> ActionComment:
    clean = check.text("body", body, MAX_COMMENT, required=True)
    comment = ActionComment(action_id=action.id, author_id=author_id, body=clean, at=now_utc())
    session.add(comment)
    action.updated_at = comment.at
    session.flush()
    return comment


def comments_of(session: Session, action: ActionRow) -> list[ActionComment]:
    query = select(ActionComment).where(ActionComment.action_id == action.id)
    return list(session.scalars(query.order_by(ActionComment.at, ActionComment.id)))
