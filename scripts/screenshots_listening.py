"""Screenshots of the Listening changes of issue 9 into docs/screenshots/ (FR and EN, desktop
1280 px and phone 390 px wide): NPS by source, the overview's NPS, drivers read in words,
stars and sentiment trends with a hidden period, emerging topic names, a pending correction.

Run from the repository root: ``PYTHONPATH=src python -m scripts.screenshots_listening``.
The data are the tests' builders (``tests.listening_factories``), so no model is needed.
"""

from __future__ import annotations

import socket
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import uvicorn
from playwright.sync_api import Page, sync_playwright
from tests.factories import make_workspace
from tests.listening_factories import (
    CLAUSES,
    Verbatim,
    add_feedback,
    compose,
    enrich,
    make_listening_sample,
    make_topics,
)
from tests.listening_week_factories import make_two_sources
from tests.text.fakes import HashedTrigramEmbedder

from cxgap.config import Settings
from cxgap.db.tables import utcnow
from cxgap.services import accounts, emerging
from cxgap.services.core import Cxgap
from cxgap.web.app import create_app

OUT = Path(__file__).resolve().parents[1] / "docs" / "screenshots"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-sync"]
PASSWORD = "screenshots-only"
UNCOVERED = [
    "Personne ne répond au téléphone du magasin",
    "Personne ne décroche le téléphone du magasin",
    "Personne au téléphone du magasin",
    "Impossible de trouver une place de parking",
    "Aucune place de parking chez Lumen Maison",
    "Plus de place de parking le samedi",
]
# name -> (path, CSS selector of what is photographed)
SHOTS = {
    "overview-nps": ("/w/lumen", ".grid.stats"),
    "listening-nps-sources": ("/w/lumen/listening/trends", "#nps-sources"),
    "listening-drivers": ("/w/lumen/listening/drivers", ".driver-readings"),
    "listening-trends-stars": ("/w/shop/listening/trends", "section:has(#trend-stars-h)"),
    "listening-emerging": ("/w/lumen/listening/emerging", "main"),
    "listening-pending": ("/w/lumen/listening?q=showroom", ".verbatim"),
}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def seed(cx: Cxgap) -> None:
    with cx.transaction() as session:
        lumen = make_workspace(session, key="lumen", name="Lumen Maison")
        make_topics(session, lumen)
        make_two_sources(session, lumen)
        make_listening_sample(session, lumen, n=300)
        for index, text in enumerate(UNCOVERED):
            enrich(
                session, lumen, Verbatim(text, "fr", [(0, len(text), "negative", -0.5, 0.5, None)])
            )
            add_feedback(session, lumen, text, collected_at=utcnow(), source_id=f"u-{index}")
        emerging.compute_and_store(session, lumen, cx.settings.data_dir, HashedTrigramEmbedder(512))
        joined = compose(
            [
                next(c for c in CLAUSES if c[0].startswith("staff at the")),
                next(c for c in CLAUSES if c[0].startswith("The delivery took")),
            ],
            " but ",
        )
        enrich(session, lumen, joined).enriched_at = utcnow() - timedelta(hours=1)
        add_feedback(session, lumen, joined.text, collected_at=utcnow(), source_id="joined")
        shop = make_workspace(session, key="shop", name="Shop")
        make_topics(session, shop)
        good = compose([next(c for c in CLAUSES if c[0].startswith("staff at the"))], ". ")
        bad = compose([next(c for c in CLAUSES if c[0].startswith("The delivery took"))], ". ")
        enrich(session, shop, good)
        enrich(session, shop, bad)
        for month, count in ((1, 60), (2, 12), (3, 50), (4, 70)):
            for index in range(count):
                negative = index % (2 + month) == 0
                add_feedback(
                    session,
                    shop,
                    (bad if negative else good).text,
                    collected_at=datetime(2026, month, 1 + index % 27, tzinfo=UTC),
                    source_id=f"{month}-{index}",
                    stars=1 + index % 2 if negative else 4 + index % 2,
                )
        accounts.create_user(session, email="cx@example.com", password=PASSWORD, is_superuser=True)


def correct_one_label(page: Page, base: str) -> None:
    page.goto(f"{base}/w/lumen/listening?q=showroom")
    verbatim = page.locator(".verbatim").first
    verbatim.get_by_text("Correct a label").click()
    verbatim.get_by_label("Sentiment").first.select_option("negative")
    verbatim.get_by_role("button", name="Save").first.click()
    verbatim.locator(".label-saved").wait_for()


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        cx = Cxgap(Settings(data_dir=Path(tmp), database_url=f"sqlite:///{tmp}/shots.sqlite3"))
        cx.upgrade()
        seed(cx)
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
                if not suffix:
                    correct_one_label(page, base)
                for name, (path, selector) in SHOTS.items():
                    for lang in ("en", "fr"):
                        glue = "&" if "?" in path else "?"
                        page.goto(f"{base}{path}{glue}lang={lang}")
                        target = OUT / f"{name}-{lang}{suffix}.png"
                        page.locator(selector).first.screenshot(path=str(target))
                        print(target.relative_to(OUT.parents[1]))
                page.close()
            browser.close()
        server.should_exit = True
        cx.dispose()


if __name__ == "__main__":
    main()
