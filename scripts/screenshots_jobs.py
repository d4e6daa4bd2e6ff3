"""Screenshots of the Jobs pages (a workspace's, and the instance's /admin/jobs) in English
and French, desktop and phone, into docs/screenshots/.

Runs cxgap on a throw-away database holding a few jobs in every status (nobody works them:
the picture stays still).
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
from cxgap.jobs import store
from cxgap.services import accounts
from cxgap.services.core import Cxgap
from cxgap.services.workspaces import create_workspace
from cxgap.web.app import create_app


def setup(cx: Cxgap) -> None:
    now = utcnow()
    with cx.transaction() as session:
        workspace = create_workspace(session, key="acme", name="Maison Lumen")
        accounts.create_user(session, email="cx@example.com", password=PASSWORD, is_superuser=True)
        accounts.create_user(session, email="ana@example.com", password=PASSWORD)
        accounts.set_membership(
            session, workspace=workspace, email="ana@example.com", role="analyst"
        )
        ana = accounts.get_user(session, email="ana@example.com")
        for kind, status, done, total, extra in (
            ("enrich", "running", 1840, 5000, {}),
            (
                "mail",
                "failed",
                200,
                450,
                {
                    "error": "MailServerError: Cannot send e-mail through smtp.example.com:587: "
                    "connection refused",
                    "attempts": 3,
                    "max_attempts": 3,
                },
            ),
            (
                "mail",
                "queued",
                0,
                0,
                {
                    "run_after": now + timedelta(minutes=2),
                    "attempts": 1,
                    "max_attempts": 3,
                    "error": "MailServerError: timed out",
                },
            ),
            ("enrich", "done", 1200, 1200, {"result": {"texts": 1200, "analyzer": "bundled-1"}}),
        ):
            job = store.enqueue(session, kind, workspace_id=workspace.id, requested_by_id=ana.id)
            job.status, job.done, job.total = status, done, total
            job.started_at = now - timedelta(minutes=3)
            job.heartbeat_at = now
            if status in ("done", "failed"):
                job.finished_at = now - timedelta(seconds=30)
            for name, value in extra.items():
                setattr(job, name, value)
        purge = store.enqueue(session, "purge", payload={"keep_days": 30})
        purge.status, purge.result = "done", {"jobs_deleted": 42, "keep_days": 30}
        purge.finished_at = purge.started_at = now - timedelta(hours=5)


def main() -> None:
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
            ana = sign_in(browser, base, "ana@example.com", FIREFOX)
            shoot(ana, "jobs", f"{base}/w/acme/jobs")
            admin = sign_in(browser, base, "cx@example.com", FIREFOX)
            shoot(admin, "jobs-admin", f"{base}/admin/jobs")
            browser.close()
        server.should_exit = True
        cx.dispose()


if __name__ == "__main__":
    main()
