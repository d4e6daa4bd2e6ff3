"""Scheduled tasks: periodic work queued as ordinary jobs by whichever worker notices first.

Every worker (the web app's thread and each ``cxgap worker``) ticks the scheduler between
jobs. A task's slots are aligned on the epoch (every 60 s: 12:00:00, 12:01:00…), and each due
slot is queued with ``dedupe=f"{task}:{slot_start_iso}"``: the unique key makes N workers
queue it once, so it runs once. A tick costs nothing until a task's next slot starts (the
last slot queued is remembered), then one query per task that has a ``needed`` check (are
there webhook deliveries due?) and one insert; tasks with nothing to do leave no job row.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from sqlalchemy import exists, select
from sqlalchemy.orm import Session, sessionmaker

from cxgap.config import ScheduleSettings
from cxgap.db.tables import (
    ActionRow,
    CaseRow,
    CommunityNotification,
    CommunityPerson,
    Ownership,
    WebhookDelivery,
)
from cxgap.jobs.store import enqueue

log = logging.getLogger(__name__)
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
WEBHOOKS = "webhooks"
PURGE = "purge"
CASE_BREACHES = "case_breaches"
# Breaches are checked every minute: a missed first response is announced within one.
CASE_BREACH_SECONDS = 60
EXECUTIVE_REPORTS = "executive_reports"
# Monthly reports are looked for every hour: the previous month's goes out within the hour
# after midnight UTC on the 1st (or as soon as a worker runs after that).
EXECUTIVE_REPORT_SECONDS = 3600
ACTION_REMINDERS = "action_reminders"
# Action reminders are a matter of days: one round a day (slots start at 00:00 UTC).
ACTION_REMINDER_EVERY = timedelta(days=1)
OWNERSHIP_ALERTS = "ownership_alerts"
OWNERSHIP_DIGEST = "ownership_digest"
# Worsening is tested once a day (slots at 00:00 UTC), the digest once a week (7-day slots
# aligned on the epoch: Thursdays 00:00 UTC).
OWNERSHIP_ALERT_EVERY = timedelta(days=1)
OWNERSHIP_DIGEST_EVERY = timedelta(days=7)
BADGES = "badges"
# Badges are recomputed every hour where a community exists.
BADGE_EVERY = timedelta(hours=1)
IDEA_EVIDENCE = "idea_evidence"
# A new, edited or merged idea shows its verbatims within a minute or so.
IDEA_EVIDENCE_SECONDS = 60
NOTIFICATIONS = "notifications"
# The community's notices (an idea's status changed) go out within a minute.
NOTIFICATION_SECONDS = 60


@dataclass(frozen=True)
class Periodic:
    """A task run every ``every``: a job of ``kind`` queued at each slot (when ``needed``)."""

    name: str
    kind: str
    every: timedelta
    payload: Mapping[str, object] = field(default_factory=dict)
    # A cheap check (one query) that there is work; None: always queued.
    needed: Callable[[Session, datetime], bool] | None = None

    def slot(self, now: datetime) -> datetime:
        """The start of the slot ``now`` falls in."""
        step = self.every.total_seconds()
        return EPOCH + timedelta(seconds=((now - EPOCH).total_seconds() // step) * step)


def _deliveries_due(session: Session, now: datetime) -> bool:
    return bool(
        session.scalar(
            select(
                exists().where(
                    WebhookDelivery.status == "pending", WebhookDelivery.next_attempt_at <= now
                )
            )
        )
    )


def _cases_open(session: Session, now: datetime) -> bool:
    still_open = CaseRow.status.not_in(("resolved", "closed"))
    return bool(session.scalar(select(exists().where(still_open))))


def _reports_due(session: Session, now: datetime) -> bool:
    from cxgap.services.report_schedules import due_schedules

    return bool(due_schedules(session, now.date()))


def _actions_due(session: Session, now: datetime) -> bool:
    still_open = ActionRow.status.not_in(("done", "cancelled"))
    return bool(session.scalar(select(exists().where(still_open, ActionRow.due_date.is_not(None)))))


def _anything_owned(session: Session, now: datetime) -> bool:
    return bool(session.scalar(select(exists().where(Ownership.id.is_not(None)))))


def _community(session: Session, now: datetime) -> bool:
    return bool(session.scalar(select(exists().where(CommunityPerson.id.is_not(None)))))


def _ideas_stale(session: Session, now: datetime) -> bool:
    from cxgap.jobs.idea_evidence import evidence_due

    return evidence_due(session, now)


def _notices_waiting(session: Session, now: datetime) -> bool:
    waiting = (CommunityNotification.sent_at.is_(None), CommunityNotification.claimed_at.is_(None))
    return bool(session.scalar(select(exists().where(*waiting))))


def periodic_tasks(settings: ScheduleSettings | None = None) -> tuple[Periodic, ...]:
    """cxgap's scheduled tasks. Survey reminders are not among them: a wave's one reminder
    is sent when someone asks for it (services/survey_mailing.py has no automatic one)."""
    settings = settings or ScheduleSettings.from_env()
    return (
        Periodic(
            WEBHOOKS,
            WEBHOOKS,
            timedelta(seconds=settings.webhook_seconds),
            needed=_deliveries_due,
        ),
        Periodic(
            PURGE,
            PURGE,
            timedelta(hours=settings.purge_hours),
            payload={"keep_days": settings.keep_days},
        ),
        Periodic(
            CASE_BREACHES,
            CASE_BREACHES,
            timedelta(seconds=CASE_BREACH_SECONDS),
            needed=_cases_open,
        ),
        Periodic(
            EXECUTIVE_REPORTS,
            "executive_schedule",
            timedelta(seconds=EXECUTIVE_REPORT_SECONDS),
            needed=_reports_due,
        ),
        Periodic(
            ACTION_REMINDERS,
            ACTION_REMINDERS,
            ACTION_REMINDER_EVERY,
            needed=_actions_due,
        ),
        Periodic(OWNERSHIP_ALERTS, OWNERSHIP_ALERTS, OWNERSHIP_ALERT_EVERY, needed=_anything_owned),
        Periodic(
            OWNERSHIP_DIGEST, OWNERSHIP_DIGEST, OWNERSHIP_DIGEST_EVERY, needed=_anything_owned
        ),
        Periodic(BADGES, BADGES, BADGE_EVERY, needed=_community),
        Periodic(
            IDEA_EVIDENCE,
            IDEA_EVIDENCE,
            timedelta(seconds=IDEA_EVIDENCE_SECONDS),
            needed=_ideas_stale,
        ),
    ) + (
        (
            Periodic(
                NOTIFICATIONS,
                NOTIFICATIONS,
                timedelta(seconds=NOTIFICATION_SECONDS),
                needed=_notices_waiting,
            ),
        )
        if settings.mail
        else ()
    )


class Scheduler:
    """Queues the due slot of each task, once per slot per process (and once in all)."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        tasks: tuple[Periodic, ...],
        *,
        queue: str = "embedded",
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.sessions = sessions
        self.tasks = tasks
        self.queue = queue
        self.clock = clock
        self._last: dict[str, datetime] = {}

    def tick(self) -> list[int]:
        """Queue what is due now; the ids of the jobs queued (or found queued by another)."""
        now = self.clock()
        queued: list[int] = []
        for task in self.tasks:
            slot = task.slot(now)
            if self._last.get(task.name) == slot:
                continue
            job_id = self._queue_slot(task, slot, now)
            self._last[task.name] = slot
            if job_id is not None:
                queued.append(job_id)
        return queued

    def _queue_slot(self, task: Periodic, slot: datetime, now: datetime) -> int | None:
        with self.sessions() as session, session.begin():
            if task.needed is not None and not task.needed(session, now):
                return None
            job = enqueue(
                session,
                task.kind,
                payload=task.payload,
                dedupe=f"{task.name}:{slot.isoformat()}",
                exclusive=task.name,  # a slow round never overlaps the next one
                coalesce=True,  # while one waits its turn, later slots add nothing
                queue=self.queue,
            )
            return job.id
