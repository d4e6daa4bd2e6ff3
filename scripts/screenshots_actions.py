"""Screenshots of the action plan: the list (a late action, progress), the form to plan an
action from a priority pillar, the late action with its steps and comment, and the action that
worked with its measured impact, in English and French, desktop and phone, into
docs/screenshots/.

Runs cxgap on a throw-away database holding the demo workspace (its three actions) and an
analyst who owns the late one.
"""

from __future__ import annotations

from pathlib import Path

from scripts.screenshots_sessions import FIREFOX, OUT, PASSWORD, WIDTHS, served, sign_in
from sqlalchemy import select

from cxgap.cli import enrich
from cxgap.db.tables import ActionRow
from cxgap.services import accounts, action_plans
from cxgap.services.core import Cxgap
from cxgap.services.demo import create_demo_workspace
from cxgap.services.workspaces import get_workspace

PAGES = {
    "actions": "/w/demo/actions",
    "action-form": "/w/demo/actions/new?pillar=service",
    "action": "/w/demo/actions/{late}",
    "action-impact": "/w/demo/actions/{worked}",
}


def setup(cx: Cxgap, _folder: Path) -> None:
    with cx.transaction() as session:
        create_demo_workspace(session)
        demo = get_workspace(session, "demo")
        accounts.create_user(session, email="ana@example.com", password=PASSWORD)
        accounts.set_membership(session, workspace=demo, email="ana@example.com", role="analyst")
        late = session.scalars(select(ActionRow).where(ActionRow.status == "in_progress")).one()
        action_plans.update_action(session, action=late, values={"owner": "ana@example.com"},
                                   actor_id=None)  # fmt: skip
    # Enriched like `cxgap demo` does, so that each action's impact is measured.
    enrich.enrich("demo", database_url=cx.settings.database_url)


def main() -> None:
    with served(setup) as (base, browser):
        ana = sign_in(browser, base, "ana@example.com", FIREFOX)
        ana.goto(f"{base}/w/demo/actions?status=in_progress")
        late = ana.locator("tr[data-action]").first.get_attribute("data-action")
        ana.goto(f"{base}/w/demo/actions?status=done")
        worked = ana.locator("tr[data-action]").last.get_attribute("data-action")
        for name, path in PAGES.items():
            url = base + path.format(late=late, worked=worked)
            for suffix, width in WIDTHS.items():
                for lang in ("en", "fr"):
                    ana.set_viewport_size({"width": width, "height": 900})
                    ana.goto(f"{url}{'&' if '?' in url else '?'}lang={lang}")
                    shot = OUT / f"{name}-{lang}{suffix}.png"
                    ana.screenshot(path=str(shot), full_page=True)
                    print(f"docs/screenshots/{shot.name}")


if __name__ == "__main__":
    main()
