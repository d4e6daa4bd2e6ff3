"""Screenshots of the account page's sessions, the Members page's "sign out everywhere" and
the audit log, in English and French, desktop and phone, into docs/screenshots/.

Runs cxgap on a throw-away database; a few browsers sign in, fail to, download and delete,
so that the pages have something to show.
"""

from __future__ import annotations

import socket
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import uvicorn
from playwright.sync_api import Browser, Page, sync_playwright

from cxgap.config import Settings
from cxgap.journeys.model import Persona
from cxgap.services import accounts, personas
from cxgap.services.core import Cxgap
from cxgap.services.workspaces import add_segments, create_workspace
from cxgap.web.app import create_app

OUT = Path(__file__).resolve().parents[1] / "docs" / "screenshots"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-sync"]
PASSWORD = "screenshots-only"
WIDTHS = {"": 1280, "-phone": 390}
FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1"
)


@contextmanager
def served(setup: Callable[[Cxgap, Path], None]) -> Iterator[tuple[str, Browser]]:
    """cxgap on a throw-away SQLite database that ``setup`` fills (it gets the app and the
    temporary folder), served on a free port, and a headless Chromium: (base URL, browser)."""
    with tempfile.TemporaryDirectory() as tmp:
        cx = Cxgap(Settings(data_dir=Path(tmp), database_url=f"sqlite:///{tmp}/shots.sqlite3"))
        cx.upgrade()
        setup(cx, Path(tmp))
        port = free_port()
        server = uvicorn.Server(uvicorn.Config(create_app(cx=cx), port=port, log_level="warning"))
        threading.Thread(target=server.run, daemon=True).start()
        while not server.started:
            time.sleep(0.05)
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
                yield f"http://127.0.0.1:{port}", browser
                browser.close()
        finally:
            server.should_exit = True
            cx.dispose()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def setup(cx: Cxgap) -> None:
    with cx.transaction() as session:
        workspace = create_workspace(session, key="acme", name="Maison Lumen")
        add_segments(session, workspace=workspace, segments=[("pro", "Professionals", "Pros")])
        accounts.create_user(session, email="cx@example.com", password=PASSWORD, is_superuser=True)
        for email, role in (("ana@example.com", "analyst"), ("leo@example.com", "admin")):
            accounts.create_user(session, email=email, password=PASSWORD)
            accounts.set_membership(session, workspace=workspace, email=email, role=role)
        personas.add_persona(session, workspace=workspace, persona=Persona(key="zoe", name="Zoé"))


def sign_in(browser: Browser, base: str, email: str, agent: str, password: str = PASSWORD) -> Page:
    page = browser.new_context(user_agent=agent).new_page()
    page.set_default_timeout(180_000)  # a first page can take long on a loaded machine
    page.goto(f"{base}/login")
    page.fill("#email", email)
    page.fill("#password", password)
    page.click("button[type=submit]")
    return page


def shoot(page: Page, name: str, url: str) -> None:
    for suffix, width in WIDTHS.items():
        for lang in ("en", "fr"):
            page.set_viewport_size({"width": width, "height": 900})
            page.goto(f"{url}{'&' if '?' in url else '?'}lang={lang}")
            path = OUT / f"{name}-{lang}{suffix}.png"
            page.screenshot(path=str(path), full_page=True)
            print(f"docs/screenshots/{path.name}")


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
            sign_in(browser, base, "ana@example.com", FIREFOX, "not her password")
            ana = sign_in(browser, base, "ana@example.com", FIREFOX)
            sign_in(browser, base, "ana@example.com", IPHONE)
            ana.request.get(f"{base}/w/acme/listening/export.csv")
            leo = sign_in(browser, base, "leo@example.com", FIREFOX)
            leo.request.get(f"{base}/w/acme/export/customer_answers.csv")
            leo.request.get(f"{base}/w/acme/listening/export.xlsx")
            admin = sign_in(browser, base, "cx@example.com", FIREFOX)
            sign_in(browser, base, "cx@example.com", IPHONE)
            shoot(ana, "account-sessions", f"{base}/account")
            shoot(admin, "members-sign-out", f"{base}/w/acme/members")
            admin.goto(f"{base}/w/acme/members")
            admin.locator("form[action$='/sessions/end'] button").first.click()
            shoot(admin, "audit-log", f"{base}/audit")
            shoot(leo, "audit-log-workspace-admin", f"{base}/audit?workspace=acme")
            browser.close()
        server.should_exit = True
        cx.dispose()


if __name__ == "__main__":
    main()
