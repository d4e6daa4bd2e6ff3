"""Screenshots of the Policies page of the service levels (the section policies, their match,
targets and pause statuses), in English and French, desktop and phone, into docs/screenshots/
(``service-levels-policies-{en,fr}[-phone].png``).

Runs cxgap on a throw-away database holding the demo workspace, with an administrator.
"""

from __future__ import annotations

import tempfile
import threading
import time
from pathlib import Path

import uvicorn
from playwright.sync_api import sync_playwright
from scripts.screenshots_gaps12 import setup
from scripts.screenshots_sessions import CHROMIUM_ARGS, FIREFOX, free_port, shoot, sign_in

from cxgap.config import Settings
from cxgap.services.core import Cxgap
from cxgap.web.app import create_app


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        cx = Cxgap(Settings(data_dir=Path(tmp), database_url=f"sqlite:///{tmp}/shots.sqlite3"))
        cx.upgrade()
        setup(cx, Path(tmp))
        port = free_port()
        server = uvicorn.Server(uvicorn.Config(create_app(cx=cx), port=port, log_level="warning"))
        threading.Thread(target=server.run, daemon=True).start()
        while not server.started:
            time.sleep(0.05)
        base = f"http://127.0.0.1:{port}"
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
            ana = sign_in(browser, base, "ana@example.com", FIREFOX)
            shoot(ana, "service-levels-policies", f"{base}/w/demo/service-levels/policies")
            browser.close()
        server.should_exit = True
        cx.dispose()


if __name__ == "__main__":
    main()
