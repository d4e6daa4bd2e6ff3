"""Screenshots of the bilingual persona and topic-description pages (issue 9), FR and EN, at
desktop (1280) and phone (390) width, into docs/screenshots/bilingual-*.png.

The demo's personas are complete in both languages; one persona written in French only
("nadia-fr") shows the "EN missing" marker an English reader meets.
"""

from __future__ import annotations

import tempfile
import threading
import time
from pathlib import Path

import uvicorn
from playwright.sync_api import sync_playwright
from screenshots import CHROMIUM_ARGS, OUT, PASSWORD, free_port  # type: ignore[import-not-found]

from cxgap.config import Settings
from cxgap.journeys.model import Persona
from cxgap.services import accounts, personas
from cxgap.services.core import Cxgap
from cxgap.services.demo import create_demo_workspace
from cxgap.services.workspaces import get_workspace
from cxgap.web.app import create_app

FRENCH_ONLY = Persona(
    key="nadia-fr",
    name="Nadia Benali",
    quote="Mes chantiers ont des dates.",
    needs_fr=("Des délais fiables", "Un seul interlocuteur pour les grosses commandes"),
    usages_fr=("Commande par téléphone et par e-mail",),
    preferred_channels=("phone", "email"),
    generation="Gen X",
    segment="pro_buyer",
)
PAGES = {
    "persona": "/w/demo/personas/nadia-fr",
    "persona-form": "/w/demo/personas/nadia-fr/edit",
    "topic-form": "/w/demo/listening/taxonomy/delivery",
}
WIDTHS = {"desktop": 1280, "phone": 390}


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        cx = Cxgap(Settings(data_dir=Path(tmp), database_url=f"sqlite:///{tmp}/shots.sqlite3"))
        cx.upgrade()
        with cx.transaction() as session:
            create_demo_workspace(session, n_customers=60)
            demo = get_workspace(session, "demo")
            personas.add_persona(session, workspace=demo, persona=FRENCH_ONLY)
            accounts.create_user(
                session, email="cx@example.com", password=PASSWORD, is_superuser=True
            )
        port = free_port()
        server = uvicorn.Server(uvicorn.Config(create_app(cx=cx), port=port, log_level="warning"))
        threading.Thread(target=server.run, daemon=True).start()
        while not server.started:
            time.sleep(0.05)
        base = f"http://127.0.0.1:{port}"
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
            for width_name, width in WIDTHS.items():
                page = browser.new_page(viewport={"width": width, "height": 900})
                page.goto(f"{base}/login")
                page.fill("#email", "cx@example.com")
                page.fill("#password", PASSWORD)
                page.click("button[type=submit]")
                for name, path in PAGES.items():
                    for lang in ("en", "fr"):
                        page.goto(f"{base}{path}?lang={lang}")
                        focus = page.locator("[data-persona-field], [data-persona-text]")
                        if name != "persona" and focus.count():
                            focus.first.scroll_into_view_if_needed()
                        elif name == "topic-form":
                            page.locator("textarea[name=description]").scroll_into_view_if_needed()
                        target = OUT / f"bilingual-{name}-{lang}-{width_name}.png"
                        page.screenshot(path=str(target))
                        print(target.relative_to(OUT.parents[1]))
                page.close()
            browser.close()
        server.should_exit = True
        cx.dispose()


if __name__ == "__main__":
    main()
