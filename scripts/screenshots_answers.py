"""Screenshots of the answer forms and the results' thresholds (docs/screenshots/).

The public survey and self-assessment, the result a colleague sees after sending again, the
results of a workspace with too few answers, the method page and an empty overview, in English
and French, at desktop (1280) and phone (390) width. Run with the sources on PYTHONPATH:
``python scripts/screenshots_answers.py``.
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
from cxgap.services import accounts, campaigns
from cxgap.services.answers import PublicSubmission, submit_customer_answer
from cxgap.services.core import Cxgap
from cxgap.services.workspaces import add_segments, create_workspace
from cxgap.web.app import create_app

OUT = Path(__file__).resolve().parents[1] / "docs" / "screenshots"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync",
]  # fmt: skip
PASSWORD = "screenshots-only"
WIDTHS = {"": 1280, "-phone": 390}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _customer_form(performance: int) -> dict[str, object]:
    from cxgap.pillars import DEFAULT_PILLARS

    form: dict[str, object] = {"nps": 8, "consent": "true", "language": "en"}
    for pillar in DEFAULT_PILLARS:
        form[f"{pillar.key}_importance"] = 4
        form[f"{pillar.key}_performance"] = performance
    return form


def prepare(cx: Cxgap) -> tuple[str, str]:
    with cx.transaction() as session:
        small = create_workspace(session, key="small", name="Lumen")
        add_segments(session, workspace=small, segments=[("pro", "Professionals", "Pros")])
        survey = campaigns.create_survey(session, workspace=small, key="pulse", name="Pulse")
        for sid, performance in (("a", 2), ("b", 3)):
            submission = PublicSubmission(_customer_form(performance), sid, "10.0.0.1")
            submit_customer_answer(
                session, survey=survey, submission=submission, secret="k", rate_limit=100
            )
        campaign = campaigns.create_internal_campaign(
            session, workspace=small, key="round-1", name="Round 1"
        )
        create_workspace(session, key="empty", name="Empty")
        accounts.create_user(session, email="cx@example.com", password=PASSWORD, is_superuser=True)
        return survey.token, campaign.token


def answer_assessment(page: Page, base: str, token: str, lang: str) -> None:
    """Fill the self-assessment, send it, go back and send it again."""
    from cxgap.pillars import DEFAULT_PILLARS

    page.goto(f"{base}/a/{token}?lang={lang}")
    for i, pillar in enumerate(DEFAULT_PILLARS):
        page.locator(f'label[for="{pillar.key}_current-{1 + i % 5}"]').click()
        page.locator(f'label[for="{pillar.key}_desired-5"]').click()
    page.locator("[data-rank-confirm]").click()
    page.locator("button.fx-submit").click()
    page.wait_for_url("**/result*")
    page.go_back()
    page.wait_for_url(f"**/a/{token}*")
    page.locator("button.fx-submit").click()
    page.wait_for_url("**/result*")


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        cx = Cxgap(Settings(data_dir=Path(tmp), database_url=f"sqlite:///{tmp}/shots.sqlite3"))
        cx.upgrade()
        survey, campaign = prepare(cx)
        port = free_port()
        server = uvicorn.Server(uvicorn.Config(create_app(cx=cx), port=port, log_level="warning"))
        threading.Thread(target=server.run, daemon=True).start()
        while not server.started:
            time.sleep(0.05)
        base = f"http://127.0.0.1:{port}"
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
            for suffix, width in WIDTHS.items():
                for lang in ("en", "fr"):
                    shoot(browser, base, survey, campaign, lang, f"-{lang}{suffix}", width)
            browser.close()
        server.should_exit = True
        cx.dispose()


def shoot(browser, base, survey, campaign, lang, tag, width) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()

    def save(name: str) -> None:
        path = OUT / f"{name}{tag}.png"
        page.screenshot(path=str(path))
        print(f"docs/screenshots/{path.name}")

    page.goto(f"{base}/s/{survey}?lang={lang}")
    save("survey")
    page.goto(f"{base}/a/{campaign}?lang={lang}")
    page.locator("#step-rank").scroll_into_view_if_needed()
    page.evaluate("document.querySelector('#step-rank').scrollIntoView()")
    save("assessment-ranking")
    answer_assessment(page, base, campaign, lang)
    save("assessment-updated")
    page.goto(f"{base}/login?lang={lang}")
    page.fill("#email", "cx@example.com")
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")
    page.goto(f"{base}/w/small/results?lang={lang}")
    page.evaluate("document.querySelector('#results-priorities-heading').scrollIntoView()")
    save("results-too-few")
    page.goto(f"{base}/w/small/results/method?lang={lang}")
    save("method")
    page.goto(f"{base}/w/empty?lang={lang}")
    save("overview-empty")
    context.close()


if __name__ == "__main__":
    main()
