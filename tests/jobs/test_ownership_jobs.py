"""The ownership jobs end to end: scheduled, run by a worker, letters through a real SMTP
server on loopback, in each member's language; the worsening announced once."""

from __future__ import annotations

import threading

from sqlalchemy import select

from cxgap.db.tables import Job, OwnershipAlert, OwnershipDigestSent, utcnow
from cxgap.jobs import ownership, store
from cxgap.jobs.runner import JobContext
from cxgap.jobs.schedule import OWNERSHIP_ALERTS, OWNERSHIP_DIGEST, Scheduler, periodic_tasks
from cxgap.jobs.worker import Worker
from cxgap.services import ownership_digest
from cxgap.services.core import Cxgap
from tests.ownership_factories import worsened_workspace
from tests.smtp_server import SmtpServer, smtp_server

__all__ = ["smtp_server"]
NAMES = (OWNERSHIP_ALERTS, OWNERSHIP_DIGEST)


def _worker(cx: Cxgap) -> Worker:
    kinds = {k.name: k for k in (ownership.ALERTS_KIND, ownership.DIGEST_KIND)}
    context = JobContext(cx.sessions, cx.settings.data_dir, kinds=kinds, settings=cx.settings)
    tasks = tuple(t for t in periodic_tasks() if t.name in NAMES)
    return Worker(context, scheduler=Scheduler(cx.sessions, tasks))


def _body(message: object) -> str:
    return message.get_body(("plain",)).get_content()  # type: ignore[attr-defined, no-any-return]


def test_nothing_is_scheduled_while_nobody_owns_anything(cx: Cxgap) -> None:
    tasks = tuple(t for t in periodic_tasks() if t.name in NAMES)
    assert [t.every.days for t in tasks] == [1, 7]
    assert Scheduler(cx.sessions, tasks).tick() == []


def test_owners_hear_of_the_worsening_once_and_get_their_digest(
    cx: Cxgap, smtp_server: SmtpServer
) -> None:
    smtp_server.configure(cx)
    with cx.transaction() as session:
        worsened_workspace(session, now=utcnow())
    worker = _worker(cx)
    worker.tick()  # queues today's alert slot and this week's digest slot
    assert worker.run_once() is not None and worker.run_once() is not None
    letters = smtp_server.wait_for(5)
    subjects = sorted(m["Subject"] for m in letters)
    assert subjects == [
        "Delivery got worse (Acme)",
        "Livraison se dégrade (Acme)",
        "Récapitulatif hebdomadaire de Logistique (Acme)",
        "Weekly digest of Logistique (Acme)",
        "Weekly digest of Web (Acme)",
    ]
    [alert_fr] = [m for m in smtp_server.to("lea@example.com") if "dégrade" in m["Subject"]]
    body = _body(alert_fr)
    assert "Verbatims négatifs" in body and "[email]" in body and "jane.doe" not in body
    [digest_web] = smtp_server.to("ana@example.com")
    assert "no significant worsening" in _body(digest_web)
    with cx.reading() as session:
        jobs = {j.kind: j.result for j in session.scalars(select(Job))}
        assert jobs[OWNERSHIP_ALERTS] == {"tested": 2, "announced": 1, "sent": 2, "refused": 0}
        assert jobs[OWNERSHIP_DIGEST] == {"letters": 3, "sent": 3, "refused": 0}
    # The next round (say, tomorrow's job) finds the subject already announced in this window.
    with cx.transaction() as session:
        from cxgap.jobs import store

        store.enqueue(session, OWNERSHIP_ALERTS)
    assert worker.run_once() is not None
    with cx.reading() as session:
        assert len(session.scalars(select(OwnershipAlert)).all()) == 1
    assert len(smtp_server.messages) == 5


def test_without_smtp_the_alert_is_recorded_and_the_letters_skipped(cx: Cxgap) -> None:
    with cx.transaction() as session:
        worsened_workspace(session, now=utcnow())
        from cxgap.jobs import store

        store.enqueue(session, OWNERSHIP_ALERTS)
    assert _worker(cx).run_once() is not None
    with cx.reading() as session:
        job = session.scalars(select(Job)).one()
        assert job.result is not None and job.result["announced"] == 1
        assert job.result["skipped"] == "e-mail is not configured (CXGAP_SMTP_URL)"
        assert len(session.scalars(select(OwnershipAlert)).all()) == 1


def test_a_rerun_or_a_second_worker_sends_no_digest_again(
    cx: Cxgap, smtp_server: SmtpServer
) -> None:
    smtp_server.configure(cx)
    with cx.transaction() as session:
        worsened_workspace(session, now=utcnow())
    with cx.reading() as session:
        (acme, logistics), (_, web) = ownership_digest.owning_teams(session)
    # Two workers claim the logistics team's week at once: the second finds it taken (on
    # PostgreSQL it waits for the first's commit; on SQLite the claim's savepoint, the
    # transaction's first statement, commits when released).
    now, second_got = utcnow(), []
    first = cx.sessions()
    first.begin()
    claimed = ownership_digest.claim_digest(first, workspace_id=acme, team_id=logistics, now=now)

    def second() -> None:
        with cx.sessions() as session, session.begin():
            second_got.append(
                ownership_digest.claim_digest(
                    session, workspace_id=acme, team_id=logistics, now=now
                )
            )

    thread = threading.Thread(target=second)
    thread.start()
    thread.join(0.5)
    assert thread.is_alive() is (cx.engine.dialect.name == "postgresql")
    first.commit()
    first.close()
    thread.join(30)
    assert sorted(letter.to for letter in claimed) == ["lea@example.com", "sam@example.com"]
    assert second_got == [[]]
    # The weekly job then sends the web team's digest only; run again (a retry, the next
    # day's rerun), it sends nothing new.
    worker = _worker(cx)
    for _ in range(3):
        with cx.transaction() as session:
            store.enqueue(session, OWNERSHIP_DIGEST)
        assert worker.run_once() is not None
    [letter] = smtp_server.wait_for(1)
    assert letter["To"] == "ana@example.com" and "Web" in letter["Subject"]
    with cx.reading() as session:
        results = [j.result for j in session.scalars(select(Job).order_by(Job.id))]
        sent = session.scalars(select(OwnershipDigestSent).order_by(OwnershipDigestSent.id))
        assert [(s.team_id, s.recipients) for s in sent] == [(logistics, 2), (web, 1)]
    assert results == [
        {"letters": 1, "sent": 1, "refused": 0},
        {"letters": 0, "sent": 0},
        {"letters": 0, "sent": 0},
    ]
    assert len(smtp_server.messages) == 1
