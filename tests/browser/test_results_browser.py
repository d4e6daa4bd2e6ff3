"""A CX manager reads the demo results in a real browser and changes how they are computed."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest
from tests.browser.conftest import LiveServer, logged_in_page
from tests.factories import make_user

from cxgap.services.demo import create_demo_workspace

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

pytestmark = pytest.mark.browser


@pytest.fixture
def manager_page(browser: Browser, live_server: LiveServer) -> Iterator[Page]:
    with live_server.cx.transaction() as session:
        create_demo_workspace(session, n_customers=200)
        make_user(session, "cx@example.com", superuser=True)
    with logged_in_page(browser, live_server, "cx@example.com") as page:
        yield page


def test_changing_the_confidence_level_updates_the_results_in_place(
    manager_page: Page, live_server: LiveServer
) -> None:
    page = manager_page
    page.goto(f"{live_server.url}/w/demo/results")
    assert "95" in page.locator(".results-section").last.inner_text()
    page.get_by_label("Confidence level").select_option("0.99")
    page.wait_for_url("**/w/demo/results?confidence=0.99*")
    page.wait_for_function("document.querySelector('#results-body').innerText.includes('99')")
    method = page.locator("#results-body .results-section").last.inner_text()
    assert "99" in method
    # htmx swapped the results only: the page itself (and its form) stayed.
    assert page.get_by_label("Confidence level").input_value() == "0.99"


def test_the_results_page_reads_in_french(manager_page: Page, live_server: LiveServer) -> None:
    page = manager_page
    page.goto(f"{live_server.url}/w/demo/results?lang=fr")
    assert page.locator("html").get_attribute("lang") == "fr"
    assert page.get_by_role("heading", name="Écart de connaissance", exact=False).count() >= 1
    page.get_by_text("Les chiffres").first.click()  # each chart's numbers, one click away
    assert page.locator("details[open] table").first.is_visible()
