"""The ``mail`` job against the loopback SMTP server: a wave's invitations and its reminder
sent in the background, resumed after a stop with only the rest, never twice after a crash."""

from __future__ import annotations

from collections import Counter

import pytest
from sqlalchemy import select, update

from cxgap.db.tables import Job, SurveyRecipient
from cxgap.jobs import mail, store
from cxgap.jobs.runner import JobContext
from cxgap.jobs.worker import Worker
from cxgap.services import campaigns, survey_mailing
from cxgap.services.core import Cxgap
from cxgap.services.recipient_lists import Recipient
from tests.factories import make_workspace
from tests.smtp_server import SmtpServer, smtp_server

__all__ = ["smtp_server"]
PEOPLE = [f"p{i}@example.com" for i in range(5)]
LINKS = survey_mailing.LinkMaker("https://cx.example.com", "k")


@pytest.fixture
def wave_id(cx: Cxgap, smtp_server: SmtpServer, monkeypatch: pytest.MonkeyPatch) -> int:
    monkeypatch.setattr(survey_mailing, "BATCH", 2)  # 5 people: three batches
    smtp_server.configure(cx)
    with cx.transaction() as session:
        workspace = make_workspace(session)
        survey = campaigns.create_survey(session, workspace=workspace, key="s1", name="Q1")
        people = [Recipient(i + 2, e, "en", "", "") for i, e in enumerate(PEOPLE)]
        return survey_mailing.create_wave(
            session, survey=survey, recipients=people, file_name="l.csv", links=LINKS
        )


def _queue(cx: Cxgap, wave_id: int, action: str = "send") -> int:
    with cx.transaction() as session:
        return store.enqueue(
            session,
            mail.MAIL,
            workspace_id=None,
            payload=mail.mail_payload(
                wave_id=wave_id, action=action, base_url="https://cx.example.com"
            ),
            exclusive=mail.exclusive_key(wave_id),
        ).id


def _context(cx: Cxgap) -> JobContext:
    return JobContext(
        cx.sessions, cx.settings.data_dir, kinds={mail.MAIL: mail.KIND}, settings=cx.settings
    )


def _received(server: SmtpServer) -> Counter[str]:
    return Counter(m["To"].addresses[0].addr_spec for m in server.messages)


def _job(cx: Cxgap, job_id: int) -> Job:
    with cx.reading() as session:
        job = session.get(Job, job_id)
        assert job is not None
        return job


def test_a_wave_stopped_after_a_batch_is_resumed_with_only_the_rest(
    cx: Cxgap, smtp_server: SmtpServer, wave_id: int
) -> None:
    job_id = _queue(cx, wave_id)
    context = _context(cx)
    seen: list[tuple[int, int]] = []

    def stop_after_first_batch(done: int, total: int) -> None:
        seen.append((done, total))
        context.stop.set()  # the worker is asked to shut down

    assert Worker(context).run_once(progress=stop_after_first_batch) == job_id
    job = _job(cx, job_id)
    assert (job.status, job.done, job.total) == ("queued", 2, 5)  # back in the queue
    assert sum(_received(smtp_server).values()) == 2
    context.stop.clear()
    assert Worker(context).run_once() == job_id
    job = _job(cx, job_id)
    assert (job.status, job.done, job.total) == ("done", 5, 5)
    assert job.result == {"wave_id": wave_id, "action": "send", "accepted": 5, "refused": 0}
    assert _received(smtp_server) == Counter(PEOPLE)  # everyone once
    assert seen == [(2, 5)]

    remind = _queue(cx, wave_id, "remind")
    assert Worker(context).run_once(progress=stop_after_first_batch) == remind
    context.stop.clear()
    assert Worker(context).run_once() == remind
    assert _job(cx, remind).result == {
        "wave_id": wave_id,
        "action": "remind",
        "accepted": 5,
        "refused": 0,
    }
    assert _received(smtp_server) == Counter({p: 2 for p in PEOPLE})  # one reminder each


def test_letters_a_killed_worker_was_sending_are_never_sent_again(
    cx: Cxgap, smtp_server: SmtpServer, wave_id: int
) -> None:
    with cx.transaction() as session:  # a worker claimed two, sent them, and was killed
        first_two = list(
            session.scalars(select(SurveyRecipient.id).order_by(SurveyRecipient.id).limit(2))
        )
        session.execute(
            update(SurveyRecipient)
            .where(SurveyRecipient.id.in_(first_two))
            .values(status="sending")
        )
    job_id = _queue(cx, wave_id)
    assert Worker(_context(cx)).run_once() == job_id
    assert _received(smtp_server) == Counter(PEOPLE[2:])
    result = _job(cx, job_id).result
    assert result is not None and (result["accepted"], result["refused"]) == (3, 2)
    assert result["interrupted"] == 2
    with cx.reading() as session:
        failures = set(
            session.scalars(
                select(SurveyRecipient.failure).where(SurveyRecipient.id.in_(first_two))
            )
        )
    assert failures == {survey_mailing.INTERRUPTED}
    again = _queue(cx, wave_id)  # a retry ("send the pending ones") sends nobody twice
    assert Worker(_context(cx)).run_once() == again
    assert _received(smtp_server) == Counter(PEOPLE[2:])


def test_an_unreachable_server_leaves_everyone_pending_for_the_retry(
    cx: Cxgap, smtp_server: SmtpServer, wave_id: int
) -> None:
    import dataclasses

    real = cx.settings
    cx.settings = dataclasses.replace(real, smtp_url="smtp://127.0.0.1:1")
    job_id = _queue(cx, wave_id)
    assert Worker(_context(cx)).run_once() == job_id
    job = _job(cx, job_id)
    assert job.status == "failed" and job.error.startswith("MailServerError: Cannot send")
    with cx.reading() as session:
        statuses = set(session.scalars(select(SurveyRecipient.status)))
    assert statuses == {"pending"}
    cx.settings = real
    with cx.transaction() as session:
        store.retry(session, job_id)
    assert Worker(_context(cx)).run_once() == job_id
    assert _received(smtp_server) == Counter(PEOPLE)
