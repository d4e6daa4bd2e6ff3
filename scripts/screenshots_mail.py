"""Screenshots of the e-mail pages (members, choosing a password, sending a survey, response
rates, unsubscribing) in English and French, desktop and phone, into docs/screenshots/.

Runs cxgap on a throw-away database with a loopback SMTP server (aiosmtpd, a dev dependency)
that keeps the messages, so that the links in them can be followed.
"""

from __future__ import annotations

import re
import socket
import tempfile
import threading
import time
from dataclasses import replace
from email import message_from_bytes, policy
from pathlib import Path
from typing import Any

import uvicorn
from aiosmtpd.controller import Controller
from playwright.sync_api import Page, sync_playwright

from cxgap.config import Settings
from cxgap.services import accounts, campaigns
from cxgap.services.core import Cxgap
from cxgap.services.workspaces import add_segments, create_workspace

OUT = Path(__file__).resolve().parents[1] / "docs" / "screenshots"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-sync"]
PASSWORD = "screenshots-only"
WIDTHS = {"": 1280, "-phone": 390}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Inbox:
    def __init__(self) -> None:
        self.bodies: list[str] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = message_from_bytes(envelope.original_content, policy=policy.default)
        self.bodies.append(message.get_body(("plain",)).get_content())  # type: ignore[union-attr]
        return "250 OK"

    def link(self, pattern: str) -> str:
        for body in reversed(self.bodies):
            if found := re.search(pattern, body):
                return found.group(0)
        raise LookupError(pattern)


def setup(cx: Cxgap) -> None:
    with cx.transaction() as session:
        workspace = create_workspace(session, key="acme", name="Maison Lumen")
        add_segments(
            session,
            workspace=workspace,
            segments=[
                ("pro", "Professionals", "Professionnels"),
                ("home", "Households", "Ménages"),
            ],
        )
        accounts.create_user(session, email="cx@example.com", password=PASSWORD, is_superuser=True)
        for email, role in (("ana@example.com", "analyst"), ("leo@example.com", "viewer")):
            accounts.create_user(session, email=email, password=PASSWORD)
            accounts.set_membership(session, workspace=workspace, email=email, role=role)
        campaigns.create_survey(session, workspace=workspace, key="q1", name="Baromètre T1")


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
    inbox = Inbox()
    smtp = Controller(inbox, hostname="127.0.0.1", port=free_port())
    smtp.start()
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(data_dir=Path(tmp), database_url=f"sqlite:///{tmp}/shots.sqlite3")
        settings = replace(
            settings,
            smtp_url=f"smtp://127.0.0.1:{smtp.port}",
            mail_from="Maison Lumen <cx@example.com>",
        )
        cx = Cxgap(settings)
        cx.upgrade()
        setup(cx)
        port = free_port()
        server = uvicorn.Server(uvicorn.Config(create_app_for(cx), port=port, log_level="warning"))
        threading.Thread(target=server.run, daemon=True).start()
        while not server.started:
            time.sleep(0.05)
        base = f"http://127.0.0.1:{port}"
        recipients = Path(tmp) / "clients.csv"
        rows = [f"client{i}@example.com;{'fr' if i % 3 else 'en'};pro;C{i}" for i in range(12)]
        recipients.write_text("email;language;segment;customer_ref\n" + "\n".join(rows) + "\n")
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
            page = browser.new_page()
            page.goto(f"{base}/login")
            page.fill("#email", "cx@example.com")
            page.fill("#password", PASSWORD)
            page.click("button[type=submit]")
            page.goto(f"{base}/w/acme/members")
            page.fill("#m-email", "zoe@example.com")
            page.fill("#m-name", "Zoé Martin")
            page.click("form[action='/w/acme/members'] button[type=submit]")
            shoot(page, "members", f"{base}/w/acme/members")
            page.goto(f"{base}/w/acme/collect/surveys/q1/mail")
            page.set_input_files("#mail-file", str(recipients))
            page.click("form[enctype] button[type=submit]")
            page.wait_for_selector("#mail-report")
            for _ in range(3):  # a few people open the link, one answers nothing yet
                survey = inbox.link(r"http://\S+/s/\S+")
                inbox.bodies.pop()
                page.goto(survey)
            shoot(page, "survey-mail", f"{base}/w/acme/collect/surveys/q1/mail")
            shoot(page, "response-rates", f"{base}/w/acme/results/response-rates")
            optout = inbox.link(r"http://\S+/optout/\S+")
            invite = inbox.link(r"http://\S+/invite/\S+")
            visitor = browser.new_page()
            shoot(visitor, "optout", optout)
            shoot(visitor, "choose-password", invite)
            browser.close()
        server.should_exit = True
        cx.dispose()
    smtp.stop()


def create_app_for(cx: Cxgap) -> Any:
    from cxgap.web.app import create_app

    return create_app(cx=cx)


if __name__ == "__main__":
    main()
