"""A CX manager finds why a journey's overlay is empty, links topics to its touchpoints by
name in the editor (ticking one, accepting a suggestion), saves, and sees the overlay fill."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest
from tests.browser.conftest import LiveServer, logged_in_page
from tests.enrichment_factory import add_feedback, add_topic
from tests.factories import make_user, make_workspace
from tests.journeys.samples import sample_journey

from cxgap.services import journeys
from cxgap.services.workspaces import get_workspace

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

pytestmark = pytest.mark.browser


@pytest.fixture
def analyst_page(browser: Browser, live_server: LiveServer) -> Iterator[Page]:
    with live_server.cx.transaction() as session:
        ws = make_workspace(session)
        journeys.create_journey(session, workspace=ws, journey=sample_journey(3))
        add_topic(session, ws, "late_delivery")
        add_topic(session, ws, "price")
        for i in range(18):  # 6 SMS verbatims, all late; 12 by phone, 4 of them on price
            sms = i < 6
            topic = "late_delivery" if sms else ("price" if i < 10 else None)
            add_feedback(
                session, ws, f"verbatim {i}", channel="sms" if sms else "phone", score=-0.6,
                findings=[(topic, -0.6)],
            )  # fmt: skip
        make_user(session, "ana@example.com", workspace=get_workspace(session, "acme"))
    with logged_in_page(browser, live_server, "ana@example.com") as page:
        yield page


def test_linking_topics_by_name_fills_the_overlay(
    analyst_page: Page, live_server: LiveServer
) -> None:
    page = analyst_page
    page.goto(f"{live_server.url}/w/acme/journeys/sample?lang=en")
    gap = page.locator("[data-overlay-gap='no_links']")
    assert "No touchpoint of this journey is linked to a topic" in gap.inner_text()
    gap.get_by_role("link", name="Link topics in the editor").click()
    page.wait_for_selector("[data-journey-editor][data-ready='true']")

    sms = page.locator(".je-tp[data-je-tp='tp-2-0']")
    assert sms.locator("[data-je-topics-count]").inner_text() == "no topic"
    sms.get_by_role("button", name="Details").click()
    details = page.locator("[data-je-details]")
    suggestion = details.locator("[data-je-suggestion='late_delivery']")
    suggestion.wait_for()
    # 6 of the 6 SMS verbatims against 6 of 18 overall: 3×
    assert suggestion.inner_text().startswith(
        "6 verbatims on the SMS channel mention Late delivery, 3× the average"
    )
    suggestion.get_by_role("button", name="Link the topic Late delivery").click()
    assert details.get_by_label("Late delivery").is_checked()
    assert sms.locator("[data-je-topics-count]").inner_text() == "1 topic"

    page.locator(".je-tp[data-je-tp='tp-1-0']").get_by_role("button", name="Details").click()
    details.get_by_label("Price").check()  # a topic picked by its name, no key typed
    page.get_by_role("button", name="Save", exact=True).click()
    page.wait_for_selector("[data-journey-editor][data-dirty='false']")

    page.goto(f"{live_server.url}/w/acme/journeys/sample?lang=en")
    assert page.locator("[data-overlay-gap]").count() == 0
    volumes = {
        key: page.locator(f"tr[data-touchpoint='{key}'] td.num").first.inner_text()
        for key in ("tp-0-0", "tp-1-0", "tp-2-0")
    }
    assert volumes == {"tp-0-0": "0", "tp-1-0": "4", "tp-2-0": "6"}
    with live_server.cx.reading() as session:
        from cxgap.services.taxonomy import get_topic

        ws = get_workspace(session, "acme")
        assert get_topic(session, ws, "late_delivery").touchpoint_keys == ["tp-2-0"]
        assert get_topic(session, ws, "price").touchpoint_keys == ["tp-1-0"]
