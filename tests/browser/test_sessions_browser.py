"""In a real browser: "Sign out everywhere" on the account page ends the other browser's
session too, and the account and audit pages fit a phone in both languages."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from tests.factories import PASSWORD, make_user, make_workspace

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page
    from tests.browser.conftest import LiveServer

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}


def _signed_in(browser: Browser, live_server: LiveServer, **options: object) -> Page:
    page = browser.new_context(locale="en-GB", **options).new_page()  # type: ignore[arg-type]
    page.goto(f"{live_server.url}/login")
    page.get_by_label("E-mail").fill("cx@example.com")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{live_server.url}/")
    return page


@pytest.fixture
def admin(live_server: LiveServer) -> None:
    with live_server.cx.transaction() as session:
        make_user(session, "cx@example.com", workspace=make_workspace(session), role="admin")


def test_sign_out_everywhere_ends_the_other_browsers_session(
    browser: Browser, live_server: LiveServer, admin: None
) -> None:
    laptop = _signed_in(browser, live_server)
    phone = _signed_in(browser, live_server, viewport=PHONE, is_mobile=True)
    phone.goto(f"{live_server.url}/account")
    assert phone.get_by_text("this browser", exact=True).count() == 1
    laptop.goto(f"{live_server.url}/account")
    laptop.get_by_role("button", name="Sign out everywhere").click()
    laptop.wait_for_url(f"{live_server.url}/login")
    phone.reload()
    assert phone.url.startswith(f"{live_server.url}/login")
    assert phone.get_by_role("button", name="Log in").is_visible()


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_account_and_audit_pages_fit_a_phone(
    browser: Browser, live_server: LiveServer, admin: None, lang: str
) -> None:
    page = _signed_in(browser, live_server, viewport=PHONE, is_mobile=True)
    page.request.get(f"{live_server.url}/w/acme/export/customer_answers.csv")
    for path in ("/account", "/w/acme/members", "/audit"):
        page.goto(f"{live_server.url}{path}?lang={lang}")
        assert page.locator("html").get_attribute("lang") == lang
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], f"{path} is {width} px wide"
    # A workspace admin: the export is there, the sign-in (of no workspace) is not.
    assert page.locator("table.audit tbody tr").count() == 1
