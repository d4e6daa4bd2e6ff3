"""Screenshots of the teams on the rules page, one team opened for editing (rename, members,
delete), in English and French, desktop and phone, into docs/screenshots/.

Runs cxgap on a throw-away database holding the demo workspace and two more members.
"""

from __future__ import annotations

import tempfile
import threading
import time
from pathlib import Path

import uvicorn
from playwright.sync_api import sync_playwright
from scripts.screenshots_sessions import (
    CHROMIUM_ARGS,
    FIREFOX,
    OUT,
    PASSWORD,
    WIDTHS,
    free_port,
    sign_in,
)

from cxgap.config import Settings
from cxgap.services import accounts, teams
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
            demo = get_workspace(session, "demo")
            for email in ("ana@example.com", "bo@example.com", "chloe@example.com"):
                accounts.create_user(session, email=email, password=PASSWORD)
                accounts.set_membership(session, workspace=demo, email=email, role="analyst")
            teams.set_team_members(
                session, workspace=demo, team_key="care", emails=["bo@example.com"]
            )
        port = free_port()
        server = uvicorn.Server(uvicorn.Config(create_app(cx=cx), port=port, log_level="warning"))
        threading.Thread(target=server.run, daemon=True).start()
        while not server.started:
            time.sleep(0.05)
        base = f"http://127.0.0.1:{port}"
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
            ana = sign_in(browser, base, "ana@example.com", FIREFOX)
            for suffix, width in WIDTHS.items():
                for lang in ("en", "fr"):
                    ana.set_viewport_size({"width": width, "height": 900})
                    ana.goto(f"{base}/w/demo/cases/rules?lang={lang}#teams")
                    ana.locator("#team-care summary").click()
                    section = ana.locator("#teams")
                    path = OUT / f"case-teams-{lang}{suffix}.png"
                    section.screenshot(path=str(path))
                    print(f"docs/screenshots/{path.name}")
            browser.close()
        server.should_exit = True
        cx.dispose()


if __name__ == "__main__":
    main()
