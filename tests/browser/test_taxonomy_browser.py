"""An analyst watches the enrichment progress and edits a topic in place, in a real browser."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest
from tests.browser.conftest import LiveServer, logged_in_page
from tests.factories import make_user, make_workspace
from tests.listening import TOPICS, RuleAnalyzer, add_feedback

from cxgap.jobs.runner import JobContext
from cxgap.jobs.worker import BackgroundWorker, Worker
from cxgap.services import taxonomy
from cxgap.text.protocols import TextAnalysis

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

pytestmark = pytest.mark.browser


class Unhurried(RuleAnalyzer):
    """Slow enough for the progress to be seen moving."""

    def analyze(self, texts: list[str]) -> list[TextAnalysis]:  # type: ignore[override]
        time.sleep(0.4)
        return super().analyze(texts)


@pytest.fixture
def analyst_page(
    browser: Browser, live_server: LiveServer, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Page]:
    monkeypatch.setattr(taxonomy, "default_taxonomy", lambda: TOPICS)
    with live_server.cx.transaction() as session:
        workspace = make_workspace(session)
        texts = [f"Parcel {n} was late but the staff were lovely" for n in range(12)]
        add_feedback(session, workspace, texts)
        make_user(session, "ana@example.com", workspace=workspace, role="analyst")
    context = JobContext(
        sessions=live_server.cx.sessions,
        data_dir=live_server.cx.settings.data_dir,
        analyzer_factory=lambda topics, workspace_model_dir=None: Unhurried(topics),
        batch_size=3,
    )
    worker = BackgroundWorker(Worker(context, poll_seconds=0.2))
    worker.start()
    try:
        with logged_in_page(browser, live_server, "ana@example.com") as page:
            yield page
    finally:
        worker.stop()
    assert not worker.alive


def test_progress_polls_until_done_and_a_topic_is_edited_in_place(
    analyst_page: Page, live_server: LiveServer
) -> None:
    page = analyst_page
    url = f"{live_server.url}/w/acme/listening/taxonomy"
    page.goto(url)
    progress = page.locator("#enrichment-progress")
    assert "No enrichment has run yet" in progress.inner_text()
    page.get_by_role("button", name="Enrich now").click()
    page.wait_for_selector("#enrichment-progress[hx-trigger]")  # polling while it runs
    # all 12 texts may be counted a poll before the job is marked done: wait for the end
    page.wait_for_selector("#enrichment-progress:not([hx-trigger])", timeout=60_000)
    assert "12 of 12 distinct texts" in progress.inner_text()
    assert "done" in progress.inner_text()  # and polling stopped
    page.locator("#topic-price").get_by_role("link", name="Edit").click()
    name = page.locator("#topic-price input[name=name_en]")
    name.fill("Pricing and fees")
    page.locator("#topic-price").get_by_role("button", name="Save").click()
    page.wait_for_selector("#topic-price >> text=Pricing and fees")
    assert page.url == url  # edited in place, no navigation
    assert "saved" in page.locator("#topic-price").inner_text()
    page.reload()
    assert "Pricing and fees" in page.locator("#topic-price").inner_text()
