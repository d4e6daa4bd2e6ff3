"""Screenshots of a tier's support hours (the Tiers page and the public menu), a case's
times in the workspace's zone, the Import past tickets page (done and refused) and the audit
event of a service-levels save, in English and French, desktop and phone, into
docs/screenshots/.

Runs cxgap on a throw-away database: Premium opens 08:00–20:00 on weekdays, Enterprise round
the clock; four past Zendesk tickets imported as cases, one answered since.
"""

from __future__ import annotations

import socket
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

import uvicorn
from playwright.sync_api import Browser, Page, sync_playwright

from cxgap.config import Settings
from cxgap.services import accounts, case_imports, cases, service_levels, teams
from cxgap.services.core import Cxgap
from cxgap.services.workspaces import create_workspace
from cxgap.sla.defaults import default_document
from cxgap.web.app import create_app

OUT = Path(__file__).resolve().parents[1] / "docs" / "screenshots"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-sync"]
PASSWORD = "screenshots-only"
WIDTHS = {"": 1280, "-phone": 390}
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri")
TICKETS = """Id,Status,Priority,Via,Group,Organization,Created at,First reply time in minutes,\
First resolution time in minutes,Agent wait time in minutes,Reopens
101,Closed,High,Mail,Billing,atelier-durand,2026-11-02 11:45:00,135,255,0,0
102,Solved,,Web form,Support,hotel-du-parc,2026-11-02 17:30:00,30,990,120,0
103,Open,Normal,Chat,Support,groupe-horizon,2026-11-28 10:00:00,,,0,0
104,Solved,Urgent,Phone call (incoming),Billing,groupe-horizon,2026-11-04 10:00:00,20,60,0,0
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def menu() -> dict[str, object]:
    document = default_document()
    tiers = document["tiers"]
    tiers[0]["accounts"] = ["atelier-durand"]
    tiers[1]["accounts"] = ["hotel-du-parc"]
    tiers[1]["calendar"] = {
        "hours": {**{d: [["08:00", "20:00"]] for d in WEEKDAYS}, "sat": [], "sun": []}
    }
    tiers[2]["accounts"] = ["groupe-horizon"]
    tiers[2]["calendar"] = {
        "hours": {d: [["00:00", "24:00"]] for d in (*WEEKDAYS, "sat", "sun")},
        "holidays": [],
        "holiday_country": None,
    }
    return document


def setup(cx: Cxgap, folder: Path) -> None:
    tickets = folder / "zendesk-view.csv"
    tickets.write_text(TICKETS, encoding="utf-8")
    with cx.transaction() as session:
        workspace = create_workspace(session, key="acme", name="Maison Lumen")
        accounts.create_user(session, email="leo@example.com", password=PASSWORD)
        accounts.set_membership(session, workspace=workspace, email="leo@example.com", role="admin")
        leo = accounts.get_user(session, email="leo@example.com")
        teams.create_team(session, workspace=workspace, key="billing", name="Billing")
        service_levels.save_document(session, workspace=workspace, document=menu(), user_id=leo.id)
        service_levels.set_publication(
            session, workspace=workspace, published=True, slug="maison-lumen", user_id=leo.id
        )
        case_imports.import_ticket_cases(session, workspace=workspace, path=tickets)
        case = cases.get_case(session, workspace, 3)
        when = datetime(2026, 11, 28, 9, 40, tzinfo=UTC)
        cases.reply(session, case=case, body="Nous regardons.", actor_id=leo.id, at=when)


def sign_in(browser: Browser, base: str, email: str) -> Page:
    page = browser.new_context().new_page()
    page.goto(f"{base}/login")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    return page


def shoot(page: Page, name: str, url: str, upload: Path | None = None) -> None:
    for suffix, width in WIDTHS.items():
        for lang in ("en", "fr"):
            page.set_viewport_size({"width": width, "height": 900})
            page.goto(f"{url}{'&' if '?' in url else '?'}lang={lang}")
            if upload is not None:
                page.set_input_files("#ci-file", str(upload))
                page.click("form[enctype] button[type=submit]")
            path = OUT / f"{name}-{lang}{suffix}.png"
            page.screenshot(path=str(path), full_page=True)
            print(f"docs/screenshots/{path.name}")


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        cx = Cxgap(Settings(data_dir=folder, database_url=f"sqlite:///{tmp}/shots.sqlite3"))
        cx.upgrade()
        setup(cx, folder)
        port = free_port()
        server = uvicorn.Server(uvicorn.Config(create_app(cx=cx), port=port, log_level="warning"))
        threading.Thread(target=server.run, daemon=True).start()
        while not server.started:
            time.sleep(0.05)
        base = f"http://127.0.0.1:{port}"
        bad = folder / "tickets-bad.csv"
        bad.write_text(TICKETS.replace(",Normal,", ",P1,"), encoding="utf-8")
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
            leo = sign_in(browser, base, "leo@example.com")
            shoot(leo, "tier-hours-admin", f"{base}/w/acme/service-levels/tiers")
            shoot(leo, "tier-hours-menu", f"{base}/menu/maison-lumen")
            shoot(leo, "case-times", f"{base}/w/acme/cases/3")
            imports = f"{base}/w/acme/case-imports"
            shoot(leo, "case-import-done", imports, folder / "zendesk-view.csv")
            shoot(leo, "case-import-refused", imports, bad)
            shoot(leo, "audit-service-levels", f"{base}/audit?action=service_levels.changed")
            browser.close()
        server.should_exit = True
        cx.dispose()


if __name__ == "__main__":
    main()
