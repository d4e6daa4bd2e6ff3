"""Screenshots of the cases queue and of a case page with the current demo (its cases carry
trade accounts and team names), in English and French, desktop and phone, into
docs/screenshots/ (``cases-queue-{en,fr}[-phone].png``, ``case-{en,fr}[-phone].png``).

Runs cxgap on a throw-away database holding the demo workspace and one analyst.
"""

from __future__ import annotations

import tempfile
import threading
import time
from pathlib import Path

import uvicorn
from playwright.sync_api import sync_playwright
from scripts.screenshots_sessions import CHROMIUM_ARGS, FIREFOX, PASSWORD, free_port, shoot, sign_in

from cxgap.config import Settings
from cxgap.services import accounts
from cxgap.services.core import Cxgap
from cxgap.services.demo import create_demo_workspace
from cxgap.services.workspaces import get_workspace
from cxgap.web.app import create_app


def setup(cx: Cxgap) -> None:
    with cx.transaction() as session:
        create_demo_workspace(session)
        accounts.create_user(session, email="ana@example.com", password=PASSWORD)
        demo = get_workspace(session, "demo")
        accounts.set_membership(session, workspace=demo, email="ana@example.com", role="analyst")


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        cx = Cxgap(Settings(data_dir=Path(tmp), database_url=f"sqlite:///{tmp}/shots.sqlite3"))
        cx.upgrade()
        setup(cx)
        port = free_port()
        server = uvicorn.Server(uvicorn.Config(create_app(cx=cx), port=port, log_level="warning"))
        threading.Thread(target=server.run, daemon=True).start()
        while not server.started:
            time.sleep(0.05)
        base = f"http://127.0.0.1:{port}"
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
            ana = sign_in(browser, base, "ana@example.com", FIREFOX)
            shoot(ana, "cases-queue", f"{base}/w/demo/cases")
            shoot(ana, "case", f"{base}/w/demo/cases/4")  # a trade account
            browser.close()
        server.should_exit = True
        cx.dispose()


if __name__ == "__main__":
    main()
