"""A CX manager explores verbatims in a real browser: filters swap the list in place, the
next page appends, the correction controls open, and the page reads in French."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest
from tests.browser.conftest import LiveServer, logged_in_page
from tests.factories import make_user, make_workspace
from tests.listening_factories import make_listening_sample, make_topics
from tests.prepared import Prepared

from cxgap.services.core import Cxgap

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page
    from sqlalchemy.orm import Session

pytestmark = pytest.mark.browser


def _sample(session: Session) -> None:
    workspace = make_workspace(session)
    make_topics(session, workspace)
    make_listening_sample(session, workspace, n=160)
    make_user(session, "cx@example.com", workspace=workspace, role="analyst")


@pytest.fixture
def sample(sqlite_cx: Cxgap, prepared: Prepared) -> Cxgap:
    """160 verbatims and their analyst (written once per session and copied for each test,
    which may correct a label), before the live server starts."""
    prepared.into(sqlite_cx, "listening-browser-160", _sample)
    return sqlite_cx


@pytest.fixture
def manager_page(sample: Cxgap, browser: Browser, live_server: LiveServer) -> Iterator[Page]:
    with logged_in_page(browser, live_server, "cx@example.com") as page:
        yield page


def test_filtering_paging_and_correcting_in_the_explorer(
    manager_page: Page, live_server: LiveServer
) -> None:
    from playwright.sync_api import expect

    page = manager_page
    page.goto(f"{live_server.url}/w/acme/listening")
    assert page.locator(".verbatim").count() == 50
    page.get_by_role("link", name="Show the next 50").click()
    expect(page.locator(".verbatim")).to_have_count(100)
    page.get_by_role("search").get_by_label("Topic", exact=True).select_option("billing")
    page.wait_for_url("**/w/acme/listening?*topic=billing*")
    heading = page.locator("#verbatims-title")
    expect(heading).not_to_have_text("160 verbatims")
    shown = page.locator(".verbatim")
    assert 0 < shown.count() < 100
    assert all("Billing" in text for text in shown.all_inner_texts())
    # htmx swapped the results only: the filter form kept its choice.
    assert page.get_by_role("search").get_by_label("Topic", exact=True).input_value() == "billing"
    first = page.locator(".verbatim").first
    first.get_by_text("Correct a label").click()
    assert first.get_by_label("Sentiment").first.is_visible()
    assert first.locator("form[hx-post$='/labels']").count() >= 4


def test_the_listening_pages_read_in_french(manager_page: Page, live_server: LiveServer) -> None:
    page = manager_page
    page.goto(f"{live_server.url}/w/acme/listening/topics?lang=fr")
    assert page.locator("html").get_attribute("lang") == "fr"
    assert page.get_by_role("heading", name="Principaux irritants").is_visible()
    page.get_by_role("link", name="Leviers").click()
    assert page.get_by_role("heading", name="Leviers du NPS").is_visible()
    assert page.locator("svg.chart-svg").count() == 1


def test_downloading_the_filtered_verbatims(manager_page: Page, live_server: LiveServer) -> None:
    """After a filter swapped the list in place, the CSV link downloads what it shows."""
    import csv
    from pathlib import Path

    from playwright.sync_api import expect

    page = manager_page
    page.goto(f"{live_server.url}/w/acme/listening")
    page.get_by_role("search").get_by_label("Topic", exact=True).select_option("billing")
    page.wait_for_url("**/w/acme/listening?*topic=billing*")
    heading = page.locator("#verbatims-title")
    expect(heading).not_to_have_text("160 verbatims")
    shown = int((heading.text_content() or "").split()[0])
    with page.expect_download() as download:
        page.get_by_role("link", name="CSV", exact=True).click()
    assert download.value.suggested_filename == "acme-feedback.csv"
    path = Path(download.value.path())
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == shown
    assert all("billing" in row["topics"].split(" | ") for row in rows)
