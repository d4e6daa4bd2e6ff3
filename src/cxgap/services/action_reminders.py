"""Reminders of action plans: owners (and the members of the action's team) are told a few
days before the due date (a workspace setting, 3 by default) and when it is past (then once a
week), each stage once per due date; the ``action.due_soon`` and ``action.overdue`` webhooks
fire with them. The ``action_reminders`` job (jobs/action_reminders.py) runs this daily and
sends the letters."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from cxgap.db.tables import ActionRow, ActionSetting, TeamMember, User, Workspace
from cxgap.mail import Letter
from cxgap.mail.message import long_date, render_letter
from cxgap.services import action_checks as check
from cxgap.services.action_gaps import today_of
from cxgap.webhooks import store as webhooks

DEFAULT_DAYS = 3
MAX_DAYS = 60
OVERDUE_EVERY = timedelta(days=7)
STAGES = ("due_soon", "overdue")


@dataclass(frozen=True)
class Reminder:
    action: ActionRow
    stage: str  # due_soon | overdue
    days: int  # days left (due_soon) or days late (overdue)


def days_before(session: Session, workspace_id: int) -> int:
    row = session.get(ActionSetting, workspace_id)
    return DEFAULT_DAYS if row is None else row.remind_days_before


def set_days_before(session: Session, workspace: Workspace, days: int) -> None:
    if not 0 <= days <= MAX_DAYS:
        raise check.refuse("remind_days_before", f"must be a whole number from 0 to {MAX_DAYS}",
                           days, "range", low=0, high=MAX_DAYS)  # fmt: skip
    row = session.get(ActionSetting, workspace.id)
    if row is None:
        session.add(ActionSetting(workspace_id=workspace.id, remind_days_before=days))
    else:
        row.remind_days_before = days
    session.flush()


def stage_of(action: ActionRow, today: date, days: int, now: datetime) -> Reminder | None:
    """The reminder due for ``action`` today, None when none is (or it was sent)."""
    due = action.due_date
    if due is None or action.status in check.CLOSED:
        return None
    sent = action.reminded_stage if action.reminded_due == due else None
    if due < today:
        last = action.reminded_at
        if sent == "overdue" and last is not None and now - last < OVERDUE_EVERY:
            return None
        return Reminder(action, "overdue", (today - due).days)
    if (due - today).days <= days and sent is None:
        return Reminder(action, "due_soon", (due - today).days)
    return None


def due_reminders(session: Session, workspace: Workspace, now: datetime) -> list[Reminder]:
    today = today_of(session, workspace, now)
    days = days_before(session, workspace.id)
    query = select(ActionRow).where(
        ActionRow.workspace_id == workspace.id,
        ActionRow.status.not_in(check.CLOSED),
        ActionRow.due_date.is_not(None),
        ActionRow.due_date <= today + timedelta(days=days),
    )
    found = (stage_of(a, today, days, now) for a in session.scalars(query.order_by(ActionRow.id)))
    return [r for r in found if r is not None]


def recipients(session: Session, action: ActionRow) -> list[User]:
    """The owner, then the members of the action's team (each once)."""
    ids: list[int] = [] if action.owner_id is None else [action.owner_id]
    if action.team_id is not None:
        members = select(TeamMember.user_id).where(TeamMember.team_id == action.team_id)
        ids += [i for i in session.scalars(members.order_by(TeamMember.user_id)) if i not in ids]
    users = {u.id: u for u in session.scalars(select(User).where(User.id.in_(ids)))}
    return [users[i] for i in ids if i in users]


def letters_for(session: Session, workspace: Workspace, reminder: Reminder) -> list[Letter]:
    action = reminder.action
    due = action.due_date
    letters = []
    for user in recipients(session, action):
        locale = user.locale or "en"
        shown = long_date(datetime(due.year, due.month, due.day), locale) if due else ""
        letter = render_letter(
            f"action_{reminder.stage}", to=user.email, locale=locale, title=action.title,
            workspace=workspace.name, days=reminder.days, due=shown,
            path=f"/w/{workspace.key}/actions/{action.id}",
        )  # fmt: skip
        letters.append(letter)
    return letters


def remind(session: Session, workspace: Workspace, now: datetime) -> list[Letter]:
    """Mark today's reminders of the workspace sent, fire their webhooks, and return the
    letters to send (the caller sends them once this transaction commits)."""
    letters: list[Letter] = []
    for reminder in due_reminders(session, workspace, now):
        action = reminder.action
        action.reminded_stage, action.reminded_due = reminder.stage, action.due_date
        action.reminded_at = now
        data = {
            "action": action.id,
            "title": action.title,
            "due_date": action.due_date.isoformat() if action.due_date else None,
            "days": reminder.days,
        }
        webhooks.emit(session, workspace.id, f"action.{reminder.stage}", data)
        letters += letters_for(session, workspace, reminder)
    session.flush()
    return letters


def remind_all(session: Session, now: datetime) -> list[Letter]:
    """:func:`remind` for every workspace that has an open action with a due date."""
    with_actions = select(ActionRow.workspace_id).where(
        ActionRow.status.not_in(check.CLOSED), ActionRow.due_date.is_not(None)
    )
    ids = sorted(set(session.scalars(with_actions)))
    letters: list[Letter] = []
    for workspace in session.scalars(select(Workspace).where(Workspace.id.in_(ids))):
        letters += remind(session, workspace, now)
    return letters
