"""The idea board's whole loop in a real browser, with a real SMTP server on loopback: a
customer submits an idea (ideas like it appear while the title is typed) and signs in by the
e-mailed link, another browser votes, a team member changes the idea's status with a message
on the workspace's page, the outbox is delivered, the customer receives the news and its
one-click unsubscribe works."""

from __future__ import annotations

import re
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

import pytest
from tests.browser.conftest import logged_in_page
from tests.factories import make_user, make_workspace
from tests.smtp_server import SmtpServer, smtp_server

from cxgap.db.tables import CommunityPerson
from cxgap.mail.sender import mailer_for
from cxgap.services import idea_notifications, ideas
from cxgap.services.community_people import person_by_email

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page
    from tests.browser.conftest import LiveServer

__all__ = ["smtp_server"]
pytestmark = pytest.mark.browser


@pytest.fixture
def acme(live_server: LiveServer, smtp_server: SmtpServer) -> LiveServer:
    with live_server.cx.transaction() as session:
        workspace = make_workspace(session)
        make_user(session, "ana@example.com", workspace=workspace, role="analyst")
        sam = person_by_email(session, workspace=workspace, email="sam@example.com")
        ideas.submit_idea(
            session, workspace=workspace, person=sam, title="Deliver on Saturdays",
            description="Weekend delivery for people who work all week",
        )  # fmt: skip
    smtp_server.configure(live_server.cx)
    return live_server


@contextmanager
def _customer(browser: Browser, locale: str = "en-GB", width: int = 1280) -> Iterator[Page]:
    context = browser.new_context(locale=locale, viewport={"width": width, "height": 900})
    errors: list[str] = []
    try:
        page = context.new_page()
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        yield page
    finally:
        context.close()
    assert errors == []


def _body(server: SmtpServer, to: str) -> str:
    [message] = server.to(to)[-1:]
    return message.get_body(("plain",)).get_content()  # type: ignore[union-attr, no-any-return]


def test_submit_sign_in_vote_status_change_e_mail_and_unsubscribe(
    browser: Browser, acme: LiveServer, smtp_server: SmtpServer
) -> None:
    url = acme.url
    with _customer(browser) as bea:
        bea.goto(f"{url}/community/acme/ideas/new")
        title = bea.get_by_label("Your idea in a few words")
        title.press_sequentially("saturday deliveries", delay=10)
        live = bea.locator("#similar-live")
        live.get_by_role("link", name="Deliver on Saturdays").wait_for()
        title.fill("")
        title.press_sequentially("Dark mode for the app", delay=5)
        live.wait_for(state="hidden")
        bea.get_by_label("Details (optional)").fill("Easier on the eyes at night")
        bea.get_by_label("Your e-mail address").fill("bea@example.com")
        bea.get_by_role("button", name="Post my idea").click()
        bea.get_by_text("Check your e-mail").wait_for()
        smtp_server.wait_for(1)
        link = re.search(r"http://\S+/signin/\S+", _body(smtp_server, "bea@example.com"))
        assert link, "no sign-in link"
        bea.goto(link.group(0))
        bea.wait_for_url(re.compile(r"/community/acme/ideas/new$"))
        assert bea.get_by_label("Your idea in a few words").input_value() == "Dark mode for the app"
        bea.get_by_role("button", name="Post my idea").click()
        bea.get_by_role("heading", name="Dark mode for the app").wait_for()
        idea_url = bea.url

    with _customer(browser, locale="fr-FR", width=390) as leo:  # another browser, in French
        leo.goto(f"{url}/community/acme/ideas?lang=fr")
        line = leo.locator("li.ib-line").filter(has_text="Dark mode for the app")
        line.get_by_role("button", name=re.compile("Voter")).click()
        leo.locator("li.ib-line").filter(has_text="Dark mode for the app").get_by_role(
            "button", name=re.compile("Voté")
        ).wait_for()
        assert (
            leo.locator("li.ib-line").filter(has_text="Dark mode").locator(".ib-count").inner_text()
            == "2"
        )

    with logged_in_page(browser, acme, "ana@example.com") as team:
        team.goto(f"{url}/w/acme/ideas")
        dark = team.get_by_role("link", name="Dark mode for the app")
        row = team.locator("tr[data-idea]").filter(has=dark)
        row.get_by_text("Change the status").click()
        row.get_by_label("Status").select_option("planned")
        row.get_by_label("Message to the followers").fill("Coming in March, thanks for asking!")
        row.get_by_role("button", name="Change and tell the followers").click()
        changed = team.locator("tr[data-idea]").filter(has=dark).locator(".ib-status")
        changed.filter(has_text="Planned").wait_for()

    cx = acme.cx
    outcome = idea_notifications.deliver_pending(
        cx.sessions, send=mailer_for(cx.settings).send, secret=cx.settings.resolved_secret_key()
    )
    assert outcome.sent == 1  # bea; the French voter is anonymous, with no address
    smtp_server.wait_for(2)
    [news] = smtp_server.to("bea@example.com")[-1:]
    assert "Dark mode for the app" in news["Subject"] and "Planned" in news["Subject"]
    assert "Coming in March, thanks for asking!" in _body(smtp_server, "bea@example.com")
    assert news["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    unsubscribe = news["List-Unsubscribe"].strip("<>")
    assert unsubscribe.startswith(url)
    # The mail client's one-click unsubscribe (RFC 8058): a POST, no page, no cookie.
    request = urllib.request.Request(
        unsubscribe, data=b"List-Unsubscribe=One-Click", method="POST",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )  # fmt: skip
    with urllib.request.urlopen(request, timeout=10) as answer:
        assert answer.status == 200
    with cx.transaction() as session:
        bea_row = session.query(CommunityPerson).filter_by(email="bea@example.com").one()
        assert bea_row.mail_ideas is False
    with _customer(browser) as again:
        again.goto(idea_url)
        again.get_by_text("Coming in March, thanks for asking!").first.wait_for()
