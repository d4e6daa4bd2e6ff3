"""Action plans: creating, editing, the status and its audit trail and webhook, the list's
filters, lateness in the workspace's time zone, steps, comments and the action gap; on both
backends."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from cxgap.db.tables import ActionRow, AuditEvent, WebhookDelivery
from cxgap.errors import NotFoundError, ValidationError
from cxgap.impact.gap import ActionGapStatus, Moved
from cxgap.impact.target import Metric, MetricTarget
from cxgap.services import action_gaps, action_notes, action_plans, teams
from cxgap.services.action_plans import ActionFilter
from cxgap.services.core import Cxgap
from cxgap.services.taxonomy import ensure_taxonomy
from cxgap.services.workspaces import get_workspace
from cxgap.webhooks.store import add_webhook
from tests.factories import make_user, make_workspace


@pytest.fixture
def acme(cx: Cxgap) -> Cxgap:
    with cx.transaction() as session:
        workspace = make_workspace(session)
        make_user(session, "ana@example.com", workspace=workspace, role="analyst")
        make_user(session, "bob@example.com", workspace=workspace, role="viewer")
        make_user(session, "eve@example.com")  # not a member
        teams.create_team(session, workspace=workspace, key="care", name="Customer care")
        ensure_taxonomy(session, workspace)  # the default topics: delivery, billing…
        add_webhook(session, workspace=workspace, url="https://hooks.example.com/a",
                    events=["action.status_changed"])  # fmt: skip
    return cx


def ana_id(session: Session) -> int:
    from cxgap.db.tables import User

    return session.scalars(select(User.id).where(User.email == "ana@example.com")).one()


def create(session: Session, **values: object) -> ActionRow:
    workspace = get_workspace(session, "acme")
    fields = {"title": "Call back every detractor", **values}
    return action_plans.create_action(
        session, workspace=workspace, values=fields, actor_id=ana_id(session)
    )


def refused(session: Session, **values: object) -> tuple[str, str | None, str | None]:
    with pytest.raises(ValidationError) as caught:
        create(session, **values)
    problem = caught.value.problems[0]
    value = None if problem.value is None else str(problem.value)
    return problem.field, value, problem.code


def test_an_action_keeps_its_subject_owner_team_dates_and_target(acme: Cxgap) -> None:
    with acme.transaction() as session:
        action = create(
            session, subject_kind="pillar", subject_key="service", owner="ANA@example.com",
            team="care", start_date="2026-03-01", due_date="2026-06-30",
            metric="topic_negative_share", topic="delivery", segment="pro",
            description="  Within 48 hours.  ",
        )  # fmt: skip
        assert (action.subject_kind, action.subject_key) == ("pillar", "service")
        assert action.status == "not_started" and action.progress == 0
        assert action.description == "Within 48 hours."
        assert action_plans.target_of(action) == MetricTarget(
            Metric.TOPIC_NEGATIVE_SHARE, topic="delivery", segment="pro"
        )
        events = session.scalars(select(AuditEvent.action)).all()
        assert "action.created" in events


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ({"title": "  "}, ("title", "  ", "required")),
        ({"owner": "eve@example.com"}, ("owner", "eve@example.com", "not_member")),
        ({"team": "sales"}, ("team", "sales", "action_unknown_key")),
        ({"subject_kind": "shop", "subject_key": "x"}, ("subject_kind", "shop", "choice")),
        ({"subject_kind": "pillar", "subject_key": "speed"},
         ("subject_key", "speed", "action_unknown_key")),
        ({"subject_key": "service"}, ("subject_kind", "service", "required")),
        ({"start_date": "2026-05-01", "due_date": "2026-04-30"},
         ("due_date", "2026-04-30", "action_due_before_start")),
        ({"due_date": "30/04/2026"}, ("due_date", "30/04/2026", "day")),
        ({"progress": 101}, ("progress", "101", "range")),
        ({"progress": "half"}, ("progress", "half", "range")),
        ({"status": "paused"}, ("status", "paused", "choice")),
        ({"metric": "nps", "topic": "delivery"}, ("topic", "delivery", "unknown_column")),
        ({"metric": "pillar", "pillar": "speed"}, ("pillar", "speed", "action_unknown_key")),
        ({"metric": "topic_negative_share", "topic": "delivery", "segment": "vip"},
         ("segment", "vip", "action_unknown_key")),
    ],
)  # fmt: skip
def test_a_refusal_names_the_field_and_the_value(
    acme: Cxgap, values: dict[str, object], expected: tuple[str, str, str]
) -> None:
    with acme.transaction() as session:
        assert refused(session, **values) == expected
        assert session.scalars(select(ActionRow)).all() == []


def test_done_sets_the_progress_to_100_audits_and_fires_the_webhook(acme: Cxgap) -> None:
    with acme.transaction() as session:
        action = create(session, progress=40)
        changed = action_plans.update_action(
            session, action=action, values={"status": "done", "title": "Call back"}, actor_id=None
        )
        assert changed == ["title", "status"]
        assert action.status == "done" and action.progress == 100
        assert not action_plans.set_status(session, action=action, status="done", actor_id=None)
        rows = session.scalars(select(AuditEvent).order_by(AuditEvent.id)).all()
        assert [r.action for r in rows] == [
            "action.created",
            "action.updated",
            "action.status_changed",
        ]
        assert rows[-1].details == {"before": "not_started", "after": "done"}
        assert rows[-1].target_type == "action" and rows[-1].target_id == str(action.id)
        hooks = session.scalars(select(WebhookDelivery)).all()
        assert [h.event for h in hooks] == ["action.status_changed"]
        assert hooks[0].payload["data"] == {
            "action": action.id, "title": "Call back", "before": "not_started", "after": "done",
        }  # fmt: skip


def test_an_edit_leaves_the_fields_not_given_and_can_clear_the_target(acme: Cxgap) -> None:
    with acme.transaction() as session:
        action = create(session, metric="nps", owner="ana@example.com", due_date="2026-05-01")
        changed = action_plans.update_action(
            session, action=action, values={"metric": ""}, actor_id=None
        )
        assert changed == ["metric"] and action.metric is None
        assert action.owner_id == ana_id(session) and action.due_date == date(2026, 5, 1)
        with pytest.raises(ValidationError):  # the new due date before the kept start
            action_plans.update_action(
                session, action=action, values={"start_date": "2026-06-01"}, actor_id=None
            )


def test_the_list_filters_by_status_owner_team_subject_and_lateness(acme: Cxgap) -> None:
    with acme.transaction() as session:
        workspace = get_workspace(session, "acme")
        late = create(session, title="Late", due_date="2026-03-01", status="in_progress",
                      owner="ana@example.com")  # fmt: skip
        create(session, title="Done late", due_date="2026-03-05", status="done", team="care")
        create(session, title="Topic", subject_kind="topic", subject_key="delivery")

        def titles(**asked: object) -> list[str]:
            rows = action_plans.list_actions(session, workspace, ActionFilter(**asked))  # type: ignore[arg-type]
            return [a.title for a in rows]

        assert titles() == ["Late", "Done late", "Topic"]  # nearest due first, none last
        assert titles(statuses=("done",)) == ["Done late"]
        assert titles(owner_id=late.owner_id) == ["Late"]
        care = teams.team_members(session, workspace=workspace, team_key="care")[0]
        assert titles(team_id=care.id) == ["Done late"]
        assert titles(subject_kind="topic", subject_key="delivery") == ["Topic"]
        assert titles(late_on=date(2026, 3, 9)) == ["Late"]
        assert titles(late_on=date(2026, 3, 1)) == []


def test_late_is_judged_on_the_day_of_the_workspace_time_zone(acme: Cxgap) -> None:
    with acme.transaction() as session:
        workspace = get_workspace(session, "acme")
        action = create(session, due_date="2026-03-01")
        # 23:30 UTC on the 1st is already the 2nd in Paris (the default calendar's zone).
        today = action_gaps.today_of(session, workspace, datetime(2026, 3, 1, 23, 30, tzinfo=UTC))
        assert today == date(2026, 3, 2) and action_gaps.is_late(action, today)
        early = action_gaps.today_of(session, workspace, datetime(2026, 3, 1, 22, 30, tzinfo=UTC))
        assert early == date(2026, 3, 1) and not action_gaps.is_late(action, early)
        action_plans.set_status(session, action=action, status="cancelled", actor_id=None)
        assert not action_gaps.is_late(action, today)


def test_steps_and_comments(acme: Cxgap) -> None:
    with acme.transaction() as session:
        action = create(session)
        first = action_notes.add_step(
            session, action=action, title="Script", owner="ana@example.com", due_date="2026-04-01"
        )
        action_notes.add_step(session, action=action, title="Train the team")
        action_notes.set_step_done(
            session, action=action, step_id=first.id, done=True, actor_id=None
        )
        steps = action_notes.steps_of(session, action)
        assert [(s.title, s.done, s.position) for s in steps] == [
            ("Script", True, 1),
            ("Train the team", False, 2),
        ]
        assert steps[0].done_at is not None
        with pytest.raises(ValidationError):
            action_notes.add_step(session, action=action, title="X", owner="eve@example.com")
        with pytest.raises(NotFoundError):
            action_notes.set_step_done(
                session, action=action, step_id=9999, done=True, actor_id=None
            )
        action_notes.add_comment(
            session, action=action, body="Started in Lyon.", author_id=ana_id(session)
        )
        with pytest.raises(ValidationError):
            action_notes.add_comment(session, action=action, body=" ", author_id=None)
        assert [c.body for c in action_notes.comments_of(session, action)] == ["Started in Lyon."]


def test_an_action_of_another_workspace_is_not_found(acme: Cxgap) -> None:
    with acme.transaction() as session:
        action = create(session)
        other = make_workspace(session, key="other", name="Other")
        with pytest.raises(NotFoundError):
            action_plans.get_action(session, other, action.id)


def test_the_gap_of_a_subject_counts_its_actions_lateness_and_best_outcome(acme: Cxgap) -> None:
    with acme.transaction() as session:
        workspace = get_workspace(session, "acme")
        tied = create(session, subject_kind="topic", subject_key="delivery", due_date="2026-03-01")
        measured = create(session, metric="topic_negative_share", topic="delivery")
        create(session, subject_kind="topic", subject_key="delivery", status="cancelled")
        create(session, subject_kind="pillar", subject_key="service")
        about = action_gaps.actions_about(session, workspace, "topic", "delivery")
        assert [a.id for a in about] == [tied.id, measured.id]
        outcomes = {tied.id: Moved.NO_CHANGE, measured.id: Moved.BETTER}
        gap = action_gaps.gap_of(
            about, "topic", "delivery", lambda a: outcomes[a.id], date(2026, 3, 2)
        )
        assert (gap.actions, gap.late, gap.moved) == (2, 1, Moved.BETTER)
        # one of them is late: the subject shows late, its best outcome still "better"
        assert gap.status is ActionGapStatus.LATE
        on_time = action_gaps.gap_of(
            about, "topic", "delivery", lambda a: outcomes[a.id], date(2026, 1, 2)
        )
        assert (on_time.late, on_time.status) == (0, ActionGapStatus.WORKING)
        none = action_gaps.gap_of([], "pillar", "content", lambda a: Moved.BETTER, date(2026, 3, 2))
        assert none.status is ActionGapStatus.NO_ACTION
        # No survey answers and no feedback: no priority pillar and no irritant yet.
        assert action_gaps.action_gaps(session, workspace, outcome=lambda a: Moved.BETTER) == []
