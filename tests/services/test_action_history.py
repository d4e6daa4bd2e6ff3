"""The action gap as of a past day reads each action as it was then: created or not yet, its
status and due date then (kept in ``action_states`` on every change), its lateness on that
day; SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import select

from cxgap.db.tables import ActionState
from cxgap.impact.gap import ActionGapStatus, Moved
from cxgap.services import action_gaps, action_plans
from cxgap.services.core import Cxgap
from tests.factories import make_workspace


def _at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 10, tzinfo=UTC)


def test_a_past_day_sees_the_status_and_due_date_of_then(cx: Cxgap) -> None:
    with cx.transaction() as session:
        workspace = make_workspace(session)
        values = {
            "title": "Book the slot with the customer", "subject_kind": "touchpoint",
            "subject_key": "delivery", "status": "in_progress", "due_date": date(2026, 6, 30),
        }  # fmt: skip
        action = action_plans.create_action(
            session, workspace=workspace, values=values, actor_id=None
        )
        action_plans.update_action(
            session, action=action, values={"due_date": date(2026, 9, 30)}, actor_id=None
        )
        action_plans.set_status(session, action=action, status="done", actor_id=None)
        action_plans.set_status(session, action=action, status="done", actor_id=None)  # no-op
        states = list(
            session.scalars(select(ActionState).where(ActionState.action_id == action.id))
        )
        assert [(s.status, s.due_date) for s in states] == [
            ("in_progress", date(2026, 6, 30)),
            ("in_progress", date(2026, 9, 30)),
            ("done", date(2026, 9, 30)),
        ]
        # Planned on 1 May, due date moved on 10 July, done on 20 October.
        days = (date(2026, 5, 1), date(2026, 7, 10), date(2026, 10, 20))
        for state, day in zip(states, days, strict=True):
            state.at = _at(day)
        action.created_at = _at(date(2026, 5, 1))
        session.flush()

        def gap(day: date | None) -> tuple[ActionGapStatus, int, int]:
            rows = action_gaps.actions_about(session, workspace, "touchpoint", "delivery", day)
            today = day or date(2026, 12, 1)
            g = action_gaps.gap_of(rows, "touchpoint", "delivery", lambda a: Moved.NO_CHANGE, today)
            return g.status, g.actions, g.late

        assert gap(date(2026, 4, 30)) == (ActionGapStatus.NO_ACTION, 0, 0)  # not planned yet
        assert gap(date(2026, 6, 15)) == (ActionGapStatus.NOT_WORKING, 1, 0)
        assert gap(date(2026, 7, 5)) == (ActionGapStatus.LATE, 1, 1)  # past 30 June then
        assert gap(date(2026, 7, 15)) == (ActionGapStatus.NOT_WORKING, 1, 0)  # moved to Sept.
        assert gap(date(2026, 10, 5)) == (ActionGapStatus.LATE, 1, 1)
        assert gap(date(2026, 10, 25)) == (ActionGapStatus.NOT_WORKING, 1, 0)  # done
        assert gap(None) == (ActionGapStatus.NOT_WORKING, 1, 0)
        # Cancelled later: still counted on a day before it was.
        action_plans.set_status(session, action=action, status="cancelled", actor_id=None)
        assert gap(None) == (ActionGapStatus.NO_ACTION, 0, 0)
        assert gap(date(2026, 10, 25)) == (ActionGapStatus.NOT_WORKING, 1, 0)
        # Nothing of the copies read for a past day was written back.
        assert action.status == "cancelled" and action.due_date == date(2026, 9, 30)
