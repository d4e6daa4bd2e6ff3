"""Screenshots of the rules page with the "apply to older feedback" preview, in English and
French, desktop and phone, into docs/screenshots/.

Runs cxgap on a throw-away database holding the demo workspace: its rule "Detractors" was
saved after most of its feedback arrived, so the preview has cases to propose.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from scripts.screenshots_sessions import FIREFOX, PASSWORD, served, shoot, sign_in

from cxgap.db.tables import utcnow
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
    since = (utcnow() - timedelta(days=60)).date().isoformat()
    with served(setup) as (base, browser):
        ana = sign_in(browser, base, "ana@example.com", FIREFOX)
        shoot(ana, "case-rules-apply", f"{base}/w/demo/cases/rules?since={since}")


if __name__ == "__main__":
    main()
