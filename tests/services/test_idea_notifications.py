"""Closing the loop by e-mail: a status change queues one notice per follower who wants it,
``cxgap notify send`` and the worker deliver them through a real SMTP server on loopback, in
each person's language, with a working one-click unsubscribe; nothing is sent twice."""

from __future__ import annotations

import dataclasses
import html
import re
from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy import select, update
from typer.testing import CliRunner

from cxgap.cli.main import app
from cxgap.db.table_base import utcnow
from cxgap.db.tables import CommunityNotification, CommunityPerson
from cxgap.jobs import notifications
from cxgap.jobs.runner import JobContext
from cxgap.jobs.worker import Worker, submit
from cxgap.mail import mailer_for
from cxgap.services import idea_notifications, idea_statuses, ideas
from cxgap.services.community_people import anonymous_person, person_by_email
from cxgap.services.core import Cxgap
from cxgap.services.workspaces import get_workspace
from tests.factories import make_workspace
from tests.smtp_server import SmtpServer, smtp_server
from tests.warm_routes import app_for

__all__ = ["smtp_server"]
runner = CliRunner()
BASE = "http://cx.example.test"


def _board(cx: Cxgap) -> tuple[int, int]:
    """Ana (English) posts, Bob (French) votes, Eve votes but wants no idea e-mail, an
    anonymous browser votes, Zed is blocked: the idea's id and Bob's id."""
    with cx.transaction() as session:
        ws = make_workspace(session)
        ana = person_by_email(session, workspace=ws, email="ana@example.com")
        bob = person_by_email(session, workspace=ws, email="bob@example.com", language="fr")
        eve = person_by_email(session, workspace=ws, email="eve@example.com")
        zed = person_by_email(session, workspace=ws, email="zed@example.com")
        idea = ideas.submit_idea(session, workspace=ws, person=ana, title="Deliver on Saturdays")
        for person in (bob, eve, zed, anonymous_person(session, workspace=ws, key="k" * 64)):
            ideas.vote(session, workspace=ws, idea_id=idea.id, person=person)
        eve.mail_ideas, zed.blocked = False, True
        return idea.id, bob.id


def _change(cx: Cxgap, idea_id: int, status: str, message: str = "") -> int:
    with cx.transaction() as session:
        change = idea_statuses.change_status(
            session, workspace=get_workspace(session, "acme"), idea_id=idea_id, status=status,
            message=message, base_url=BASE,
        )  # fmt: skip
        return idea_notifications.waiting_for(session, change.id)


def _configure(cx: Cxgap, smtp: SmtpServer) -> dict[str, str]:
    smtp.configure(cx)
    return {
        "CXGAP_SMTP_URL": smtp.url(),
        "CXGAP_MAIL_FROM": "CX team <cx@example.com>",
        "CXGAP_SECRET_KEY": cx.settings.resolved_secret_key(),
    }


def test_a_status_change_mails_each_follower_once_in_their_language(
    cx: Cxgap, smtp_server: SmtpServer
) -> None:
    idea_id, _ = _board(cx)
    assert _change(cx, idea_id, "planned", "Coming in March") == 2  # Ana and Bob only
    env = _configure(cx, smtp_server)
    url = cx.settings.database_url
    sent = runner.invoke(app, ["notify", "send", "--database-url", url], env=env)
    assert sent.exit_code == 0, sent.output
    assert "2 sent" in sent.stdout
    messages = smtp_server.wait_for(2)
    by_to = {m["To"].addresses[0].addr_spec: m for m in messages}
    assert set(by_to) == {"ana@example.com", "bob@example.com"}
    english, french = by_to["ana@example.com"], by_to["bob@example.com"]
    assert english["Subject"] == "Acme: the idea “Deliver on Saturdays” is now Planned"
    assert french["Subject"] == "Acme : l'idée « Deliver on Saturdays » est maintenant Prévue"
    assert "Coming in March" in english.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert english["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert english["List-Unsubscribe"].startswith(f"<{BASE}/community/unsubscribe/")
    again = runner.invoke(app, ["notify", "send", "--database-url", url], env=env)
    assert again.exit_code == 0 and "0 sent" in again.stdout
    assert len(smtp_server.messages) == 2  # never twice


def test_one_click_unsubscribe_stops_the_next_ones(cx: Cxgap, smtp_server: SmtpServer) -> None:
    idea_id, bob_id = _board(cx)
    _change(cx, idea_id, "planned")
    _configure(cx, smtp_server)
    worker = Worker(JobContext.for_app(cx, kinds={notifications.NOTIFICATIONS: notifications.KIND}))
    with cx.transaction() as session:
        submit(session, notifications.NOTIFICATIONS, payload={})
    assert worker.run_once() is not None
    french = next(
        m for m in smtp_server.wait_for(2) if m["To"].addresses[0].addr_spec == "bob@example.com"
    )
    link = french["List-Unsubscribe"].strip("<>").removeprefix(BASE)
    with TestClient(app_for(cx)) as browser:  # no session, as from a mail client
        ask = browser.get(link)
        assert ask.status_code == 200 and "Me désinscrire" in ask.text
        with cx.transaction() as session:
            assert session.get(CommunityPerson, bob_id).mail_ideas  # a GET changes nothing
        done = browser.post(link, data={"List-Unsubscribe": "One-Click"})
        assert done.status_code == 200
        assert "vous ne recevrez plus" in html.unescape(done.text)
        forged = re.sub(r"/(\d+)\.", lambda m: f"/{int(m.group(1)) + 1}.", link)
        assert browser.get(forged).status_code == 404
        assert browser.post("/community/unsubscribe/nonsense").status_code == 404
    assert _change(cx, idea_id, "started") == 1  # Ana only now
    with cx.transaction() as session:
        person = session.get(CommunityPerson, bob_id)
        assert person is not None and not person.mail_ideas and not person.mail_answers


def test_preferences_turn_idea_mail_back_on(cx: Cxgap) -> None:
    idea_id, bob_id = _board(cx)
    token = idea_notifications.mail_token(cx.settings.resolved_secret_key(), bob_id)
    with TestClient(app_for(cx)) as browser:
        browser.post(f"/community/unsubscribe/{token}")
        assert _change(cx, idea_id, "planned") == 1
        saved = browser.post(f"/community/preferences/{token}?lang=en", data={"ideas": "1"})
        assert saved.status_code == 200 and "Your choices are saved" in saved.text
    assert _change(cx, idea_id, "started") == 2


def test_without_a_mail_server_notices_wait_and_the_command_says_why(cx: Cxgap) -> None:
    idea_id, _ = _board(cx)
    _change(cx, idea_id, "planned")
    env = {"CXGAP_SMTP_URL": "", "CXGAP_SECRET_KEY": cx.settings.resolved_secret_key()}
    refused = runner.invoke(
        app, ["notify", "send", "--database-url", cx.settings.database_url], env=env
    )
    assert refused.exit_code == 2 and "CXGAP_SMTP_URL" in refused.stderr
    with cx.transaction() as session:
        assert idea_notifications.pending(session) == 2


def test_a_refused_address_and_a_dead_senders_claims_are_reported_not_resent(
    cx: Cxgap, smtp_server: SmtpServer
) -> None:
    idea_id, _ = _board(cx)
    with cx.transaction() as session:
        ws = get_workspace(session, "acme")
        refuse = person_by_email(session, workspace=ws, email="refuse-me@example.com")
        ideas.follow(session, workspace=ws, idea_id=idea_id, person=refuse)
    assert _change(cx, idea_id, "planned") == 3
    with cx.transaction() as session:  # a sender claimed Ana's notice and died
        stale = utcnow() - timedelta(hours=1)
        ana = select(CommunityPerson.id).where(CommunityPerson.email == "ana@example.com")
        session.execute(
            update(CommunityNotification)
            .where(CommunityNotification.person_id.in_(ana))
            .values(claimed_at=stale)
        )
    smtp_server.configure(cx)
    settings = dataclasses.replace(cx.settings)
    outcome = idea_notifications.deliver_pending(
        cx.sessions, send=mailer_for(settings).send, secret=settings.resolved_secret_key()
    )
    assert (outcome.sent, outcome.refused, outcome.skipped) == (1, 1, 1)
    with cx.transaction() as session:
        failures = dict(
            session.execute(
                select(CommunityPerson.email, CommunityNotification.failure).join(
                    CommunityNotification, CommunityNotification.person_id == CommunityPerson.id
                )
            ).all()
        )
    assert failures["ana@example.com"] == "interrupted"
    assert failures["refuse-me@example.com"].startswith("recipient refused")
    assert failures["bob@example.com"] == ""
    assert [m["To"].addresses[0].addr_spec for m in smtp_server.messages] == ["bob@example.com"]
