"""An analyst applies the rules to older feedback in a real browser: picks a day, reads the
preview, opens the cases, and the queue shows them; the box reads in French on a phone
without the page scrolling sideways."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

import pytest
from sqlalchemy import func, select
from tests.browser.conftest import LiveServer, logged_in_page
from tests.factories import make_user, make_workspace
from tests.services.test_cases import add_feedback

from cxgap.db.tables import CaseRow
from cxgap.services import case_rules
from cxgap.services.case_rules import RuleInput

if TYPE_CHECKING:
    from playwright.sync_api import Browser

pytestmark = pytest.mark.browser


def test_preview_then_open_the_cases_in_a_browser(
    browser: Browser, live_server: LiveServer
) -> None:
    cx = live_server.cx
    with cx.transaction() as session:
        acme = make_workspace(session)
        make_user(session, "ana@example.com", workspace=acme, role="analyst")
        for source, day, ref in (("a", 2, "c-1"), ("b", 3, "c-1"), ("c", 4, None)):
            add_feedback(session, acme, source, nps=2, customer_ref=ref,
                         collected_at=datetime(2026, 3, day, 10, tzinfo=UTC))  # fmt: skip
        case_rules.save_rule(session, workspace=acme, rule=RuleInput("Detractors", {"nps_max": 6}))
    with logged_in_page(browser, live_server, "ana@example.com") as page:
        page.goto(f"{live_server.url}/w/acme/cases/rules")
        page.get_by_label("Feedback collected since").fill("2026-03-01")
        page.get_by_role("button", name="Preview").click()
        preview = page.locator("[data-preview]")
        assert "feedback items matching a rule: 3. Cases that would open: 2;" in (
            preview.inner_text()
        )
        page.set_viewport_size({"width": 390, "height": 844})
        page.goto(page.url.replace("#apply", "") + "&lang=fr")
        assert "Dossiers qui seraient ouverts : 2" in page.locator("[data-preview]").inner_text()
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        page.get_by_role("button", name="Ouvrir les dossiers").click()
        page.wait_for_selector("[data-applied]")
        assert "Dossiers ouverts : 2 ;" in page.locator("[data-applied]").inner_text()
        page.goto(f"{live_server.url}/w/acme/cases?lang=en")
        assert page.locator("[data-case]").count() == 2
    with cx.reading() as session:
        assert session.scalar(select(func.count(CaseRow.id))) == 2
