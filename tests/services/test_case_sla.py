"""The SLA of stored cases under the default "same-day" policy, worked by hand.

Business hours Mon-Fri 09:00-12:30 and 13:30-18:00, Europe/Paris (UTC+1 in early March 2026;
2 March 2026 is a Monday). Normal priority: first response 240 business minutes.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from cxgap.db.tables import WebhookDelivery
from cxgap.services import case_sla, cases, service_accounts, service_levels
from cxgap.services.core import Cxgap
from cxgap.services.workspaces import get_workspace
from cxgap.sla.clock import Status
from cxgap.sla.policy import Metric
from cxgap.webhooks.store import add_webhook
from tests.factories import make_workspace

PARIS = ZoneInfo("Europe/Paris")


def paris(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 3, day, hour, minute, tzinfo=PARIS)


@pytest.fixture
def acme(cx: Cxgap) -> Cxgap:
    with cx.transaction() as session:
        workspace = make_workspace(session)
        add_webhook(
            session, workspace=workspace, url="https://h.example.com/", events=["case.breached"]
        )
    return cx


def evaluate(cx: Cxgap, now: datetime) -> dict[str, case_sla.QueueEntry]:
    with cx.reading() as session:
        workspace = get_workspace(session, "acme")
        rows = cases.list_cases(session, workspace)
        return {e.case.subject: e for e in case_sla.case_queue(session, workspace, rows, now)}


def open_at(cx: Cxgap, subject: str, at: datetime, priority: str = "normal") -> int:
    with cx.transaction() as session:
        workspace = get_workspace(session, "acme")
        case, _ = cases.open_case(
            session, workspace=workspace, subject=subject, priority=priority, at=at
        )
        return case.number


def test_first_response_counts_business_minutes_around_lunch(acme: Cxgap) -> None:
    open_at(acme, "morning", paris(2, 10))
    entry = evaluate(acme, paris(2, 14, 30))["morning"]
    first = entry.result.metrics[Metric.FIRST_RESPONSE]
    assert first.clock is not None
    # 10:00-12:30 is 150 minutes, 13:30-15:00 the other 90: due at 15:00 the same day.
    assert first.clock.due == paris(2, 15)
    assert first.clock.used.total_seconds() == 210 * 60 and entry.warning  # 87.5 % used
    assert entry.left is not None and entry.left.total_seconds() == 30 * 60
    later = evaluate(acme, paris(2, 15, 30))["morning"]
    assert later.result.metrics[Metric.FIRST_RESPONSE].status is Status.MISSED and later.breached


def test_a_case_after_14h_is_due_the_next_morning(acme: Cxgap) -> None:
    open_at(acme, "same day", paris(2, 14))
    open_at(acme, "next day", paris(2, 14, 30))
    open_at(acme, "friday", paris(6, 17), priority="urgent")
    entries = evaluate(acme, paris(2, 14, 30))
    due = {s: e.result.metrics[Metric.FIRST_RESPONSE].clock for s, e in entries.items()}
    assert due["same day"] is not None and due["same day"].due == paris(2, 18)
    assert due["next day"] is not None and due["next day"].due == paris(3, 9, 30)
    friday = evaluate(acme, paris(9, 8))["friday"].result.metrics[Metric.FIRST_RESPONSE].clock
    # urgent: 60 minutes; Friday 17:00-18:00 uses them all, due Friday 18:00
    assert friday is not None and friday.due == paris(6, 18)


def test_waiting_for_the_customer_pauses_resolution_not_the_history(acme: Cxgap) -> None:
    number = open_at(acme, "paused", paris(2, 10))
    with acme.transaction() as session:
        case = cases.get_case(session, get_workspace(session, "acme"), number)
        cases.reply(session, case=case, body="On it", actor_id=None, at=paris(2, 10, 30))
        cases.set_status(
            session, case=case, status="pending_customer", actor_id=None, at=paris(2, 11)
        )
        cases.reply(
            session, case=case, body="Here", actor_id=None, from_customer=True, at=paris(3, 11)
        )
    result = evaluate(acme, paris(3, 12))["paused"].result
    first = result.metrics[Metric.FIRST_RESPONSE]
    resolution = result.metrics[Metric.RESOLUTION].clock
    assert first.status is Status.HIT
    # Monday 10:00-11:00, then Tuesday 11:00-12:00 once the customer answered
    assert resolution is not None and resolution.used.total_seconds() == 120 * 60


def test_a_priority_change_applies_the_stricter_policy(acme: Cxgap) -> None:
    number = open_at(acme, "escalated", paris(2, 10))
    with acme.transaction() as session:
        case = cases.get_case(session, get_workspace(session, "acme"), number)
        cases.set_priority(session, case=case, priority="urgent", actor_id=None, at=paris(2, 10, 5))
    entry = evaluate(acme, paris(2, 11, 30))["escalated"]
    assert entry.result.policy is not None and entry.result.policy.name == "same-day-urgent"
    assert entry.result.metrics[Metric.FIRST_RESPONSE].status is Status.MISSED


def test_the_queue_puts_the_most_overdue_first_and_waiting_cases_last(acme: Cxgap) -> None:
    open_at(acme, "recent", paris(2, 14))
    open_at(acme, "old", paris(2, 9))
    number = open_at(acme, "waiting", paris(2, 9))
    with acme.transaction() as session:
        case = cases.get_case(session, get_workspace(session, "acme"), number)
        cases.reply(session, case=case, body="Which size?", actor_id=None, at=paris(2, 9, 10))
        cases.set_status(
            session, case=case, status="pending_customer", actor_id=None, at=paris(2, 9, 11)
        )
    assert list(evaluate(acme, paris(2, 16))) == ["old", "recent", "waiting"]


def test_a_breach_is_announced_once_per_metric(acme: Cxgap) -> None:
    open_at(acme, "late", paris(2, 10))
    with acme.transaction() as session:
        announced = case_sla.announce_breaches(session, paris(2, 15, 30))
        assert [metric for _, metric in announced] == ["first_response"]
    with acme.transaction() as session:
        assert case_sla.announce_breaches(session, paris(2, 16)) == []
        payloads = session.scalars(select(WebhookDelivery.payload)).all()
    assert len(payloads) == 1
    data = payloads[0]["data"]
    assert isinstance(data, dict) and data["metric"] == "first_response" and data["case"] == 1


def test_the_scheduler_checks_breaches_only_while_cases_are_open(acme: Cxgap) -> None:
    from cxgap.db.tables import Job
    from cxgap.jobs.maintenance import CASE_BREACHES_KIND
    from cxgap.jobs.runner import JobContext
    from cxgap.jobs.schedule import CASE_BREACHES, Scheduler, periodic_tasks
    from cxgap.jobs.worker import Worker

    tasks = tuple(t for t in periodic_tasks() if t.name == CASE_BREACHES)
    kinds = {CASE_BREACHES: CASE_BREACHES_KIND}
    context = JobContext(acme.sessions, acme.settings.data_dir, kinds=kinds, settings=acme.settings)
    assert Scheduler(acme.sessions, tasks).tick() == []  # no open case: no job
    open_at(acme, "late", paris(2, 10))  # long overdue by now
    worker = Worker(context, scheduler=Scheduler(acme.sessions, tasks))
    worker.tick()
    assert worker.run_once() is not None
    with acme.reading() as session:
        job = session.scalars(select(Job).where(Job.kind == CASE_BREACHES)).one()
        # first response and resolution, both long missed; next response never started
        assert job.status == "done" and job.result == {"announced": 2}


def test_saved_service_levels_apply_to_stored_cases_by_their_accounts_tier(acme: Cxgap) -> None:
    """Until the workspace saves its service levels the same-day default applies; once saved,
    its own calendar and policies do, and a case's tier comes from its account."""
    document = {
        "calendar": {
            "timezone": "Europe/Paris",
            "hours": {d: [["09:00", "17:00"]] for d in ("mon", "tue", "wed", "thu", "fri")},
        },
        "policies": [
            {"name": "gold-fast", "match": {"tier": "gold"}, "targets": {"first_response": 30}},
            {"name": "others", "match": {}, "targets": {"first_response": 600}},
        ],
        "tiers": [{"name": "gold", "fee": 100, "sla_credits": [], "availability_credits": []}],
    }
    with acme.transaction() as session:
        workspace = get_workspace(session, "acme")
        cases.open_case(
            session, workspace=workspace, subject="vip", account="bigco", at=paris(2, 10)
        )
        cases.open_case(session, workspace=workspace, subject="anyone", at=paris(2, 10))
    before = evaluate(acme, paris(2, 11))
    assert _name(before["vip"]) == _name(before["anyone"]) == "same-day"
    with acme.transaction() as session:
        workspace = get_workspace(session, "acme")
        service_levels.save_document(session, workspace=workspace, document=document, user_id=None)
        service_accounts.save_account(
            session, workspace=workspace, key="bigco", name="Big", tier="gold"
        )
    after = evaluate(acme, paris(2, 11))
    vip = after["vip"].result.metrics[Metric.FIRST_RESPONSE]
    assert _name(after["vip"]) == "gold-fast"
    assert vip.status is Status.MISSED  # 30 business minutes from 10:00, seen at 11:00
    anyone = after["anyone"].result.metrics[Metric.FIRST_RESPONSE]
    assert _name(after["anyone"]) == "others"
    assert anyone.status is Status.ACTIVE
    assert anyone.clock is not None and anyone.clock.due == paris(3, 12)
    # 600 business minutes from Monday 10:00 on 09:00-17:00 days: 7 h Monday, 3 h Tuesday


def _name(entry: case_sla.QueueEntry) -> str | None:
    return None if entry.result.policy is None else entry.result.policy.name
