"""In French: a taken survey key is refused in French, Listening counts one verbatim in the
singular and names the channels it knows."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from tests.browser.conftest import LiveServer, logged_in_page
from tests.enrichment_factory import add_feedback
from tests.factories import PASSWORD, make_user, make_workspace

from cxgap.services import campaigns

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

pytestmark = pytest.mark.browser


def _workspace(live_server: LiveServer) -> None:
    with live_server.cx.transaction() as session:
        workspace = make_workspace(session)
        campaigns.create_survey(session, workspace=workspace, key="clients", name="Clients")
        add_feedback(session, workspace, "Livraison rapide", nps=9, score=0.6, channel="survey")
        add_feedback(session, workspace, "Colis abîmé", channel="helpdesk")
        make_user(session, "ana@example.com", workspace=workspace, role="analyst")


def test_a_taken_survey_key_is_refused_in_french(browser: Browser, live_server: LiveServer) -> None:
    """A 409 page: the browser logs the status as a console error, so this page is opened
    without ``logged_in_page``'s check of the console."""
    _workspace(live_server)
    context = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page_errors: list[str] = []
    page.on("pageerror", lambda exc: page_errors.append(str(exc)))
    try:
        page.goto(f"{live_server.url}/login?lang=fr")
        page.get_by_label("E-mail").fill("ana@example.com")
        page.get_by_label("Mot de passe").fill(PASSWORD)
        page.get_by_role("button", name="Se connecter").click()
        page.wait_for_url(f"{live_server.url}/")
        page.goto(f"{live_server.url}/w/acme/collect?lang=fr")
        form = page.locator("form[action$='/collect/surveys']")
        form.get_by_label("Nom").fill("Clients fidèles")
        form.get_by_label("Clé").fill("clients")
        form.get_by_role("button").click()
        message = page.locator(".error-page").inner_text()
        assert "Cet espace de travail a déjà une enquête de clé « clients »" in message
        assert "already exists" not in page.content()
    finally:
        context.close()
    assert page_errors == []


def test_listening_in_french_counts_and_names_channels(
    browser: Browser, live_server: LiveServer
) -> None:
    _workspace(live_server)
    with logged_in_page(browser, live_server, "ana@example.com") as page:
        _listening_in_french(page, live_server)


def _listening_in_french(page: Page, live_server: LiveServer) -> None:
    page.goto(f"{live_server.url}/w/acme/listening?lang=fr")
    notice = page.locator("p.notice-info[role=status]")
    assert "Verbatims enrichis pour l'instant : 1 sur 2 ;" in notice.inner_text()
    channels = page.locator("section.facet", has_text="Canal")
    assert channels.get_by_role("link", name="Enquête").count() == 1
    assert channels.get_by_role("link", name="helpdesk").count() == 1  # the importer's own word
    page.locator("#filter-channel").select_option(label="Enquête")
    page.wait_for_url("**channel=survey**")
    assert page.locator(".verbatim").count() == 1
    assert page.locator(".verbatim .verbatim-meta").first.inner_text().startswith("Enquête")
