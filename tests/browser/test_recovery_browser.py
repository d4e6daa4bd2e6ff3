"""The recovery survey on a 390 px phone, in English and in French: the page never scrolls
sideways, the 1-5 answers are finger-sized, and answering with taps reaches the thank-you
page; the answer is then on the case."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from sqlalchemy import select
from tests.factories import make_workspace

from cxgap.db.tables import CaseRecovery
from cxgap.services import case_recovery, cases

if TYPE_CHECKING:
    from playwright.sync_api import Browser, ViewportSize
    from tests.browser.conftest import LiveServer

pytestmark = pytest.mark.browser
PHONE: ViewportSize = {"width": 390, "height": 844}
QUESTION = {
    "en": "How satisfied are you with how we handled your request?",
    "fr": "Dans quelle mesure êtes-vous satisfait de la façon dont nous avons traité "
    "votre demande ?",
}
THANKS = {"en": "Thank you for your answer", "fr": "Merci pour votre réponse"}


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_a_customer_answers_on_a_phone(
    browser: Browser, live_server: LiveServer, lang: str
) -> None:
    cx = live_server.cx
    with cx.transaction() as session:
        workspace = make_workspace(session, name="Maison Lumen")
        case, _ = cases.open_case(
            session, workspace=workspace, subject="Late", customer_ref="jo@example.com"
        )
        cases.set_status(session, case=case, status="closed", actor_id=None)
        _, token = case_recovery.request_recovery(
            session, case=case, secret=cx.settings.resolved_secret_key(), language=lang
        )
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"{live_server.url}/r/{token}?lang={lang}")
    assert page.locator("html").get_attribute("lang") == lang
    assert page.get_by_text(QUESTION[lang]).is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    four = page.locator("label[for='score-4']")
    box = four.bounding_box()
    assert box is not None and box["width"] >= 44 and box["height"] >= 44
    four.tap()
    page.fill("#comment", "OK" if lang == "en" else "Bien")
    page.locator("button[type=submit]").tap()
    page.wait_for_url(f"{live_server.url}/r/{token}/thanks")
    assert page.get_by_text(THANKS[lang]).is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    context.close()
    assert errors == []
    with cx.reading() as session:
        assert session.scalars(select(CaseRecovery.score)).one() == 4
