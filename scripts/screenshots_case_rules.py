"""Screenshots of the rules page with the "apply to older feedback" preview, in English and
French, desktop and phone, into docs/screenshots/.

Runs cxgap on a throw-away database holding the demo workspace: its rule "Detractors" was
saved after most of its feedback arrived, so the preview has cases to propose.
"""

from __future__ import annotations

import tempfile
import threading
import time
from datetime import timedelta
from pathlib import Path

import uvicorn
from playwright.sync_api import sync_playwright
from scripts.screenshots_sessions import CHROMIUM_ARGS, FIREFOX, PASSWORD, free_port, shoot, sign_in

from cxgap.config import Settings
from cxgap.db.tables import utcnow
from cxgap.services import accounts
from cxgap.services.core import Cxgap
from cxgap.services.demo import create_demo_workspace
from cxgap.services.workspaces import get_workspace
from cxgap.web.app import create_app


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        cx = Cxgap(Settings(data_dir=Path(tmp), database_url=f"sqlite:///{tmp}/shots.sqlite3"))
        cx.upgrade()
        with cx.transaction() as session:
            create_demo_workspace(session)
            accounts.create_user(session, email="ana@example.com", password=PASSWORD)
            demo = get_workspace(session, "demo")
            accounts.set_membership(
                session, workspace=demo, email="ana@example.com", role="analyst"
            )
        since = (utcnow() - timedelta(days=60)).date().isoformat()
        port = free_port()
        server = uvicorn.Server(uvicorn.Config(create_app(cx=cx), port=port, log_level="warning"))
        threading.Thread(target=server.run, daemon=True).start()
        while not server.started:
            time.sleep(0.05)
        base = f"http://127.0.0.1:{port}"
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
            ana = sign_in(browser, base, "ana@example.com", FIREFOX)
            shoot(ana, "case-rules-apply", f"{base}/w/demo/cases/rules?since={since}")
            browser.close()
        server.should_exit = True
        cx.dispose()


if __name__ == "__main__":
    main()
