"""Screenshots of the teams on the rules page, one team opened for editing (rename, members,
delete), in English and French, desktop and phone, into docs/screenshots/.

Runs cxgap on a throw-away database holding the demo workspace and two more members.
"""

from __future__ import annotations

from pathlib import Path

from scripts.screenshots_sessions import FIREFOX, OUT, PASSWORD, WIDTHS, served, sign_in

from cxgap.services import accounts, teams
from cxgap.services.core import Cxgap
from cxgap.services.demo import create_demo_workspace
from cxgap.services.workspaces import get_workspace


def setup(cx: Cxgap, _folder: Path) -> None:
    with cx.transaction() as session:
        create_demo_workspace(session)
        demo = get_workspace(session, "demo")
        for email in ("ana@example.com", "bo@example.com", "chloe@example.com"):
            accounts.create_user(session, email=email, password=PASSWORD)
            accounts.set_membership(session, workspace=demo, email=email, role="analyst")
        teams.set_team_members(session, workspace=demo, team_key="care", emails=["bo@example.com"])


def main() -> None:
    with served(setup) as (base, browser):
        ana = sign_in(browser, base, "ana@example.com", FIREFOX)
        for suffix, width in WIDTHS.items():
            for lang in ("en", "fr"):
                ana.set_viewport_size({"width": width, "height": 900})
                ana.goto(f"{base}/w/demo/cases/rules?lang={lang}#teams")
                ana.locator("#team-care summary").click()
                section = ana.locator("#teams")
                path = OUT / f"case-teams-{lang}{suffix}.png"
                section.screenshot(path=str(path))
                print(f"docs/screenshots/{path.name}")


if __name__ == "__main__":
    main()
