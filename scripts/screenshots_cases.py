"""Screenshots of the cases queue and of a case page with the current demo (its cases carry
trade accounts and team names), in English and French, desktop and phone, into
docs/screenshots/ (``cases-queue-{en,fr}[-phone].png``, ``case-{en,fr}[-phone].png``).

Runs cxgap on a throw-away database holding the demo workspace and one analyst.
"""

from __future__ import annotations

from pathlib import Path

from scripts.screenshots_sessions import FIREFOX, PASSWORD, served, shoot, sign_in

from cxgap.services import accounts
from cxgap.services.core import Cxgap
from cxgap.services.demo import create_demo_workspace
from cxgap.services.workspaces import get_workspace


def setup(cx: Cxgap, _folder: Path) -> None:
    with cx.transaction() as session:
        create_demo_workspace(session)
        accounts.create_user(session, email="ana@example.com", password=PASSWORD)
        demo = get_workspace(session, "demo")
        accounts.set_membership(session, workspace=demo, email="ana@example.com", role="analyst")


def main() -> None:
    with served(setup) as (base, browser):
        ana = sign_in(browser, base, "ana@example.com", FIREFOX)
        shoot(ana, "cases-queue", f"{base}/w/demo/cases")
        shoot(ana, "case", f"{base}/w/demo/cases/4")  # a trade account


if __name__ == "__main__":
    main()
