"""A CX manager reads the lived paths of the demo in French: narrows them to a persona with
the filter form, widens the repeat-contact window, opens the conformance page; on a phone the
page never scrolls sideways, the Sankey scrolls in its own frame."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest
from tests.browser.conftest import LiveServer
from tests.enrichment_factory import enrich_demo
from tests.factories import PASSWORD, make_user

from cxgap.services.demo import create_demo_workspace
from cxgap.services.workspaces import get_workspace

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

pytestmark = pytest.mark.browser
# Elements past the right edge that no scrolling frame holds (what widens the page).
WIDE = """[...document.querySelectorAll('body *')].filter(e => {
  if (e.getBoundingClientRect().right <= 391) return false;
  for (let a = e.parentElement; a; a = a.parentElement) {
    if (['auto', 'scroll', 'hidden'].includes(getComputedStyle(a).overflowX)) return false;
  }
  return true;
}).slice(0, 5).map(e => e.tagName + '.' + e.className + ' ' + e.getBoundingClientRect().right)
.concat([...document.querySelectorAll('*')].filter(e => e.scrollWidth > e.clientWidth + 1
  && getComputedStyle(e).overflowX === 'visible').slice(0, 8)
  .map(e => e.tagName + '.' + e.className + ':' + e.scrollWidth + '/' + e.clientWidth))"""


@pytest.fixture
def manager(browser: Browser, live_server: LiveServer) -> Iterator[Page]:
    with live_server.cx.transaction() as session:
        create_demo_workspace(session, n_customers=60)
        enrich_demo(session, get_workspace(session, "demo"))
        make_user(session, "cx@example.com", superuser=True)
    context = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(f"{live_server.url}/login")
    page.locator("input[name=email]").fill("cx@example.com")
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/")
    yield page
    context.close()
    assert errors == []


def _cases(page: Page) -> int:
    value = page.locator(".stat").first.locator(".stat-value").inner_text()
    return int("".join(ch for ch in value if ch.isdigit()))


def test_filter_the_paths_and_read_them_on_a_phone(manager: Page, live_server: LiveServer) -> None:
    page = manager
    page.goto(f"{live_server.url}/w/demo/paths?lang=fr")
    everyone = _cases(page)
    page.select_option("#paths-persona", "claire")
    page.fill("#paths-days", "30")
    page.get_by_role("button", name="Afficher").click()
    page.wait_for_url("**persona=claire**")
    assert 0 < _cases(page) < everyone
    assert page.get_by_role("heading", name="Recontacts sous 30 jours").is_visible()

    page.get_by_role("link", name="Conformité à la carte").click()
    page.wait_for_url("**/paths/conformance?**persona=claire**")
    assert page.get_by_role("heading", name="Où les clients quittent la carte").is_visible()

    # on a phone (tests/browser/test_phone_layout_browser.py checks the page never scrolls
    # sideways), the drawing scrolls in its own frame at its natural width
    phone = page.context.browser.new_context(  # type: ignore[union-attr]
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True,
        storage_state=page.context.storage_state(),
    )  # fmt: skip
    small = phone.new_page()
    small.goto(f"{live_server.url}/w/demo/paths?lang=fr")
    assert small.evaluate("document.documentElement.scrollWidth") <= 390, small.evaluate(WIDE)
    box = small.locator(".sankey-box")
    assert box.evaluate("el => el.scrollWidth > el.clientWidth")
    phone.close()
