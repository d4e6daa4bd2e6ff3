"""Screenshots of ideas linked to action plans and cases (docs/community.md): an idea's team
page (a plan done, its suggestion to move the idea to Built, a case) and the action page's
block of linked ideas, in English and French, desktop (1280 px) and phone (390 px), into
docs/screenshots/idea-links-*.png.

Runs cxgap on a throw-away SQLite database with the demo (services/idea_link_demo.py).
"""

from __future__ import annotations

from pathlib import Path

from scripts.screenshots_sessions import FIREFOX, PASSWORD, served, shoot, sign_in

from cxgap.services import accounts
from cxgap.services.demo import DEMO_KEY, create_demo_workspace
from cxgap.services.workspaces import get_workspace


def setup(cx: object, _folder: Path) -> None:
    with cx.transaction() as session:  # type: ignore[attr-defined]
        create_demo_workspace(session, n_customers=160)
        accounts.create_user(session, email="ana@example.com", password=PASSWORD)
        demo = get_workspace(session, DEMO_KEY)
        accounts.set_membership(session, workspace=demo, email="ana@example.com", role="analyst")


def main() -> None:
    with served(setup) as (base, browser):
        ana = sign_in(browser, base, "ana@example.com", FIREFOX)
        shoot(ana, "idea-links-idea", f"{base}/w/demo/ideas/1")
        shoot(ana, "idea-links-action", f"{base}/w/demo/actions/1")


if __name__ == "__main__":
    main()
