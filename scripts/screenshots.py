"""Refresh the screenshots in docs/screenshots/ (make screenshots).

Starts cxgap on a throw-away demo database, logs in, and photographs the main pages in
English and French with Debian's Chromium.
"""

from __future__ import annotations

import socket
import tempfile
import threading
import time
from pathlib import Path

import uvicorn
from playwright.sync_api import sync_playwright

from cxgap.config import Settings
from cxgap.services import accounts
from cxgap.services.campaigns import surveys_of
from cxgap.services.core import Cxgap
from cxgap.services.demo import create_demo_workspace
from cxgap.services.workspaces import get_workspace
from cxgap.web.app import create_app

OUT = Path(__file__).resolve().parents[1] / "docs" / "screenshots"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync",
]  # fmt: skip
PASSWORD = "screenshots-only"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


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
            survey_token = surveys_of(session, get_workspace(session, "demo"))[0][0].token
        port = free_port()
        server = uvicorn.Server(uvicorn.Config(create_app(cx=cx), port=port, log_level="warning"))
        threading.Thread(target=server.run, daemon=True).start()
        while not server.started:
            time.sleep(0.05)
        base = f"http://127.0.0.1:{port}"
        shots = {
            "results": "/w/demo/results",
            "overview": "/w/demo",
            "survey": f"/s/{survey_token}",
        }
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1280, "height": 1000})
            page.goto(f"{base}/login")
            page.fill("#email", "cx@example.com")
            page.fill("#password", PASSWORD)
            page.click("button[type=submit]")
            for name, path in shots.items():
                for lang in ("en", "fr"):
                    page.goto(f"{base}{path}?lang={lang}")
                    page.screenshot(path=str(OUT / f"{name}-{lang}.png"))
                    print(f"docs/screenshots/{name}-{lang}.png")
            browser.close()
        server.should_exit = True
        cx.dispose()


if __name__ == "__main__":
    main()
