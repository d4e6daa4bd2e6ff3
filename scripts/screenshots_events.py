"""Screenshots of the event import page (issue 14): after an import (how the file was
read, its first events, the activity → touchpoint form with suggestions), while an import job
runs (its progress, from the job row), and with a refused file listing row, column and value
(the job's outcome), in English and French, desktop and phone.

    python scripts/screenshots_events.py
"""

from __future__ import annotations

import random
import socket
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import uvicorn
from playwright.sync_api import Page, sync_playwright
from sqlalchemy import update

from cxgap.config import Settings
from cxgap.db.tables import Job, utcnow
from cxgap.events.importing import import_events
from cxgap.jobs import EVENT_IMPORT, event_import_payload, submit
from cxgap.journeys.model import Journey, Phase, Stage, Text, Touchpoint
from cxgap.services import accounts
from cxgap.services.core import Cxgap
from cxgap.services.journeys import create_journey
from cxgap.services.workspaces import create_workspace
from cxgap.web.app import create_app

OUT = Path(__file__).resolve().parents[1] / "docs" / "screenshots"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-sync"]
PASSWORD = "screenshots-only"
WIDTHS = {"": 1280, "-phone": 390}
STEPS = (
    ("Website visit", "web"), ("Product page viewed", "web"), ("Call centre call", "phone"),
    ("Store visit", "shop"), ("Online payment", "web"), ("Home delivery", "delivery"),
    ("Satisfaction survey", "email"), ("Returns desk", "shop"),
)  # fmt: skip
BAD = (
    "Contact ID,Activity Type,Activity Date,Channel,Outcome\n"
    "C-1,Website visit,2026-03-02 10:00,web,\n"
    "C-1,,2026-03-02 10:20,phone,\n"
    "C-2,Store visit,yesterday,shop,purchase\n"
)


def _journey() -> Journey:
    def tp(key: str, en: str, fr: str, channel: str) -> Touchpoint:
        return Touchpoint(key, Text(en, fr), channel, channel in {"web", "email"})

    before = (tp("site", "Website visit", "Visite du site", "web"),
              tp("advice", "Call centre", "Centre d’appels", "phone"))  # fmt: skip
    during = (tp("shop", "Store visit", "Visite en boutique", "shop"),
              tp("payment", "Payment", "Paiement", "web"))  # fmt: skip
    after = (tp("delivery", "Delivery", "Livraison", "delivery"),
             tp("survey", "Satisfaction survey", "Enquête de satisfaction", "email"))  # fmt: skip
    return Journey(
        "buy",
        Text("Buying a lamp", "Acheter une lampe"),
        stages=(
            Stage("before", Text("Choose", "Choisir"), Phase.BEFORE, before),
            Stage("during", Text("Buy", "Acheter"), Phase.DURING, during),
            Stage("after", Text("Live with it", "Vivre avec"), Phase.AFTER, after),
        ),
    )


def _log(folder: Path) -> Path:
    rng = random.Random(14)
    lines = ["Contact ID,Activity Type,Activity Date,Channel,Outcome,Store"]
    start = datetime(2026, 3, 2, 9, tzinfo=UTC)
    for number in range(120):
        at = start + timedelta(hours=rng.randrange(600))
        for activity, channel in rng.sample(STEPS, rng.randint(2, 6)):
            at += timedelta(minutes=rng.randrange(5, 2000))
            outcome = rng.choice(("", "", "resolved", "purchase"))
            store = rng.choice(("Lyon", "Paris", "Lille"))
            lines.append(
                f"C-{number:04d},{activity},{at:%d/%m/%Y %H:%M},{channel},{outcome},{store}"
            )
    path = folder / "crm-activities.csv"
    path.write_text("\n".join(lines) + "\n")
    return path


def setup(cx: Cxgap, folder: Path) -> None:
    with cx.transaction() as session:
        workspace = create_workspace(session, key="acme", name="Maison Lumen")
        create_journey(session, workspace=workspace, journey=_journey())
        accounts.create_user(session, email="ana@example.com", password=PASSWORD)
        accounts.set_membership(
            session, workspace=workspace, email="ana@example.com", role="analyst"
        )
        import_events(session, workspace.id, _log(folder), preset="crm", pseudonym_key="shots")


def running_job(cx: Cxgap) -> int:
    """An event import job as a worker leaves it mid-file (PostgreSQL shows the share read);
    its heartbeat in the future, so the app's own worker leaves it alone."""
    payload = event_import_payload(
        stored="x" * 24 + ".csv",
        file_name="crm-export-2026.csv.gz",
        preset="crm",
        date_order=None,
        pseudonymise=True,
    )
    with cx.transaction() as session:
        job = submit(session, EVENT_IMPORT, workspace_id=1, payload=payload)
        session.flush()
        later = utcnow() + timedelta(hours=1)
        figures = {"bytes_done": 41_943_040, "bytes_total": 97_517_568}
        session.execute(
            update(Job)
            .where(Job.id == job.id)
            .values(status="running", heartbeat_at=later, started_at=utcnow(), stage="reading",
                    done=figures["bytes_done"], total=figures["bytes_total"], result=figures)
        )  # fmt: skip
        return job.id


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def shoot(page: Page, name: str, url: str, widths: dict[str, int] = WIDTHS) -> None:
    for suffix, width in widths.items():
        for lang in ("en", "fr"):
            page.set_viewport_size({"width": width, "height": 900})
            page.goto(f"{url}{'&' if '?' in url else '?'}lang={lang}")
            path = OUT / f"{name}-{lang}{suffix}.png"
            page.screenshot(path=str(path), full_page=True)
            print(f"docs/screenshots/{path.name}")


def shoot_refusal(page: Page, base: str, folder: Path) -> None:
    bad = folder / "crm-activities-bad.csv"
    bad.write_text(BAD)
    for lang in ("en", "fr"):
        page.set_viewport_size({"width": 1280, "height": 900})
        page.goto(f"{base}/w/acme/events/import?lang={lang}")
        page.set_input_files("#file", str(bad))
        page.select_option("#preset", "crm")
        page.click("form[action$='/events/import'] button[type=submit]")
        page.wait_for_selector("#event-import-refusal", timeout=60_000)  # the job's outcome
        path = OUT / f"events-import-refused-{lang}.png"
        page.screenshot(path=str(path), full_page=False)
        print(f"docs/screenshots/{path.name}")


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        cx = Cxgap(Settings(data_dir=folder, database_url=f"sqlite:///{tmp}/shots.sqlite3"))
        cx.upgrade()
        setup(cx, folder)
        port = free_port()
        app = create_app(cx=cx, background_jobs=True)  # the uploads' import jobs run
        server = uvicorn.Server(uvicorn.Config(app, port=port, log_level="warning"))
        threading.Thread(target=server.run, daemon=True).start()
        while not server.started:
            time.sleep(0.05)
        base = f"http://127.0.0.1:{port}"
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
            page = browser.new_context().new_page()
            page.goto(f"{base}/login")
            page.fill("#email", "ana@example.com")
            page.fill("#password", PASSWORD)
            page.click("button[type=submit]")
            shoot(page, "events-import", f"{base}/w/acme/events/import?done=1")
            shoot_refusal(page, base, folder)
            job = running_job(cx)
            shoot(page, "events-import-progress", f"{base}/w/acme/events/import?job={job}")
            browser.close()
        server.should_exit = True
        cx.dispose()


if __name__ == "__main__":
    main()
