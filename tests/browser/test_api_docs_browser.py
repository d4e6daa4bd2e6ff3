"""The REST API reference (/api/docs, Swagger UI over the OpenAPI document) reads on a 390 px
phone: the viewport is the device's, the page never scrolls sideways, an operation opens with
its parameters and the error shape it may answer, and operationIds show on a desktop only."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page
    from tests.browser.conftest import LiveServer

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def phone(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        yield page
    finally:
        context.close()
    assert errors == []


def test_the_api_reference_fits_a_phone(phone: Page, live_server: LiveServer, shots: Path) -> None:
    phone.goto(f"{live_server.url}/api/docs")
    assert phone.locator("html").get_attribute("lang") == "en"  # Swagger UI is in English
    operation = phone.locator("#operations-segments-create_segment")
    operation.wait_for()
    assert phone.evaluate("innerWidth") == PHONE["width"]  # the viewport meta tag is honoured
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    operation.locator(".opblock-summary").first.click()
    phone.locator("#operations-segments-create_segment .responses-table").first.wait_for()
    assert "ErrorOut" in operation.inner_text() or "422" in operation.inner_text()
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{width} px wide once an operation is open"
    assert "create_segment" not in operation.locator(".opblock-summary").first.inner_text()
    phone.screenshot(path=str(shots / "api-docs-phone.png"))
    phone.set_viewport_size({"width": 1280, "height": 900})
    phone.reload()
    phone.locator("#operations-segments-create_segment").wait_for()
    assert "create_segment" in phone.locator("#operations-segments-create_segment").inner_text()
    phone.screenshot(path=str(shots / "api-docs-desktop.png"))
