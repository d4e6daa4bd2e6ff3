"""Screenshots of the community's team pages (docs/community.md): the idea tags, the levels
editor, the badges editor and the board's settings, and the public board with its tags, in
English and French, desktop (1280 px) and phone (390 px), into
docs/screenshots/community-admin-*.png.

Runs cxgap on a throw-away SQLite database with the demo's community and an admin.
"""

from __future__ import annotations

import sys
from pathlib import Path

from playwright.sync_api import Page
from scripts.screenshots_sessions import FIREFOX, PASSWORD, served, shoot, sign_in

from cxgap.services import accounts
from cxgap.services.demo import create_demo_workspace
from cxgap.services.workspaces import get_workspace

PAGES = {
    "tags": "/w/demo/community/tags",
    "levels": "/w/demo/community/levels",
    "badges": "/w/demo/community/badges",
    "badge-edit": "/w/demo/community/badges/2",
    "board": "/w/demo/community/board",
    "board-tags": "/community/demo/ideas",
}


def setup(cx: object, _folder: Path) -> None:
    with cx.transaction() as session:  # type: ignore[attr-defined]
        create_demo_workspace(session, n_customers=160)
        workspace = get_workspace(session, "demo")
        accounts.create_user(session, email="leo@example.com", password=PASSWORD)
        accounts.set_membership(session, workspace=workspace, email="leo@example.com", role="admin")


def _set_board(page: Page, base: str, state: str, visibility: str) -> None:
    """Save the board's settings through its page, as an admin does."""
    page.goto(f"{base}/w/demo/community/board?lang=en")
    page.check(f"input[name=state][value={state}]")
    page.check(f"input[name=visibility][value={visibility}]")
    page.fill("#allow-list", "maison-lumen.example\ncustomers.example")
    page.get_by_role("button", name="Save the settings").click()
    page.get_by_role("status").wait_for()


def main(names: list[str]) -> None:
    with served(setup) as (base, browser):
        leo = sign_in(browser, base, "leo@example.com", FIREFOX)
        for name, path in PAGES.items():
            if not names or name in names:
                shoot(leo, f"community-admin-{name}", f"{base}{path}")
        if not names or "closed" in names:
            _set_board(leo, base, "closed", "public")
            shoot(leo, "community-admin-closed", f"{base}/community/demo/ideas")
        if not names or "private" in names:
            _set_board(leo, base, "open", "private")
            visitor = browser.new_context(user_agent=FIREFOX).new_page()
            shoot(visitor, "community-admin-private", f"{base}/community/demo/ideas")


if __name__ == "__main__":
    main(sys.argv[1:])
