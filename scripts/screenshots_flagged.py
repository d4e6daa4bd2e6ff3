"""Screenshots of the flagged-answers notice on the results page and on a Listening page
(the demo's gamed shop excluded), in English and French, desktop and phone, into
docs/screenshots/ (docs/integrity.md).

Runs cxgap on a throw-away database with the demo workspace.
"""

from __future__ import annotations

from pathlib import Path

from scripts.screenshots_sessions import FIREFOX, OUT, PASSWORD, WIDTHS, served, sign_in

from cxgap.services import accounts
from cxgap.services.core import Cxgap
from cxgap.services.demo import create_demo_workspace
from cxgap.services.workspaces import get_workspace

PAGES = {"results": "results", "listening": "listening/trends"}


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
                for name, path in PAGES.items():
                    ana.goto(f"{base}/w/demo/{path}?flagged=exclude&lang={lang}")
                    ana.locator("[data-flagged-notice]").scroll_into_view_if_needed()
                    out = OUT / f"flagged-{name}-{lang}{suffix}.png"
                    ana.screenshot(path=str(out))
                    print(f"docs/screenshots/{out.name}")


if __name__ == "__main__":
    main()
