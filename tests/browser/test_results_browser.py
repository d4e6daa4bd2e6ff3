"""A CX manager reads the demo results in a real browser and changes how they are computed."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest
from tests.browser.conftest import LiveServer, logged_in_page
from tests.demo_prepared import prepare_demo
from tests.factories import make_user
from tests.prepared import Prepared

from cxgap.services.core import Cxgap

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

pytestmark = pytest.mark.browser


@pytest.fixture
def demo(sqlite_cx: Cxgap, prepared: Prepared) -> Cxgap:
    """The demo (prepared once) and a site administrator, before the live server starts."""
    return prepare_demo(
        prepared, sqlite_cx, n_customers=200, users=[("cx@example.com", "superuser")]
    )


@pytest.fixture
def manager_page(demo: Cxgap, browser: Browser, live_server: LiveServer) -> Iterator[Page]:
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
    # Each chart's numbers, one click away (the summary itself: the flagged answers' notice
    # also says "… dans les chiffres").
    page.locator("summary").get_by_text("Les chiffres", exact=True).first.click()
    assert page.locator("details[open] table").first.is_visible()


def test_two_customer_answers_name_no_priority_and_say_how_many_are_missing(
    browser: Browser, live_server: LiveServer
) -> None:
    from tests.factories import customer_form, make_workspace

    from cxgap.services import campaigns
    from cxgap.services.answers import PublicSubmission, submit_customer_answer
    from cxgap.services.workspaces import create_workspace

    with live_server.cx.transaction() as session:
        survey = campaigns.create_survey(
            session, workspace=make_workspace(session), key="pulse", name="Pulse"
        )
        for sid, performance in (("a", 1), ("b", 2)):
            submission = PublicSubmission(customer_form(performance=performance), sid, "10.0.0.1")
            submit_customer_answer(
                session, survey=survey, submission=submission, secret="k", rate_limit=100
            )
        create_workspace(session, key="empty", name="Empty")
        make_user(session, "cx@example.com", superuser=True)
    with logged_in_page(browser, live_server, "cx@example.com") as page:
        page.goto(f"{live_server.url}/w/acme/results")
        notice = page.locator("[data-priorities-too-few]").inner_text()
        assert "you have 2. 28 more answers are needed." in notice
        body = page.locator("#results-body").inner_text()
        assert "Your priority pillars" not in body and "concentrate here" not in body.lower()

        page.goto(f"{live_server.url}/w/empty?lang=fr")
        overview = page.locator("main").inner_text()
        assert "±—" not in overview
        assert "Aucune réponse client pour l'instant" in page.locator("[data-too-few]").inner_text()


def test_the_results_explain_their_figures_on_a_page_of_the_app(
    manager_page: Page, live_server: LiveServer
) -> None:
    page = manager_page
    page.goto(f"{live_server.url}/w/demo/results?lang=fr")
    method = page.locator("#results-body .results-method")
    assert "docs/statistics.md" not in method.inner_text()
    method.get_by_role("link", name="Comment chaque chiffre est calculé, en clair").click()
    page.wait_for_url("**/w/demo/results/method")
    assert page.get_by_role("heading", level=1).inner_text() == "Comment chaque chiffre est calculé"
    assert page.get_by_role("heading", name="Les priorités").is_visible()
    assert "à partir de 30 réponses clients" in page.locator("main").inner_text()
    page.get_by_role("link", name="Retour aux résultats").click()
    page.wait_for_url("**/w/demo/results")
