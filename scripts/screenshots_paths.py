"""Screenshots of the journeys as lived (issue 14): the Paths page, the conformance page, the
journey map with its lived lane, and the Paths page of a workspace without events, in English
and French, desktop and phone, into docs/screenshots/.

Runs cxgap on a throw-away database holding the demo (640 customers, its generated event log,
its feedback enriched as the tests enrich it) and an empty workspace.
"""

from __future__ import annotations

from pathlib import Path

from scripts.screenshots_sessions import FIREFOX, OUT, PASSWORD, WIDTHS, served, sign_in
from tests.enrichment_factory import enrich_demo

from cxgap.services import accounts
from cxgap.services.core import Cxgap
from cxgap.services.demo import create_demo_workspace
from cxgap.services.workspaces import create_workspace, get_workspace

PAGES = (
    ("paths", "/w/demo/paths", None),
    ("paths-conformance", "/w/demo/paths/conformance", None),
    ("journey-lived-lane", "/w/demo/journeys/claire-current", "#lane-title"),
    ("paths-empty", "/w/empty/paths", None),
)


def setup(cx: Cxgap, _folder: Path) -> None:
    with cx.transaction() as session:
        create_demo_workspace(session)
        demo = get_workspace(session, "demo")
        enrich_demo(session, demo)
        empty = create_workspace(session, key="empty", name="Empty")
        accounts.create_user(session, email="ana@example.com", password=PASSWORD)
        for workspace in (demo, empty):
            accounts.set_membership(
                session, workspace=workspace, email="ana@example.com", role="viewer"
            )


def main() -> None:
    with served(setup) as (base, browser):
        ana = sign_in(browser, base, "ana@example.com", FIREFOX)
        for suffix, width in WIDTHS.items():
            for lang in ("en", "fr"):
                ana.set_viewport_size({"width": width, "height": 900})
                for name, path, anchor in PAGES:
                    ana.goto(f"{base}{path}?lang={lang}")
                    shot = OUT / f"{name}-{lang}{suffix}.png"
                    if anchor is None:
                        ana.screenshot(path=str(shot), full_page=True)
                    else:  # the part of a long page that changed
                        ana.locator(anchor).locator("xpath=..").screenshot(path=str(shot))
                    print(f"docs/screenshots/{shot.name}")


if __name__ == "__main__":
    main()
