"""Notices to a case's assignee: on assignment and on a breach, in their language, through a
real SMTP server on loopback; none when e-mail is not configured."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from cxgap.db.tables import Job, User
from cxgap.jobs import case_mail, maintenance
from cxgap.jobs.runner import JobContext
from cxgap.jobs.worker import Worker
from cxgap.services import cases
from cxgap.services.core import Cxgap
from tests.factories import make_user, make_workspace
from tests.smtp_server import SmtpServer, smtp_server

__all__ = ["smtp_server"]
MONDAY_10H_PARIS = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def _worker(cx: Cxgap) -> Worker:
    kinds = {k.name: k for k in (case_mail.KIND, maintenance.CASE_BREACHES_KIND)}
    return Worker(JobContext(cx.sessions, cx.settings.data_dir, kinds=kinds, settings=cx.settings))


def _assign(cx: Cxgap) -> None:
    with cx.transaction() as session:
        workspace = make_workspace(session)
        make_user(session, "lea@example.com", workspace=workspace)
        session.scalars(select(User)).one().locale = "fr"
        case, _ = cases.open_case(
            session, workspace=workspace, subject="Colis perdu", at=MONDAY_10H_PARIS
        )
        user = cases.assign(
            session, case=case, assignee_email="lea@example.com", team_key=None, actor_id=None
        )
        assert user is not None
        case_mail.notify_assignee(session, case.id, workspace.id, "assigned")


def test_the_assignee_hears_of_the_case_and_of_its_breach(
    cx: Cxgap, smtp_server: SmtpServer
) -> None:
    smtp_server.configure(cx)
    _assign(cx)
    worker = _worker(cx)
    assert worker.run_once() is not None
    [letter] = smtp_server.wait_for(1)
    assert letter["Subject"] == "Le dossier 1 de Acme vous est attribué"
    assert "« Colis perdu »" in letter.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    with cx.transaction() as session:
        job = session.scalars(select(Job).where(Job.kind == "case_breaches")).first()
        assert job is None
    with cx.transaction() as session:
        from cxgap.jobs import store

        store.enqueue(session, "case_breaches")
    assert worker.run_once() is not None  # announces first response and resolution missed
    assert worker.run_once() is not None and worker.run_once() is not None
    letters = smtp_server.wait_for(3)
    subjects = sorted(m["Subject"] for m in letters[1:])
    assert subjects == ["Le dossier 1 de Acme a dépassé son délai"] * 2
    bodies = " ".join(m.get_body(("plain",)).get_content() for m in letters[1:])  # type: ignore[union-attr]
    assert "délai de première réponse" in bodies and "délai de résolution" in bodies


def test_without_smtp_the_notice_is_skipped_and_said(cx: Cxgap) -> None:
    _assign(cx)
    assert _worker(cx).run_once() is not None
    with cx.reading() as session:
        job = session.scalars(select(Job).where(Job.kind == "case_mail")).one()
    assert job.status == "done" and job.result is not None and job.result["sent"] == 0
