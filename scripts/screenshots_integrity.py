"""Screenshots of the integrity page (the demo's gamed shop on the funnel plot, flagged
answers with their reasons) and of the results page's with/without-flagged panel, in
English and French, desktop and phone, into docs/screenshots/.

Runs cxgap on a throw-away database with the demo workspace (docs/integrity.md).
"""

from __future__ import annotations

from pathlib import Path

from scripts.screenshots_sessions import FIREFOX, OUT, PASSWORD, WIDTHS, served, sign_in

from cxgap.services import accounts
from cxgap.services.core import Cxgap
from cxgap.services.demo import create_demo_workspace
from cxgap.services.workspaces import get_workspace


def setup(cx: Cxgap, _folder: Path) -> None:
    with cx.transaction() as session:
        create_demo_workspace(session)
        demo = get_workspace(session, "demo")
        accounts.create_user(session, email="ana@example.com", password=PASSWORD)
        accounts.set_membership(session, workspace=demo, email="ana@example.com", role="analyst")


def main() -> None:
    with served(setup) as (base, browser):
        ana = sign_in(browser, base, "ana@example.com", FIREFOX)
        for suffix, width in WIDTHS.items():
            for lang in ("en", "fr"):
                ana.set_viewport_size({"width": width, "height": 900})
                ana.goto(f"{base}/w/demo/integrity?lang={lang}")
                path = OUT / f"integrity-{lang}{suffix}.png"
                ana.screenshot(path=str(path), full_page=True)
                print(f"docs/screenshots/{path.name}")
                ana.goto(f"{base}/w/demo/results?flagged=exclude&lang={lang}")
                path = OUT / f"integrity-toggle-{lang}{suffix}.png"
                ana.locator("#integrity").screenshot(path=str(path))
                print(f"docs/screenshots/{path.name}")


if __name__ == "__main__":
    main()
