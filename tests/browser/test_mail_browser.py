"""Invitations and survey e-mails in a real browser, with a real SMTP server on loopback."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from tests.browser.conftest import logged_in_page
from tests.factories import PASSWORD, make_user, make_workspace
from tests.smtp_server import SmtpServer, smtp_server

from cxgap.jobs import BackgroundWorker, mail
from cxgap.jobs.runner import JobContext
from cxgap.jobs.worker import Worker
from cxgap.services import accounts, campaigns

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page
    from tests.browser.conftest import LiveServer

__all__ = ["smtp_server"]
pytestmark = pytest.mark.browser
NEW_PASSWORD = "my own long password"


@pytest.fixture
def acme(live_server: LiveServer, smtp_server: SmtpServer) -> Iterator[LiveServer]:
    with live_server.cx.transaction() as session:
        workspace = make_workspace(session)
        make_user(session, "admin@example.com", workspace=workspace, role="admin")
        campaigns.create_survey(session, workspace=workspace, key="pulse", name="Pulse")
    smtp_server.configure(live_server.cx)
    # The e-mails are sent by a worker, as the served app's embedded one would.
    context = JobContext.for_app(live_server.cx, kinds={mail.MAIL: mail.KIND})
    worker = BackgroundWorker(Worker(context, poll_seconds=0.2))
    worker.start()
    yield live_server
    worker.stop()


@contextmanager
def _visitor(browser: Browser, locale: str = "en-GB", width: int = 1280) -> Iterator[Page]:
    """Someone not signed in, following a link from an e-mail."""
    context = browser.new_context(locale=locale, viewport={"width": width, "height": 900})
    errors: list[str] = []
    try:
        page = context.new_page()
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        yield page
    finally:
        context.close()
    assert errors == []


def _link(server: SmtpServer, to: str, pattern: str) -> str:
    [message] = server.to(to)[-1:]
    body = message.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    found = re.search(pattern, body)
    assert found, body
    return found.group(0)


def test_an_invited_colleague_chooses_their_password(
    browser: Browser, acme: LiveServer, smtp_server: SmtpServer, shots: Path
) -> None:
    with logged_in_page(browser, acme, "admin@example.com") as page:
        page.goto(f"{acme.url}/w/acme/members")
        page.get_by_label("E-mail", exact=True).fill("zoe@example.com")
        page.get_by_label("Name").fill("Zoé")
        page.get_by_label("Role").select_option("analyst")
        page.get_by_label("Language of the e-mail").select_option("fr")
        page.get_by_role("button", name="Invite or save the role").click()
        page.get_by_text("Invitation sent to zoe@example.com").wait_for()
        zoe = page.get_by_role("row").filter(has_text="zoe@example.com")
        assert zoe.get_by_text("Invitation not accepted yet").is_visible()
        assert zoe.get_by_role("button", name="Send a new invitation").is_visible()
        assert "/invite/" not in page.content()  # the link went by e-mail only
        page.screenshot(path=str(shots / "members-invited.png"), full_page=True)
    smtp_server.wait_for(1)
    link = _link(smtp_server, "zoe@example.com", r"http://127\.0\.0\.1:\d+/invite/[\w-]+")
    with _visitor(browser, "fr-FR", 390) as page:
        page.goto(link)
        page.get_by_role("heading", name="Choisissez votre mot de passe").wait_for()
        page.get_by_label("Nouveau mot de passe").fill(NEW_PASSWORD)
        page.get_by_label("Confirmez-le").fill("something else entirely")
        page.get_by_role("button", name="Enregistrer et se connecter").click()
        page.get_by_text("Les deux mots de passe diffèrent").wait_for()
        page.get_by_label("Nouveau mot de passe").fill(NEW_PASSWORD)
        page.get_by_label("Confirmez-le").fill(NEW_PASSWORD)
        page.get_by_role("button", name="Enregistrer et se connecter").click()
        page.wait_for_url(f"{acme.url}/w/acme")
        page.goto(link)
        page.get_by_text("Ce lien d'invitation a déjà été utilisé.").wait_for()
    with acme.cx.reading() as session:
        assert accounts.authenticate(session, email="zoe@example.com", password=NEW_PASSWORD)


def test_a_temporary_password_is_replaced_at_first_sign_in(
    browser: Browser, acme: LiveServer
) -> None:
    with acme.cx.transaction() as session:
        accounts.create_user(
            session, email="tmp@example.com", password=PASSWORD, must_change_password=True
        )
    with _visitor(browser) as page:
        page.goto(f"{acme.url}/login")
        page.get_by_label("E-mail").fill("tmp@example.com")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Log in").click()
        page.get_by_role("heading", name="Choose a new password").wait_for()
        page.goto(f"{acme.url}/account")
        page.wait_for_url(re.compile(r"/login\?next="))  # nowhere else until it is changed
        page.goto(f"{acme.url}/login/password")
        page.get_by_label("New password").fill(NEW_PASSWORD)
        page.get_by_label("Type it again").fill(NEW_PASSWORD)
        page.get_by_role("button", name="Save and continue").click()
        page.wait_for_url(f"{acme.url}/")
        page.goto(f"{acme.url}/account")
        page.get_by_text("tmp@example.com").wait_for()


def test_a_survey_is_mailed_opened_reminded_and_unsubscribed(
    browser: Browser, acme: LiveServer, smtp_server: SmtpServer, shots: Path, tmp_path: Path
) -> None:
    recipients = tmp_path / "clients.csv"
    recipients.write_text(
        "email;language;segment;customer_ref\nana@example.com;fr;pro;C1\nbo@example.com;en;;C2\n",
        encoding="utf-8",
    )
    with logged_in_page(browser, acme, "admin@example.com") as page:
        page.goto(f"{acme.url}/w/acme/collect")
        page.get_by_role("link", name="Send by e-mail").click()
        page.get_by_role("heading", name="Send “Pulse” by e-mail").wait_for()
        page.get_by_label("List of recipients (CSV or Excel workbook)").set_input_files(
            str(recipients)
        )
        page.get_by_role("button", name="Send the invitations").click()
        page.get_by_text("2 invitations sent.").wait_for()
    smtp_server.wait_for(2)
    survey = _link(
        smtp_server, "ana@example.com", r"http://\S+/s/[\w-]+\?invitation=[\w-]+&lang=fr"
    )
    with _visitor(browser, "en-GB", 390) as visitor:
        visitor.goto(survey)
        assert visitor.locator("html").get_attribute("lang") == "fr"
    with logged_in_page(browser, acme, "admin@example.com") as page:
        page.goto(f"{acme.url}/w/acme/collect/surveys/pulse/mail")
        wave = page.locator("[data-wave]")
        figures = ("sent", "failed", "opened", "answered", "rate")
        shown = [wave.locator(f'[data-figure="{f}"]').inner_text() for f in figures]
        assert shown == ["2", "0", "1", "0", "0%"]
        page.get_by_role("button", name="Remind the 2 people who have not answered").click()
        page.get_by_text("2 reminders sent.").wait_for()
        assert page.get_by_role("button", name=re.compile("Remind the")).count() == 0
        page.screenshot(path=str(shots / "survey-mail.png"), full_page=True)
    smtp_server.wait_for(4)
    optout = _link(smtp_server, "bo@example.com", r"http://\S+/optout/[\w-]+")
    with _visitor(browser) as visitor:
        visitor.goto(optout)
        visitor.get_by_role("button", name="Unsubscribe").click()
        visitor.get_by_text("Acme will not send you survey invitations any more").wait_for()
    with logged_in_page(browser, acme, "admin@example.com") as page:
        page.goto(f"{acme.url}/w/acme/results")
        page.get_by_role("link", name="Response rates").click()
        page.get_by_text("1 unsubscribed since.").wait_for()
        assert page.locator('[data-wave] [data-figure="survey"]').inner_text() == "Pulse"


def test_a_french_admin_sends_a_workbook_list_and_reads_its_problems_in_french(
    browser: Browser, acme: LiveServer, smtp_server: SmtpServer, tmp_path: Path
) -> None:
    """The refusal is a 422 page, which the browser logs as a console error: the page is
    opened without ``logged_in_page``'s check of the console, page errors still fail."""
    from tests.services.test_recipient_lists_xlsx import workbook

    bad = tmp_path / "clients.xlsx"
    bad.write_bytes(workbook([["Courriel", "Langue"], ["ana@example.com", "fr"], ["bo@", "en"]]))
    good = tmp_path / "clients-corrige.xlsx"
    good.write_bytes(
        workbook([["Courriel", "Langue"], ["ana@example.com", "fr"], ["bo@example.com", "en"]])
    )
    context = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page_errors: list[str] = []
    page.on("pageerror", lambda exc: page_errors.append(str(exc)))
    try:
        page.goto(f"{acme.url}/login?lang=fr")
        page.get_by_label("E-mail").fill("admin@example.com")
        page.get_by_label("Mot de passe").fill(PASSWORD)
        page.get_by_role("button", name="Se connecter").click()
        page.wait_for_url(f"{acme.url}/")
        mail_page = f"{acme.url}/w/acme/collect/surveys/pulse/mail?lang=fr"
        page.goto(mail_page)
        field = page.get_by_label("Liste des destinataires (CSV ou classeur Excel)")
        field.set_input_files(str(bad))
        page.get_by_role("button", name="Envoyer les invitations").click()
        problem = page.get_by_text("clients.xlsx, ligne 3, colonne « Courriel »")
        assert "n'est pas une adresse e-mail (valeur « bo@ »)" in problem.inner_text()
        assert smtp_server.messages == []
        page.goto(mail_page)
        field.set_input_files(str(good))
        page.get_by_role("button", name="Envoyer les invitations").click()
        page.get_by_text("2 invitations envoyées").wait_for()
    finally:
        context.close()
    assert page_errors == []
    assert {m["To"] for m in smtp_server.wait_for(2)} == {"ana@example.com", "bo@example.com"}
