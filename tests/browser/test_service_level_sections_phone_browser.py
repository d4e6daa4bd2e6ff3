"""The service-level sections the phone walk does not reach (it visits ``{section}`` once, as
the policies): the calendar and the service menu's tiers, whose per-priority targets table
made the whole page scroll sideways on a 390 px phone, fit it in English and French."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from tests.demo_prepared import prepare_demo
from tests.factories import PASSWORD
from tests.prepared import Prepared

from cxgap.services.core import Cxgap

if TYPE_CHECKING:
    from playwright.sync_api import Browser
    from tests.browser.conftest import LiveServer

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def demo(sqlite_cx: Cxgap, prepared: Prepared) -> Cxgap:
    """The demo (prepared once) and an admin of it, before the live server starts."""
    return prepare_demo(prepared, sqlite_cx, n_customers=60, users=[("cx@example.com", "admin")])


def test_the_calendar_and_tiers_sections_fit_a_phone(
    demo: Cxgap, browser: Browser, live_server: LiveServer
) -> None:
    context = browser.new_context(locale="en-GB", viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(f"{live_server.url}/login")
    page.get_by_label("E-mail").fill("cx@example.com")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{live_server.url}/")
    too_wide = {}
    for section in ("calendar", "tiers"):
        for lang in ("en", "fr"):
            page.goto(f"{live_server.url}/w/demo/service-levels/{section}?lang={lang}")
            assert page.locator("h1").count() == 1
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > PHONE["width"]:
                too_wide[f"{section} {lang}"] = width
    context.close()
    assert too_wide == {}
