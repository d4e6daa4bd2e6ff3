"""The Policies page of the service levels shows every column at 1280 px (its last ones, the
pause statuses and Remove, were cut until scrolled) and, on a 390 px phone, its table scrolls
in its own frame while the page does not, in English and French."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from tests.demo_prepared import prepare_demo
from tests.factories import PASSWORD
from tests.prepared import Prepared

from cxgap.services.core import Cxgap

if TYPE_CHECKING:
    from playwright.sync_api import Browser, ViewportSize
    from tests.browser.conftest import LiveServer

pytestmark = pytest.mark.browser
DESKTOP: ViewportSize = {"width": 1280, "height": 900}
PHONE: ViewportSize = {"width": 390, "height": 844}


@pytest.fixture
def demo(sqlite_cx: Cxgap, prepared: Prepared) -> Cxgap:
    """The demo (prepared once) and an admin of it, before the live server starts."""
    return prepare_demo(prepared, sqlite_cx, n_customers=60, users=[("cx@example.com", "admin")])


def test_the_policies_table_fits_a_desktop_and_scrolls_in_its_frame_on_a_phone(
    demo: Cxgap, browser: Browser, live_server: LiveServer
) -> None:
    context = browser.new_context(locale="en-GB", viewport=DESKTOP)
    page = context.new_page()
    page.goto(f"{live_server.url}/login")
    page.get_by_label("E-mail").fill("cx@example.com")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{live_server.url}/")
    frame = page.locator(".table-wrap:has(table.sl-policies)")
    pauses = page.locator("textarea[name='policies[0].pause_statuses']")
    for lang in ("en", "fr"):
        page.set_viewport_size(DESKTOP)
        page.goto(f"{live_server.url}/w/demo/service-levels/policies?lang={lang}")
        assert frame.evaluate("f => f.scrollWidth <= f.clientWidth"), frame.evaluate(
            "f => [f.scrollWidth, f.clientWidth]"
        )
        assert pauses.input_value() == "pending_customer"
        remove = page.locator("input[name='policies[0].remove']").bounding_box()
        right = frame.evaluate("f => f.getBoundingClientRect().right")
        assert remove is not None and remove["x"] + remove["width"] <= right, lang
        # Several statuses wrap inside their box, which grows rather than scrolls.
        pauses.fill("pending_customer, on_hold, waiting_for_supplier")
        assert pauses.evaluate("t => t.scrollHeight <= t.clientHeight + 1"), lang
        assert pauses.evaluate("t => t.scrollWidth <= t.clientWidth + 1"), lang
        page.set_viewport_size(PHONE)
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], lang
        assert frame.evaluate("f => f.scrollWidth > f.clientWidth"), lang
    context.close()
