"""The recovery survey's e-mail: in the customer's language, with a link that opens the
survey, through a real SMTP server on loopback; recorded on the case, never sent twice, not
sent to an address that opted out meanwhile, and said when e-mail is not configured."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from sqlalchemy import select

from cxgap.db.tables import CaseEvent, CaseRecovery, MailOptOut
from cxgap.jobs import case_recovery
from cxgap.jobs.runner import JobContext
from cxgap.jobs.worker import Worker
from cxgap.services import case_recovery as recovery_service
from cxgap.services import cases, recovery_answers
from cxgap.services.core import Cxgap
from cxgap.services.survey_mailing import email_hash
from tests.factories import make_workspace
from tests.smtp_server import SmtpServer, smtp_server

__all__ = ["smtp_server"]
T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def _worker(cx: Cxgap) -> Worker:
    kinds = {case_recovery.KIND.name: case_recovery.KIND}
    return Worker(JobContext(cx.sessions, cx.settings.data_dir, kinds=kinds, settings=cx.settings))


def _ask(cx: Cxgap, language: str = "fr", email: str = "jo@example.com") -> int:
    with cx.transaction() as session:
        workspace = make_workspace(session, name="Maison Lumen")
        case, _ = cases.open_case(
            session, workspace=workspace, subject="Colis perdu", customer_ref=email
        )
        cases.set_status(session, case=case, status="closed", actor_id=None)
        recovery, _ = recovery_service.request_recovery(
            session, case=case, secret=cx.settings.resolved_secret_key(), language=language
        )
        case_recovery.send_recovery(session, recovery.id, workspace.id, "https://cx.example.com")
        return recovery.id


def test_the_customer_receives_the_survey_in_their_language(
    cx: Cxgap, smtp_server: SmtpServer
) -> None:
    smtp_server.configure(cx)
    recovery_id = _ask(cx, "fr")
    assert _worker(cx).run_once() is not None
    [letter] = smtp_server.wait_for(1)
    assert letter["To"].addresses[0].addr_spec == "jo@example.com"
    assert letter["Subject"] == "Maison Lumen : comment avons-nous traité votre demande ?"
    text = letter.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert "Colis perdu" not in text  # the case's subject is the team's words, not the mail's
    link = re.search(r"https://cx\.example\.com/r/([\w-]+)\?lang=fr", text)
    assert link is not None
    with cx.reading() as session:
        row = session.get(CaseRecovery, recovery_id)
        assert row is not None and row.sent_at is not None and row.failure == ""
        assert recovery_answers.open_link(session, link.group(1)).brand == "Maison Lumen"
        events = session.scalars(select(CaseEvent.type).order_by(CaseEvent.id)).all()
        assert events[-1] == "recovery_sent"
    with cx.transaction() as session:  # the job run again (a retry): nothing more is sent
        case_recovery.send_recovery(session, recovery_id, row.workspace_id, "https://x")
    assert _worker(cx).run_once() is not None
    assert len(smtp_server.wait_for(2, timeout=0.5)) == 1


def test_an_address_that_opted_out_meanwhile_is_not_mailed(
    cx: Cxgap, smtp_server: SmtpServer
) -> None:
    smtp_server.configure(cx)
    recovery_id = _ask(cx, "en")
    with cx.transaction() as session:
        row = session.get(CaseRecovery, recovery_id)
        assert row is not None
        session.add(MailOptOut(workspace_id=row.workspace_id, email_hash=email_hash(row.email)))
    assert _worker(cx).run_once() is not None
    assert smtp_server.wait_for(1, timeout=0.5) == []
    with cx.reading() as session:
        row = session.get(CaseRecovery, recovery_id)
        assert row is not None and row.sent_at is None and row.failure == "opted_out"


def test_without_smtp_the_case_says_it_was_not_sent(cx: Cxgap) -> None:
    recovery_id = _ask(cx)
    assert _worker(cx).run_once() is not None
    with cx.reading() as session:
        row = session.get(CaseRecovery, recovery_id)
        assert row is not None and row.sent_at is None and row.failure == "not_configured"


def test_a_refusing_server_is_said_on_the_case(cx: Cxgap, smtp_server: SmtpServer) -> None:
    smtp_server.configure(cx)
    recovery_id = _ask(cx, "en", email="refuse-me@example.com")
    assert _worker(cx).run_once() is not None
    assert smtp_server.refused == ["refuse-me@example.com"]
    with cx.reading() as session:
        row = session.get(CaseRecovery, recovery_id)
        assert row is not None and row.sent_at is None and row.failure != ""
