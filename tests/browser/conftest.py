"""A live cxgap server in a background thread and a headless Chromium driven by Playwright.

The browser tests skip, saying why, when /usr/bin/chromium or Playwright is missing; they
never download a browser.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from tests.factories import PASSWORD
from tests.live_http import serving

from cxgap.jobs import imports
from cxgap.jobs.runner import JobContext
from cxgap.jobs.worker import BackgroundWorker, Worker
from cxgap.services.core import Cxgap

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SHOTS = Path("/tmp/cxgap-shots")


@dataclass(frozen=True)
class LiveServer:
    url: str
    cx: Cxgap


@pytest.fixture
def live_server(sqlite_cx: Cxgap) -> Iterator[LiveServer]:
    """The real app over HTTP on a free port, stopped (not killed) after the test, with a
    worker thread for the jobs that need no text models (imports)."""
    context = JobContext.for_app(sqlite_cx, kinds={imports.IMPORT: imports.KIND})
    worker = BackgroundWorker(Worker(context, poll_seconds=0.2))
    worker.start()
    try:
        with serving(sqlite_cx) as base:
            yield LiveServer(base, sqlite_cx)
    finally:
        worker.stop()


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.skip(f"no Chromium at {CHROMIUM}: install the distribution's chromium package")
    sync_api = pytest.importorskip(
        "playwright.sync_api", reason="Playwright for Python is not installed (pip install .[dev])"
    )
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture(scope="session")
def shots() -> Path:
    """Where the tests leave full-page screenshots for people to look at."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    return SHOTS


@contextmanager
def logged_in_page(browser: Browser, live_server: LiveServer, email: str) -> Iterator[Page]:
    """An English page logged in as `email`; any page or console error fails the test."""
    context = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    try:
        page.goto(f"{live_server.url}/login")
        page.get_by_label("E-mail").fill(email)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Log in").click()
        page.wait_for_url(f"{live_server.url}/")
        yield page
    finally:
        context.close()
    assert errors == []
