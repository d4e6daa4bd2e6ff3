"""What each action was on a given day: its status, start and due dates then.

Every change of an action's status, start date or due date adds a row to ``action_states``
(:func:`record_state`, called by ``services.action_plans``); the action gap of a past period
(``services.action_gaps`` with ``as_of``) reads the last row at or before the end of that
day in the workspace's time zone (:func:`actions_as_of`). An action created after that day
did not exist then and is left out. An action with no row at all (written before revision
0043 without an audit trail, or by hand in the database) is read as it is now since its
creation. Its subject and target metric are read as they are now (they are not kept).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from cxgap.db.tables import ActionRow, ActionState
from cxgap.services.case_sla import zone_of

_COPIED = (
    "id", "workspace_id", "title", "description", "subject_kind", "subject_key", "owner_id",
    "team_id", "progress", "metric", "metric_pillar", "metric_topic", "metric_touchpoint",
    "metric_segment", "created_at", "updated_at",
)  # fmt: skip


def record_state(session: Session, action: ActionRow, at: datetime) -> None:
    """The action's present status and dates, from ``at`` on (a no-op when the last row
    already says so)."""
    last = session.scalars(
        select(ActionState)
        .where(ActionState.action_id == action.id)
        .order_by(ActionState.at.desc(), ActionState.id.desc())
        .limit(1)
    ).first()
    state = (action.status, action.start_date, action.due_date)
    if last is not None and (last.status, last.start_date, last.due_date) == state:
        return
    session.add(
        ActionState(
            action_id=action.id, at=at, status=action.status,
            start_date=action.start_date, due_date=action.due_date,
        )
    )  # fmt: skip
    session.flush()


def replace_history(
    session: Session, action: ActionRow, states: Sequence[tuple[datetime, str]]
) -> None:
    """Rewrite an action's history as ``(from, status)`` steps, its dates as they are now, and
    its creation at the first step (the demo's actions, planned months ago)."""
    for row in session.scalars(select(ActionState).where(ActionState.action_id == action.id)):
        session.delete(row)
    session.flush()
    for at, status in states:
        dates = {"start_date": action.start_date, "due_date": action.due_date}
        session.add(ActionState(action_id=action.id, at=at, status=status, **dates))
    if states:
        action.created_at = states[0][0]
    session.flush()


def end_of_day(session: Session, workspace_id: int, day: date) -> datetime:
    """The first moment after ``day`` in the workspace's time zone."""
    zone = zone_of(session, workspace_id)
    return datetime.combine(day + timedelta(days=1), time(), tzinfo=zone)


def _snapshot(action: ActionRow, state: ActionState | None) -> ActionRow:
    """A detached copy of ``action`` with the status and dates of ``state`` (never added to
    the session: nothing of it is written)."""
    copy = ActionRow(**{name: getattr(action, name) for name in _COPIED})
    source: ActionRow | ActionState = action if state is None else state
    copy.status = source.status
    copy.start_date, copy.due_date = source.start_date, source.due_date
    return copy


def actions_as_of(
    session: Session, workspace_id: int, actions: Iterable[ActionRow], day: date
) -> list[ActionRow]:
    """The actions that existed at the end of ``day``, each as it was then (detached copies);
    the order kept."""
    rows = list(actions)
    if not rows:
        return []
    until = end_of_day(session, workspace_id, day)
    states: dict[int, list[ActionState]] = {}
    query = (
        select(ActionState)
        .where(ActionState.action_id.in_([a.id for a in rows]))
        .order_by(ActionState.at, ActionState.id)
    )
    for state in session.scalars(query):
        states.setdefault(state.action_id, []).append(state)
    found = []
    for action in rows:
        history = states.get(action.id)
        if history is None:
            if action.created_at < until:
                found.append(_snapshot(action, None))
            continue
        then = [s for s in history if s.at < until]
        if then:
            found.append(_snapshot(action, then[-1]))
    return found
