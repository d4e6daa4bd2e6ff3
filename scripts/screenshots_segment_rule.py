"""Screenshots of a segment's rule change on its way (the ``segment_rule`` job): the
segments page and Listening under that segment with the notice "membership being updated
to the new rule", FR and EN, desktop 1280 px and phone 390 px wide.

A SQLite workspace of 1,000 enriched items; segment ``detractor`` (``nps <= 6``) with a
persona; its rule changed to ``nps <= 6 or channel = "web"`` and the job claimed by a worker
that reports the second of its two steps (a real job row, its worker not running), then
the segments page once a worker has applied it. ``SHOTS_OUT`` is the folder (default
docs/screenshots). Run from the repository root:
``PYTHONPATH=src:. python -m scripts.screenshots_segment_rule``.
"""

from __future__ import annotations

import hashlib
import os
import random
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import uvicorn
from playwright.sync_api import Page, sync_playwright
from scripts.screenshots_search_estimate import CHROMIUM_ARGS, PASSWORD, free_port, logged_in
from sqlalchemy import insert, update
from tests.factories import make_workspace
from tests.listening_factories import SOURCES, enrich, make_topics, random_verbatim

from cxgap.config import Settings
from cxgap.db import listening_counts
from cxgap.db.tables import Feedback, Job, PersonaRow
from cxgap.jobs import change_segment_rule
from cxgap.jobs.runner import JobContext
from cxgap.jobs.store import claim, renew
from cxgap.jobs.worker import Worker
from cxgap.services import accounts
from cxgap.services.core import Cxgap
from cxgap.services.segments import set_segment_rule
from cxgap.services.workspaces import add_segments
from cxgap.web.app import create_app

OUT = Path(os.environ.get("SHOTS_OUT", Path(__file__).resolve().parents[1] / "docs/screenshots"))
SHOTS = {
    "segment-rule-updating": ("/w/lumen/segments?", "#segment-detractor"),
    "segment-rule-updating-listening": (
        "/w/lumen/listening?segment=detractor&",
        ".segment-rule-change",
    ),
}
AFTER = {"segment-rule-applied": ("/w/lumen/segments?", "#segment-detractor")}


def seed(cx: Cxgap) -> None:
    rng = random.Random(7)
    with cx.transaction() as session:
        lumen = make_workspace(session, key="lumen", name="Lumen Maison")
        make_topics(session, lumen)
        pool = [random_verbatim(rng) for _ in range(200)]
        start = datetime(2025, 6, 1, tzinfo=UTC)
        rows = []
        for index in range(1_000):
            verbatim = rng.choice(pool)
            source_type, channel = rng.choice(SOURCES)
            rows.append({
                "workspace_id": lumen.id, "source_type": source_type, "channel": channel,
                "source_id": f"s{index}",
                "collected_at": start + timedelta(days=rng.uniform(0, 365)),
                "text": verbatim.text, "nps": rng.randint(0, 10), "attributes": {},
                "text_hash": hashlib.sha256(verbatim.text.encode()).hexdigest(), "touchpoint": None,
            })  # fmt: skip
        session.execute(insert(Feedback), rows)
        for verbatim in pool:
            enrich(session, lumen, verbatim, counts=False)
        listening_counts.rebuild(session, lumen.id)
        add_segments(
            session,
            workspace=lumen,
            segments=[("detractor", "Detractors", "Détracteurs"), ("web", "Web", "Web")],
        )
        set_segment_rule(session, workspace=lumen, key="detractor", rule="nps <= 6")
        session.add(
            PersonaRow(workspace_id=lumen.id, key="dan", name="Dan", segment_key="detractor")
        )
        accounts.create_user(session, email="cx@example.com", password=PASSWORD, is_superuser=True)
        _, job = change_segment_rule(
            session, workspace=lumen, key="detractor", rule='nps <= 6 or channel = "web"'
        )
        assert job is not None
        job_id = job.id
    lease = claim(cx.sessions, job_id, stale_seconds=600)
    assert lease is not None
    with cx.transaction() as session:  # the worker at its second step
        renew(session, lease, done=1, total=2, stage="counts")


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        cx = Cxgap(Settings(data_dir=Path(tmp), database_url=f"sqlite:///{tmp}/shots.db"))
        cx.upgrade()
        seed(cx)
        port = free_port()
        config = uvicorn.Config(create_app(cx=cx), port=port, log_level="warning", lifespan="off")
        server = uvicorn.Server(config)
        threading.Thread(target=server.run, daemon=True).start()
        while not server.started:
            time.sleep(0.05)
        base = f"http://127.0.0.1:{port}"
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
            pages = {width: logged_in(browser, base, width) for width in (1280, 390)}
            take(pages, base, SHOTS)
            with cx.transaction() as session:  # its worker died; another one applies it
                session.execute(update(Job).values(heartbeat_at=datetime(2020, 1, 1, tzinfo=UTC)))
            Worker(JobContext(sessions=cx.sessions, data_dir=cx.settings.data_dir)).run_once()
            take(pages, base, AFTER)
            browser.close()
        server.should_exit = True
        cx.dispose()


def take(pages: dict[int, Page], base: str, shots: dict[str, tuple[str, str]]) -> None:
    for width, page in pages.items():
        suffix = "-phone" if width < 600 else ""
        for name, (path, anchor) in shots.items():
            for lang in ("en", "fr"):
                page.goto(f"{base}{path}lang={lang}")
                page.locator(anchor).first.scroll_into_view_if_needed()
                page.evaluate("window.scrollBy(0, -120)")
                target = OUT / f"{name}-{lang}{suffix}.png"
                page.screenshot(path=str(target))
                print(target)


if __name__ == "__main__":
    main()
