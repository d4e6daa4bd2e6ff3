"""Screenshots of the ownership page (owners per pillar and per touchpoint by journey and
stage) and of a team's weekly digest, in English and French, desktop and phone, into
docs/screenshots/.

Runs cxgap on a throw-away database holding the workspace of the ownership tests: delivery,
owned by logistics, got worse this week; the digital pillar, owned by the web team, did not.
"""

from __future__ import annotations

from pathlib import Path

from scripts.screenshots_sessions import FIREFOX, OUT, PASSWORD, WIDTHS, served, sign_in
from tests.ownership_factories import worsened_workspace

from cxgap.db.tables import utcnow
from cxgap.services import accounts
from cxgap.services.core import Cxgap


def setup(cx: Cxgap, _folder: Path) -> None:
    with cx.transaction() as session:
        worsened_workspace(session, now=utcnow())
        accounts.set_password(session, email="lea@example.com", password=PASSWORD)


def main() -> None:
    with served(setup) as (base, browser):
        lea = sign_in(browser, base, "lea@example.com", FIREFOX)
        for suffix, width in WIDTHS.items():
            for lang in ("en", "fr"):
                lea.set_viewport_size({"width": width, "height": 900})
                for name, path in (
                    ("ownership", "/w/acme/ownership"),
                    ("team-digest", "/w/acme/teams/logistics/digest"),
                ):
                    lea.goto(f"{base}{path}?lang={lang}")
                    shot = OUT / f"{name}-{lang}{suffix}.png"
                    lea.screenshot(path=str(shot), full_page=True)
                    print(f"docs/screenshots/{shot.name}")


if __name__ == "__main__":
    main()
