"""The monthly executive report: the scheduler queues it when a schedule has not sent the
previous month, the job e-mails the PDF to the chosen members through a real SMTP server on
loopback, and records the month so that it is never sent twice."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from cxgap.db.tables import Job, ReportSchedule, User
from cxgap.errors import ValidationError
from cxgap.jobs import executive_schedule
from cxgap.jobs.runner import JobContext
from cxgap.jobs.schedule import EXECUTIVE_REPORTS, Scheduler, periodic_tasks
from cxgap.jobs.worker import Worker
from cxgap.reporting.executive_period import last_full_month
from cxgap.services.core import Cxgap
from cxgap.services.report_schedules import save_schedule
from cxgap.services.workspaces import get_workspace
from tests.executive_factories import make_executive_workspace
from tests.factories import make_user
from tests.smtp_server import SmtpServer, smtp_server

__all__ = ["smtp_server"]


def _ids(cx: Cxgap, *emails: str) -> list[int]:
    with cx.reading() as session:
        return [session.scalars(select(User.id).where(User.email == e)).one() for e in emails]


def test_the_previous_month_is_mailed_once_as_a_pdf(cx: Cxgap, smtp_server: SmtpServer) -> None:
    smtp_server.configure(cx)
    with cx.transaction() as session:
        acme = make_executive_workspace(session)
        make_user(session, "ana@example.com", workspace=acme, role="admin")
        make_user(session, "vic@example.com", workspace=acme, role="viewer")
        make_user(session, "nina@example.com", workspace=acme, role="viewer")
    ana, vic = _ids(cx, "ana@example.com", "vic@example.com")
    with cx.transaction() as session:
        save_schedule(
            session, get_workspace(session, "acme"), enabled=True, locale="fr", paper="a4",
            recipient_ids=[ana, vic],
        )  # fmt: skip
    tasks = tuple(t for t in periodic_tasks() if t.name == EXECUTIVE_REPORTS)
    now = datetime.now(UTC)
    scheduler = Scheduler(cx.sessions, tasks, clock=lambda: now)
    assert len(scheduler.tick()) == 1
    context = JobContext(
        cx.sessions,
        cx.settings.data_dir,
        kinds={executive_schedule.EXECUTIVE_SCHEDULE: executive_schedule.KIND},
        settings=cx.settings,
    )
    assert Worker(context).run_once() is not None
    with cx.reading() as session:
        job = session.scalar(select(Job).where(Job.kind == executive_schedule.EXECUTIVE_SCHEDULE))
        assert job is not None and job.status == "done", job.error if job else None
        assert (job.result or {})["sent"] == 2
        schedule = session.scalar(select(ReportSchedule))
        month = last_full_month(now.date()).label
        assert schedule is not None and schedule.last_period == month
    messages = smtp_server.wait_for(2)
    assert sorted(m["To"].addresses[0].addr_spec for m in messages) == [
        "ana@example.com",
        "vic@example.com",
    ]  # nina was not chosen
    message = messages[0]
    assert message["Subject"] == f"Rapport de direction {month} · Acme"
    attachments = list(message.iter_attachments())
    assert len(attachments) == 1
    assert attachments[0].get_content_type() == "application/pdf"
    assert attachments[0].get_filename() == f"cxgap-acme-executive-{month}-fr.pdf"
    assert attachments[0].get_content().startswith(b"%PDF")
    # The next hour's slot finds nothing due: no job, no second e-mail.
    later = Scheduler(cx.sessions, tasks, clock=lambda: now + timedelta(hours=1))
    assert later.tick() == []


def test_without_email_the_job_skips_and_keeps_the_month_due(cx: Cxgap) -> None:
    """The demo of ``make run`` has a schedule and no SMTP server: the job must end, not fail
    every few minutes with a traceback, and the month must stay due for when mail is set."""
    with cx.transaction() as session:
        acme = make_executive_workspace(session)
        make_user(session, "ana@example.com", workspace=acme, role="admin")
    (ana,) = _ids(cx, "ana@example.com")
    with cx.transaction() as session:
        save_schedule(
            session, get_workspace(session, "acme"), enabled=True, locale="en", paper="a4",
            recipient_ids=[ana],
        )  # fmt: skip
    tasks = tuple(t for t in periodic_tasks() if t.name == EXECUTIVE_REPORTS)
    now = datetime.now(UTC)
    assert len(Scheduler(cx.sessions, tasks, clock=lambda: now).tick()) == 1
    context = JobContext(
        cx.sessions,
        cx.settings.data_dir,
        kinds={executive_schedule.EXECUTIVE_SCHEDULE: executive_schedule.KIND},
        settings=cx.settings,
    )
    assert Worker(context).run_once() is not None
    with cx.reading() as session:
        job = session.scalar(select(Job).where(Job.kind == executive_schedule.EXECUTIVE_SCHEDULE))
        assert job is not None and job.status == "done", job.error if job else None
        assert (job.result or {})["sent"] == 0 and (job.result or {})["schedules"] == 1
        assert "CXGAP_SMTP_URL" in str((job.result or {})["skipped"])
        schedule = session.scalar(select(ReportSchedule))
        assert schedule is not None and schedule.last_period is None


def test_recipients_must_be_members(cx: Cxgap) -> None:
    with cx.transaction() as session:
        make_executive_workspace(session)
        make_user(session, "olga@example.com")  # a user, not a member of acme
    (olga,) = _ids(cx, "olga@example.com")
    with cx.transaction() as session, pytest.raises(ValidationError, match=str(olga)):
        save_schedule(
            session, get_workspace(session, "acme"), enabled=True, locale="en", paper="letter",
            recipient_ids=[olga],
        )  # fmt: skip
    with cx.transaction() as session, pytest.raises(ValidationError, match="at least one"):
        save_schedule(
            session, get_workspace(session, "acme"), enabled=True, locale="en", paper="a4",
            recipient_ids=[],
        )  # fmt: skip
