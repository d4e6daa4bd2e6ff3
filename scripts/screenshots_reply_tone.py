"""Screenshots of replies in the persona's tone: a case page's reply box with its persona line
and a template picked, and the persona form's tone fields; English and French, desktop and
phone, into docs/screenshots/.

Runs cxgap on a throw-away database: a French customer of the "households" segment (persona
Léa: *tu*, short replies) whose late order opened case 1.
"""

from __future__ import annotations

import socket
import tempfile
import threading
import time
from pathlib import Path

import uvicorn
from playwright.sync_api import Page, sync_playwright

from cxgap.config import Settings
from cxgap.db.tables import Feedback
from cxgap.journeys.model import Persona
from cxgap.services import accounts, cases, personas
from cxgap.services.core import Cxgap
from cxgap.services.workspaces import add_segments, create_workspace
from cxgap.web.app import create_app

OUT = Path(__file__).resolve().parents[1] / "docs" / "screenshots"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-sync"]
PASSWORD = "screenshots-only"
WIDTHS = {"": 1280, "-phone": 390}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def setup(cx: Cxgap) -> None:
    with cx.transaction() as session:
        workspace = create_workspace(session, key="acme", name="Maison Lumen")
        add_segments(
            session,
            workspace=workspace,
            segments=[("home", "Households", "Ménages"), ("pro", "Professionals", "Pros")],
        )
        accounts.create_user(session, email="ana@example.com", password=PASSWORD, name="Ana")
        accounts.set_membership(session, workspace=workspace, email="ana@example.com",
                                role="analyst")  # fmt: skip
        persona = Persona(
            "lea", "Léa Petit", quote="Je veux juste savoir quand ça arrive.", segment="home",
            needs=("Know when the parcel arrives",), needs_fr=("Savoir quand le colis arrive",),
            preferred_channels=("sms", "email"), address="tu", reply_length="short",
        )  # fmt: skip
        personas.add_persona(session, workspace=workspace, persona=persona)
        text = "Ma commande n'est toujours pas arrivée après trois semaines, c'est inadmissible."
        item = Feedback(
            workspace_id=workspace.id, source_type="survey", source_id="s-1", channel="email",
            collected_at=cases.now_utc(), text=text, nps=1, text_hash="0" * 64,
            attributes={"segment": "home", "first_name": "Léa", "order_ref": "CMD-4471"},
        )  # fmt: skip
        session.add(item)
        session.flush()
        cases.open_case(session, workspace=workspace, feedback_id=item.id,
                        subject="Commande CMD-4471 en retard")  # fmt: skip


def sign_in(page: Page, base: str) -> None:
    page.goto(f"{base}/login")
    page.fill("#email", "ana@example.com")
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
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
            page = browser.new_context().new_page()
            sign_in(page, base)
            for suffix, width in WIDTHS.items():
                page.set_viewport_size({"width": width, "height": 900})
                for lang in ("en", "fr"):
                    page.goto(f"{base}/w/acme/cases/1?lang={lang}")
                    page.select_option("#r-template", "late_delivery")
                    page.locator("#r-body").evaluate("b => { b.rows = 14; }")
                    box = page.locator("section[aria-labelledby=r-h]")
                    box.scroll_into_view_if_needed()
                    path = OUT / f"case-reply-templates-{lang}{suffix}.png"
                    box.screenshot(path=str(path))
                    print(f"docs/screenshots/{path.name}")
                    page.goto(f"{base}/w/acme/personas/lea/edit?lang={lang}")
                    path = OUT / f"persona-tone-form-{lang}{suffix}.png"
                    page.screenshot(path=str(path), full_page=True)
                    print(f"docs/screenshots/{path.name}")
            browser.close()
        server.should_exit = True
        cx.dispose()


if __name__ == "__main__":
    main()
