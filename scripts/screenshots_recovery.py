"""Screenshots of the recovery survey (the public page, its thank-you and its refusal, a
case showing the answer, the status form that sends it) and of "Open a case" on the
Listening explorer, in English and French, desktop and phone, into docs/screenshots/.

Runs cxgap on a throw-away database with the demo workspace: case 3 (closed) gets a
recovery survey answered 4/5, case 2 is resolved with one waiting for its answer, and the
workspace ticks the survey on closing by default (the rules page says so).
"""

from __future__ import annotations

import tempfile
import threading
import time
from pathlib import Path

import uvicorn
from playwright.sync_api import Browser, Page, sync_playwright

from cxgap.config import Settings
from cxgap.services import accounts, case_recovery, cases, recovery_answers
from cxgap.services.core import Cxgap
from cxgap.services.demo import create_demo_workspace
from cxgap.services.workspaces import get_workspace
from cxgap.web.app import create_app

OUT = Path(__file__).resolve().parents[1] / "docs" / "screenshots"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-sync"]
PASSWORD = "screenshots-only"
WIDTHS = {"": 1280, "-phone": 390}


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def setup(cx: Cxgap) -> str:
    """The demo with an answered recovery survey on case 3; returns a waiting one's token."""
    secret = cx.settings.resolved_secret_key()
    with cx.transaction() as session:
        create_demo_workspace(session)
        workspace = get_workspace(session, "demo")
        accounts.create_user(session, email="ana@example.com", password=PASSWORD)
        accounts.set_membership(session, workspace=workspace, email="ana@example.com",
                                role="analyst")  # fmt: skip
        closed = cases.get_case(session, workspace, 3)
        _, answered = case_recovery.request_recovery(
            session, case=closed, secret=secret, email="claire@example.com", language="fr"
        )
        case_recovery.record_delivery(session, recovery_id=1)
        recovery_answers.answer_recovery(
            session, token=answered, score="4", client_ip="127.0.0.1", secret=secret,
            comment="Merci, le nouveau colis est bien arrivé. Un peu long à obtenir quand même.",
            rate_limit=20,
        )  # fmt: skip
        case_recovery.set_send_on_close(session, workspace=workspace, on=True)
        first = cases.get_case(session, workspace, 2)
        cases.set_status(session, case=first, status="resolved", actor_id=None)
        _, waiting = case_recovery.request_recovery(
            session, case=first, secret=secret, email="marc@example.com", language="en"
        )
    return waiting


def sign_in(browser: Browser, base: str) -> Page:
    page = browser.new_context().new_page()
    page.goto(f"{base}/login")
    page.fill("#email", "ana@example.com")
    page.fill("#password", PASSWORD)
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
        token = setup(cx)
        port = free_port()
        server = uvicorn.Server(uvicorn.Config(create_app(cx=cx), port=port, log_level="warning"))
        threading.Thread(target=server.run, daemon=True).start()
        while not server.started:
            time.sleep(0.05)
        base = f"http://127.0.0.1:{port}"
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
            customer = browser.new_context().new_page()
            shoot(customer, "recovery-survey", f"{base}/r/{token}")
            shoot(customer, "recovery-thanks", f"{base}/r/{token}/thanks")
            shoot(customer, "recovery-unknown-link", f"{base}/r/not-a-link")
            ana = sign_in(browser, base)
            shoot(ana, "case-recovery-answer", f"{base}/w/demo/cases/3")
            shoot(ana, "case-close-with-survey", f"{base}/w/demo/cases/1")
            shoot(ana, "case-rules-recovery-default", f"{base}/w/demo/cases/rules")
            shoot(ana, "listening-open-case", f"{base}/w/demo/listening?channel=recovery")
            browser.close()
        server.should_exit = True
        cx.dispose()


if __name__ == "__main__":
    main()
