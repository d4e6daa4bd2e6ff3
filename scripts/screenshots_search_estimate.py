"""Screenshots of a broad Listening search estimated from a page sample, of its exact figures
being computed by the ``exact_figures`` job (its progress on the page) and then shown, and of
the job on the jobs page, into docs/screenshots/ (FR and EN, desktop 1280 px and phone 390 px
wide).

The progress is that of a real job: its worker stopped after the first of its four pages
(the topics page, asked from), its heartbeat still fresh; the script then lets a worker
finish it.

The estimate exists on PostgreSQL only: the script builds its own database
``cxgap_search_shots`` (dropped again) on ``SHOTS_PG_URL`` (the loopback server by
default), 6,000 records with the thresholds scaled down with them, as the tests do.
Run from the repository root: ``PYTHONPATH=src:. python -m scripts.screenshots_search_estimate``.
"""

from __future__ import annotations

import hashlib
import os
import random
import socket
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import uvicorn
from playwright.sync_api import Browser, Page, sync_playwright
from sqlalchemy import create_engine, insert, select, text
from sqlalchemy.engine import make_url
from tests.factories import make_workspace
from tests.listening_factories import SOURCES, enrich, make_topics, random_verbatim

from cxgap.config import Settings
from cxgap.db import listening_counts
from cxgap.db.tables import Feedback, Job
from cxgap.jobs.runner import JobContext
from cxgap.jobs.worker import Worker
from cxgap.services import accounts, listening_exact, search_estimate
from cxgap.services.core import Cxgap
from cxgap.web.app import create_app

OUT = Path(__file__).resolve().parents[1] / "docs" / "screenshots"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-sync"]
PASSWORD = "screenshots-only"
ADMIN = os.environ.get("SHOTS_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
NAME = os.environ.get("SHOTS_PG_DB", "cxgap_search_shots")
ITEMS = 6_000
SHOTS = {
    "search-estimate-explorer": "/w/lumen/listening?q=delivery",
    "search-estimate-topics": "/w/lumen/listening/topics?q=delivery",
    "search-estimate-trends": "/w/lumen/listening/trends?q=delivery",
    "search-estimate-drivers": "/w/lumen/listening/drivers?q=delivery",
}
PROGRESS = {"search-estimate-progress": "/w/lumen/listening?q=delivery&exact=1"}
EXACT = {
    "search-estimate-exact": "/w/lumen/listening?q=delivery&exact=1",
    "search-estimate-exact-topics": "/w/lumen/listening/topics?q=delivery&exact=1",
    "search-estimate-jobs": "/w/lumen/jobs?kind=exact_figures",
}


class Stopped(BaseException):
    """The worker stopping after the job's first page (nothing in the job catches it)."""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def seed(cx: Cxgap) -> None:
    rng = random.Random(5)
    with cx.transaction() as session:
        lumen = make_workspace(session, key="lumen", name="Lumen Maison")
        make_topics(session, lumen)
        pool = [random_verbatim(rng) for _ in range(300)]
        start = datetime(2025, 6, 1, tzinfo=UTC)
        rows = []
        for index in range(ITEMS):
            verbatim = rng.choice(pool)
            source_type, channel = rng.choice(SOURCES)
            rows.append({
                "workspace_id": lumen.id, "source_type": source_type, "channel": channel,
                "source_id": f"s{index}",
                "collected_at": start + timedelta(days=rng.uniform(0, 365)),
                "text": verbatim.text, "nps": rng.randint(0, 10), "attributes": {},
                "text_hash": hashlib.sha256(verbatim.text.encode()).hexdigest(), "touchpoint": None,
            })  # fmt: skip
        session.execute(insert(Feedback), rows)
        for verbatim in pool:
            enrich(session, lumen, verbatim, counts=False)
        listening_counts.rebuild(session, lumen.id)
        accounts.create_user(session, email="cx@example.com", password=PASSWORD, is_superuser=True)
    with cx.transaction() as session:
        session.execute(text("ANALYZE feedback, feedback_search"))


def main() -> None:
    search_estimate.SAMPLE_FROM, search_estimate.SAMPLE_RECORDS = 2_000, 2_000
    search_estimate.BROAD = 300
    OUT.mkdir(parents=True, exist_ok=True)
    admin = create_engine(ADMIN, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{NAME}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{NAME}"'))
    url = make_url(ADMIN).set(database=NAME).render_as_string(False)
    try:
        with tempfile.TemporaryDirectory() as tmp:
            cx = Cxgap(Settings(data_dir=Path(tmp), database_url=url))
            cx.upgrade()
            seed(cx)
            shoot(cx)
            cx.dispose()
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{NAME}" WITH (FORCE)'))
        admin.dispose()


def shoot(cx: Cxgap) -> None:
    port = free_port()
    config = uvicorn.Config(create_app(cx=cx), port=port, log_level="warning", lifespan="off")
    server = uvicorn.Server(config)
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    base = f"http://127.0.0.1:{port}"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        pages = {width: logged_in(browser, base, width) for width in (1280, 390)}
        take(pages, base, SHOTS, ".search-estimate")
        ask = pages[1280]
        ask.goto(f"{base}/w/lumen/listening/topics?q=delivery&lang=en")
        ask.get_by_role("button", name="Exact figures").click()
        ask.wait_for_url("**exact=1*")
        first_page_only(cx)
        take(pages, base, PROGRESS, "#exact-progress")
        finish(cx)
        take(pages, base, EXACT, "[data-exact], table.jobs")
        browser.close()
    server.should_exit = True


def logged_in(browser: Browser, base: str, width: int) -> Page:
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.goto(f"{base}/login")
    page.fill("#email", "cx@example.com")
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")
    return page


def take(pages: dict[int, Page], base: str, shots: dict[str, str], anchor: str) -> None:
    for width, page in pages.items():
        suffix = "-phone" if width < 600 else ""
        for name, path in shots.items():
            for lang in ("en", "fr"):
                page.goto(f"{base}{path}&lang={lang}")
                page.locator(anchor).first.scroll_into_view_if_needed()
                page.evaluate("window.scrollBy(0, -80)")
                target = OUT / f"{name}-{lang}{suffix}.png"
                page.screenshot(path=str(target))
                print(target.relative_to(OUT.parents[1]))


def _worker(cx: Cxgap) -> Worker:
    return Worker(JobContext(sessions=cx.sessions, data_dir=cx.settings.data_dir))


def first_page_only(cx: Cxgap) -> None:
    """Run the job's first page, then stop its worker as a killed one would."""
    real, calls = listening_exact.compute, []

    def one(*args: Any) -> Any:
        calls.append(args)
        if len(calls) > 1:
            raise Stopped
        return real(*args)

    listening_exact.compute = one
    try:
        _worker(cx).run_once()
    except Stopped:
        pass
    finally:
        listening_exact.compute = real


def finish(cx: Cxgap) -> None:
    """Another worker resumes the job once its heartbeat is stale (the clock of the first
    attempt moved back as if it had died minutes ago), and finishes it."""
    with cx.transaction() as session:
        for job in session.scalars(select(Job)):
            ago = timedelta(minutes=3)
            job.created_at, job.started_at = job.created_at - ago, _minus(job.started_at, ago)
            job.heartbeat_at = _minus(job.heartbeat_at, ago)
    _worker(cx).run_once()


def _minus(moment: datetime | None, ago: timedelta) -> datetime | None:
    return None if moment is None else moment - ago


if __name__ == "__main__":
    main()
