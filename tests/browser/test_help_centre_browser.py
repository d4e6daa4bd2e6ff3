"""The help centre in a real browser: a customer asks, is shown the article that already
answers it, posts anyway; the team answers; the customer accepts the answer."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from tests.browser.conftest import logged_in_page
from tests.factories import make_user, make_workspace

from cxgap.services import help_articles
from cxgap.services.help_articles import ArticleDraft

if TYPE_CHECKING:
    from playwright.sync_api import Browser
    from tests.browser.conftest import LiveServer

pytestmark = pytest.mark.browser


def test_ask_see_the_article_post_team_answers_customer_accepts(
    browser: Browser, live_server: LiveServer
) -> None:
    with live_server.cx.transaction() as session:
        ws = make_workspace(session)
        make_user(session, "analyst@example.com", workspace=ws, role="analyst")
        draft = ArticleDraft(
            "Résilier mon abonnement", "Depuis votre espace client.", "fr", published=True
        )
        help_articles.save_article(session, workspace=ws, draft=draft)
    context = browser.new_context(locale="fr-FR", viewport={"width": 390, "height": 844})
    customer = context.new_page()
    errors: list[str] = []
    customer.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        customer.goto(f"{live_server.url}/community/acme/help/questions?lang=fr")
        customer.fill("#ask-title-field", "Comment resilier mon abonnement ?")
        customer.fill("#ask-email", "ana@example.com")
        customer.fill("#ask-name", "Ana")
        customer.click("#ask button[type=submit]")
        suggested = customer.locator("[data-suggested]")
        suggested.wait_for()
        assert "Résilier mon abonnement" in suggested.inner_text()
        customer.click("#ask button[type=submit]")  # "post my question anyway"
        customer.wait_for_url("**/help/questions/*")
        question_url = customer.url.split("?")[0]
        assert "Comment resilier mon abonnement" in customer.locator("h1").inner_text()

        with logged_in_page(browser, live_server, "analyst@example.com") as team:
            team.goto(question_url + "?lang=en")
            team.fill("#reply-body", "From your account page, under Subscription.")
            team.click("section:has(#reply-body) button[type=submit]")
            team.locator("[data-answer]").first.wait_for()
            assert "Answered by the Acme team" in team.locator("[data-answer]").inner_text()

        customer.goto(question_url + "?lang=fr")
        customer.get_by_role("button", name="Accepter cette réponse").click()
        accepted = customer.locator("[data-accepted]")
        accepted.wait_for()
        assert "Réponse acceptée" in accepted.inner_text()
    finally:
        context.close()
    assert errors == []
