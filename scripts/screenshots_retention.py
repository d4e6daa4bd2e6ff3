"""Screenshots of the Retention and Value pages on the demo (its generated event log with
purchases), in English and French, desktop and phone, into docs/screenshots/
(docs/retention.md, "Pages"), the cohort tables by persona (the first one opened), stayed vs
left (NPS and sentiment: the demo's feedback enriched by the tests' stand-in, its intended
sentiment), and the Value page of an empty workspace (what to import).

Runs cxgap on a throw-away database with the demo workspace.
"""

from __future__ import annotations

from pathlib import Path

from scripts.screenshots_sessions import FIREFOX, OUT, PASSWORD, WIDTHS, served, sign_in
from tests.enrichment_factory import enrich_demo

from cxgap.services import accounts
from cxgap.services.core import Cxgap
from cxgap.services.demo import create_demo_workspace
from cxgap.services.workspaces import create_workspace, get_workspace

PAGES = ("retention", "value")


def setup(cx: Cxgap, _folder: Path) -> None:
    with cx.transaction() as session:
        create_demo_workspace(session)
        enrich_demo(session, get_workspace(session, "demo"))
        empty = create_workspace(session, key="shop", name="Shop")
        accounts.create_user(session, email="ana@example.com", password=PASSWORD)
        for workspace in (get_workspace(session, "demo"), empty):
            accounts.set_membership(
                session, workspace=workspace, email="ana@example.com", role="analyst"
            )


def main() -> None:
    with served(setup) as (base, browser):
        ana = sign_in(browser, base, "ana@example.com", FIREFOX)
        for suffix, width in WIDTHS.items():
            for lang in ("en", "fr"):
                ana.set_viewport_size({"width": width, "height": 900})
                for name in PAGES:
                    ana.goto(f"{base}/w/demo/{name}?lang={lang}")
                    out = OUT / f"{name}-{lang}{suffix}.png"
                    ana.screenshot(path=str(out), full_page=True)
                    print(f"docs/screenshots/{out.name}")
                ana.goto(f"{base}/w/demo/retention?lang={lang}")
                ana.eval_on_selector(".rt-persona-cohorts", "d => { d.open = true; }")
                out = OUT / f"retention-personas-{lang}{suffix}.png"
                ana.locator("#cohorts-persona").screenshot(path=str(out))
                print(f"docs/screenshots/{out.name}")
                out = OUT / f"retention-stayed-{lang}{suffix}.png"
                ana.locator("section:has(.rt-stayed)").screenshot(path=str(out))
                print(f"docs/screenshots/{out.name}")
        ana.set_viewport_size({"width": 1280, "height": 900})
        for lang in ("en", "fr"):
            ana.goto(f"{base}/w/shop/value?lang={lang}")
            out = OUT / f"value-empty-{lang}.png"
            ana.screenshot(path=str(out))
            print(f"docs/screenshots/{out.name}")


if __name__ == "__main__":
    main()
