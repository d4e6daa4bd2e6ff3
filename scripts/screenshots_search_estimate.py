"""Screenshots of a broad Listening search estimated from a page sample, and of its exact
figures, into docs/screenshots/ (FR and EN, desktop 1280 px and phone 390 px wide).

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

import uvicorn
from playwright.sync_api import sync_playwright
from sqlalchemy import create_engine, insert, text
from sqlalchemy.engine import make_url
from tests.factories import make_workspace
from tests.listening_factories import SOURCES, enrich, make_topics, random_verbatim

from cxgap.config import Settings
from cxgap.db import listening_counts
from cxgap.db.tables import Feedback
from cxgap.services import accounts, search_estimate
from cxgap.services.core import Cxgap
from cxgap.web.app import create_app

OUT = Path(__file__).resolve().parents[1] / "docs" / "screenshots"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-sync"]
PASSWORD = "screenshots-only"
ADMIN = os.environ.get("SHOTS_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
NAME = "cxgap_search_shots"
ITEMS = 6_000
SHOTS = {
    "search-estimate-explorer": "/w/lumen/listening?q=delivery",
    "search-estimate-topics": "/w/lumen/listening/topics?q=delivery",
    "search-estimate-trends": "/w/lumen/listening/trends?q=delivery",
    "search-estimate-drivers": "/w/lumen/listening/drivers?q=delivery",
    "search-estimate-exact": "/w/lumen/listening?q=delivery&exact=1",
}


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
        for width, suffix in ((1280, ""), (390, "-phone")):
            page = browser.new_page(viewport={"width": width, "height": 900})
            page.goto(f"{base}/login")
            page.fill("#email", "cx@example.com")
            page.fill("#password", PASSWORD)
            page.click("button[type=submit]")
            page.wait_for_url(f"{base}/")
            for name, path in SHOTS.items():
                for lang in ("en", "fr"):
                    page.goto(f"{base}{path}&lang={lang}")
                    page.locator(".search-estimate").first.scroll_into_view_if_needed()
                    page.evaluate("window.scrollBy(0, -80)")
                    target = OUT / f"{name}-{lang}{suffix}.png"
                    page.screenshot(path=str(target))
                    print(target.relative_to(OUT.parents[1]))
            page.close()
        browser.close()
    server.should_exit = True


if __name__ == "__main__":
    main()
