"""Screenshots of the pages changed for phones and derived keys, in English and French, at
desktop (1280 px) and phone (390 px) width, into docs/screenshots/.

Run from the repository root: ``python scripts/screenshots_layout.py`` (Debian's Chromium and
Playwright). Each shot is the part of the page that changed, saved as a palette PNG.
"""

from __future__ import annotations

import io
import socket
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

import uvicorn
from PIL import Image
from playwright.sync_api import Page, sync_playwright

from cxgap.config import Settings
from cxgap.services import accounts
from cxgap.services.campaigns import surveys_of
from cxgap.services.core import Cxgap
from cxgap.services.demo import create_demo_workspace
from cxgap.services.workspaces import get_workspace
from cxgap.web.app import create_app

OUT = Path(__file__).resolve().parents[1] / "docs" / "screenshots"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-sync"]
PASSWORD = "screenshots-only"
WIDTHS = {"desktop": 1280, "phone": 390}
NAMES = {"en": "Maison Lumière, spring 2027", "fr": "Maison Lumière, printemps 2027"}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def save(page: Page, name: str) -> None:
    """The viewport as a small palette PNG."""
    image = Image.open(io.BytesIO(page.screenshot())).convert("RGB")
    image.quantize(colors=128, method=Image.Quantize.MEDIANCUT).save(OUT / name, optimize=True)
    print(f"docs/screenshots/{name}")


def shots(survey: str) -> dict[str, tuple[str, Callable[[Page, str], None]]]:
    def scroll_to(selector: str) -> Callable[[Page, str], None]:
        return lambda page, lang: page.locator(selector).first.scroll_into_view_if_needed()

    def type_name(field: str, key: str) -> Callable[[Page, str], None]:
        def act(page: Page, lang: str) -> None:
            page.locator(field).fill(NAMES[lang])
            page.locator(key).scroll_into_view_if_needed()
            page.evaluate("window.scrollBy(0, 120)")

        return act

    return {
        "phone-journey-editor": ("/w/demo/journeys/claire-current/edit", scroll_to("h1")),
        "journey-pdf-paper": ("/w/demo/journeys/claire-current", scroll_to("h1")),
        "phone-survey-nps": (f"/s/{survey}", scroll_to("#nps-0")),
        "slug-collect": ("/w/demo/collect", type_name("#s-name", "#s-key")),
        "slug-persona": ("/w/demo/personas/new", type_name("#name", "#key")),
        "slug-journey": ("/w/demo/journeys/new", type_name("#name_en", "#journey_key")),
    }


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        cx = Cxgap(Settings(data_dir=Path(tmp), database_url=f"sqlite:///{tmp}/shots.sqlite3"))
        cx.upgrade()
        with cx.transaction() as session:
            create_demo_workspace(session)
            accounts.create_user(
                session, email="cx@example.com", password=PASSWORD, is_superuser=True
            )
            survey = surveys_of(session, get_workspace(session, "demo"))[0][0].token
        port = free_port()
        server = uvicorn.Server(uvicorn.Config(create_app(cx=cx), port=port, log_level="warning"))
        threading.Thread(target=server.run, daemon=True).start()
        while not server.started:
            time.sleep(0.05)
        base = f"http://127.0.0.1:{port}"
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
            for size, width in WIDTHS.items():
                page = browser.new_page(viewport={"width": width, "height": 844})
                page.goto(f"{base}/login")
                page.fill("#email", "cx@example.com")
                page.fill("#password", PASSWORD)
                page.click("button[type=submit]")
                page.wait_for_url(f"{base}/")
                for name, (path, act) in shots(survey).items():
                    for lang in ("en", "fr"):
                        page.goto(f"{base}{path}?lang={lang}")
                        act(page, lang)
                        save(page, f"{name}-{lang}-{size}.png")
                page.close()
            browser.close()
        server.should_exit = True
        cx.dispose()


if __name__ == "__main__":
    main()
