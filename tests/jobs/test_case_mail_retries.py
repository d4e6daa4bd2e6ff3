"""The case e-mails' outbox is the jobs table: a notice that cannot reach the SMTP server
stays queued and is tried again later (60 s, then 120 s), delivered once the server answers,
and given up after its third attempt, the reason kept (issue 12: "an outbox table with
retries")."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

from sqlalchemy import select

from cxgap.db.tables import Job, utcnow
from cxgap.services.core import Cxgap
from tests.jobs.test_case_mail import _assign, _worker
from tests.smtp_server import SmtpServer, _free_port, smtp_server

__all__ = ["smtp_server"]


def _nobody_listening(cx: Cxgap) -> None:
    cx.settings = dataclasses.replace(
        cx.settings, smtp_url=f"smtp://127.0.0.1:{_free_port()}", mail_from="cx@example.com"
    )


def _job(cx: Cxgap) -> Job:
    with cx.reading() as session:
        return session.scalars(select(Job).where(Job.kind == "case_mail")).one()


def _make_due(cx: Cxgap) -> None:
    with cx.transaction() as session:
        job = session.scalars(select(Job).where(Job.kind == "case_mail")).one()
        job.run_after = utcnow() - timedelta(seconds=1)


def test_a_notice_waits_for_the_smtp_server_then_is_delivered(
    cx: Cxgap, smtp_server: SmtpServer
) -> None:
    _nobody_listening(cx)
    _assign(cx)
    before = utcnow()
    assert _worker(cx).run_once() is not None
    job = _job(cx)
    assert (job.status, job.attempts) == ("queued", 1)
    assert job.run_after is not None and job.run_after >= before + timedelta(seconds=55)
    assert _worker(cx).run_once() is None  # not due yet: nothing sent, nothing lost
    smtp_server.configure(cx)
    _make_due(cx)
    assert _worker(cx).run_once() is not None
    [letter] = smtp_server.wait_for(1)
    assert letter["To"].addresses[0].addr_spec == "lea@example.com"
    job = _job(cx)
    assert (job.status, job.attempts) == ("done", 2) and job.result == {"sent": 1}


def test_a_notice_is_given_up_after_three_attempts(cx: Cxgap) -> None:
    _nobody_listening(cx)
    _assign(cx)
    for _ in range(3):
        _make_due(cx)
        assert _worker(cx).run_once() is not None
    job = _job(cx)
    assert (job.status, job.attempts) == ("failed", 3)
    assert job.error
