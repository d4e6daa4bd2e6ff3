"""Reminders of action plans: the owner and the team's members are e-mailed before the due
date and when it is past, in their language, through a real SMTP server on loopback; each
stage once per due date (overdue again after a week), with the webhooks."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from cxgap.db.tables import ActionRow, Job, User, WebhookDelivery
from cxgap.jobs import action_reminders
from cxgap.jobs.runner import JobContext
from cxgap.jobs.schedule import ACTION_REMINDERS, Scheduler, periodic_tasks
from cxgap.jobs.worker import Worker
from cxgap.mail.message import long_date
from cxgap.services import action_plans, teams
from cxgap.services import action_reminders as reminders
from cxgap.services.action_gaps import today_of
from cxgap.services.core import Cxgap
from cxgap.services.workspaces import get_workspace
from cxgap.webhooks.store import add_webhook
from tests.factories import make_user, make_workspace
from tests.smtp_server import SmtpServer, smtp_server

__all__ = ["smtp_server"]


def _worker(cx: Cxgap) -> Worker:
    kinds = {ACTION_REMINDERS: action_reminders.KIND}
    tasks = tuple(t for t in periodic_tasks() if t.name == ACTION_REMINDERS)
    context = JobContext(cx.sessions, cx.settings.data_dir, kinds=kinds, settings=cx.settings)
    return Worker(context, scheduler=Scheduler(cx.sessions, tasks))


def _plan(cx: Cxgap) -> date:
    """Lea (French) owns an action due in 2 days; Sam's team (Sam, English, and Lea) one due
    yesterday; one far away and one done late are never reminded."""
    with cx.transaction() as session:
        workspace = make_workspace(session)
        make_user(session, "lea@example.com", workspace=workspace)
        make_user(session, "sam@example.com", workspace=workspace)
        session.scalars(select(User).where(User.email == "lea@example.com")).one().locale = "fr"
        teams.create_team(session, workspace=workspace, key="care", name="Care")
        teams.set_team_members(session, workspace=workspace, team_key="care",
                               emails=["sam@example.com", "lea@example.com"])  # fmt: skip
        add_webhook(session, workspace=workspace, url="https://hooks.example.com/a",
                    events=["action.due_soon", "action.overdue"])  # fmt: skip
        today = today_of(session, workspace)
        for title, due, extra in (
            ("Rappeler les détracteurs", today + timedelta(days=2), {"owner": "lea@example.com"}),
            (
                "Fix the FAQ",
                today - timedelta(days=1),
                {"team": "care", "owner": "lea@example.com"},
            ),
            ("Later", today + timedelta(days=30), {"owner": "lea@example.com"}),
            ("Closed", today - timedelta(days=5), {"owner": "lea@example.com", "status": "done"}),
        ):
            values = {"title": title, "due_date": due, **extra}
            action_plans.create_action(session, workspace=workspace, values=values, actor_id=None)
    return today


def _events(session: Session) -> list[str]:
    return list(session.scalars(select(WebhookDelivery.event).order_by(WebhookDelivery.id)))


def test_owners_and_team_are_told_once_per_stage_in_their_language(
    cx: Cxgap, smtp_server: SmtpServer
) -> None:
    smtp_server.configure(cx)
    _plan(cx)
    worker = _worker(cx)
    worker.tick()
    assert worker.run_once() is not None
    letters = smtp_server.wait_for(3)
    got = sorted((str(m["To"]), str(m["Subject"])) for m in letters)
    assert got == [
        ("lea@example.com", "L’action « Fix the FAQ » de Acme est en retard"),
        ("lea@example.com", next(s for t, s in got if "Rappeler" in s)),
        ("sam@example.com", "Action “Fix the FAQ” of Acme is overdue"),
    ]
    soon = next(m for m in letters if "Rappeler" in str(m["Subject"]))
    body = soon.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert "encore 2 jours" in body and "/w/acme/actions/" in body
    with cx.reading() as session:
        assert _events(session) == ["action.due_soon", "action.overdue"]
        job = session.scalars(select(Job).where(Job.kind == ACTION_REMINDERS)).one()
        assert job.result == {"sent": 3, "refused": 0}
    # The next round the same day, or tomorrow: nothing new.
    with cx.transaction() as session:
        assert reminders.remind_all(session, datetime.now(UTC)) == []
        assert reminders.remind_all(session, datetime.now(UTC) + timedelta(days=1)) == []
        # A week later the overdue one is sent again; the due-soon one is overdue then.
        later = reminders.remind_all(session, datetime.now(UTC) + timedelta(days=7, hours=1))
        assert sorted(letter.to for letter in later) == ["lea@example.com"] * 2 + [
            "sam@example.com"
        ]


def test_a_new_due_date_starts_the_reminders_again_and_the_setting_moves_them(cx: Cxgap) -> None:
    today = _plan(cx)
    now = datetime.now(UTC)
    with cx.transaction() as session:
        workspace = get_workspace(session, "acme")
        assert len(reminders.remind(session, workspace, now)) == 3
        soon = session.scalars(select(ActionRow).where(ActionRow.title.like("Rappeler%"))).one()
        action_plans.update_action(session, action=soon, actor_id=None,
                                   values={"due_date": today + timedelta(days=1)})  # fmt: skip
        assert [x.to for x in reminders.remind(session, workspace, now)] == ["lea@example.com"]
        reminders.set_days_before(session, workspace, 30)  # "Later" is due in 30 days
        later = datetime.combine(today + timedelta(days=30), datetime.min.time())
        expected = f"L’action « Later » de Acme arrive à échéance le {long_date(later, 'fr')}"
        assert [x.subject for x in reminders.remind(session, workspace, now)] == [expected]


def test_without_smtp_the_stages_are_marked_and_nothing_is_sent(cx: Cxgap) -> None:
    _plan(cx)
    worker = _worker(cx)
    worker.tick()
    assert worker.run_once() is not None
    with cx.reading() as session:
        job = session.scalars(select(Job).where(Job.kind == ACTION_REMINDERS)).one()
        assert job.result is not None and job.result["sent"] == 0
        stages = sorted(filter(None, session.scalars(select(ActionRow.reminded_stage))))
        assert stages == ["due_soon", "overdue"]
