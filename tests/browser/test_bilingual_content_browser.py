"""A persona written in French only, read in English (marked "EN missing"), then completed
in English: the marker goes, the French lines stay."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from tests.browser.conftest import LiveServer, logged_in_page
from tests.factories import make_user, make_workspace

from cxgap.services import journeys
from cxgap.services.workspaces import get_workspace

if TYPE_CHECKING:
    from playwright.sync_api import Browser

pytestmark = pytest.mark.browser


def test_a_french_only_persona_is_read_in_english_then_completed(
    browser: Browser, live_server: LiveServer
) -> None:
    with live_server.cx.transaction() as session:
        make_user(session, "ana@example.com", workspace=make_workspace(session), role="analyst")
    with logged_in_page(browser, live_server, "ana@example.com") as page:
        page.goto(f"{live_server.url}/w/acme/personas/new?lang=fr")
        assert (
            page.locator("#needs_fr")
            .evaluate("e => e.labels[0].textContent")
            .startswith("Besoins (FR)")
        )
        page.locator("#name").fill("Nadia Benali")
        page.locator("#needs_fr").fill("Des délais fiables\nUn seul interlocuteur")
        page.locator("form.pe-form button[type=submit]").click()
        page.wait_for_url(f"{live_server.url}/w/acme/personas/nadia-benali")
        assert page.locator("[data-missing]").count() == 0  # French reader, French written

        page.goto(f"{live_server.url}/w/acme/personas/nadia-benali?lang=en")
        marker = page.locator('[data-missing="en"]')
        assert marker.first.inner_text() == "EN missing"
        assert "Des délais fiables" in page.locator('[data-persona-text="needs"]').inner_text()

        page.goto(f"{live_server.url}/w/acme/personas/nadia-benali/edit")
        assert page.locator('label[for="needs"] [data-missing="en"]').inner_text() == "EN missing"
        assert page.locator('label[for="needs_fr"] [data-missing]').count() == 0
        page.locator("#needs").fill("Reliable lead times\nOne contact")
        page.locator("form.pe-form button[type=submit]").click()
        page.wait_for_url(f"{live_server.url}/w/acme/personas/nadia-benali")
        assert page.locator("[data-missing]").count() == 0
        assert "Reliable lead times" in page.locator('[data-persona-text="needs"]').inner_text()
    with live_server.cx.reading() as session:
        workspace = get_workspace(session, "acme")
        nadia = journeys.get_persona(session, workspace=workspace, key="nadia-benali")
    assert nadia.needs == ("Reliable lead times", "One contact")
    assert nadia.needs_fr == ("Des délais fiables", "Un seul interlocuteur")
