"""A CX manager asks for the exact figures of a broad search in a real browser (PostgreSQL,
where a broad search is estimated): the button queues the job, the page shows its progress
and polls it, and once a worker stored the figures the page reloads with the exact count."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from tests.browser.conftest import LiveServer, logged_in_page
from tests.live_http import serving
from tests.services.test_search_estimate import _matching, large  # noqa: F401 (fixture)

from cxgap.jobs import exact_figures
from cxgap.jobs.runner import JobContext
from cxgap.jobs.worker import BackgroundWorker, Worker
from cxgap.services.core import Cxgap

if TYPE_CHECKING:
    from playwright.sync_api import Browser

pytestmark = pytest.mark.browser


@pytest.fixture
def pg(cx: Cxgap, request: pytest.FixtureRequest) -> Cxgap:
    if cx.engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL only: SQLite reads every search whole, never estimates")
    found: Cxgap = request.getfixturevalue("large")
    return found


def test_the_exact_count_appears_once_the_job_is_done(pg: Cxgap, browser: Browser) -> None:
    from playwright.sync_api import expect

    want = _matching(pg, "delivery")
    context = JobContext.for_app(pg, kinds={exact_figures.EXACT_FIGURES: exact_figures.KIND})
    worker = BackgroundWorker(Worker(context, poll_seconds=0.2))
    with (
        serving(pg) as base,
        logged_in_page(browser, LiveServer(base, pg), "cx@example.com") as page,
    ):
        page.goto(f"{base}/w/acme/listening?q=delivery")
        heading = page.locator("#verbatims-title")
        expect(heading).to_contain_text("≈")
        page.get_by_role("button", name="Exact figures").click()
        page.wait_for_url("**/w/acme/listening?q=delivery&exact=1")
        progress = page.locator("#exact-progress")
        expect(progress).to_contain_text("The exact figures are queued")
        expect(heading).to_contain_text("≈")  # the estimate meanwhile
        worker.start()  # a worker comes: the page follows its job and reloads
        try:
            expect(heading).to_have_text(f"{want:,} verbatims", timeout=60_000)
            expect(page.locator("[data-exact]")).to_contain_text("computed in the background")
            expect(page.locator("#exact-progress")).to_have_count(0)
            page.get_by_role("link", name="Topics").first.click()
            expect(page.locator("[data-exact]")).to_be_visible()
            expect(page.locator(".search-estimate[data-estimate]")).to_have_count(0)
        finally:
            worker.stop()
