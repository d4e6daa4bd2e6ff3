"""Screenshots of the three gaps page (with the action gap of touchpoints, drivers, personas
and segments) and of an action's impact per week, in English and French, desktop and phone,
into docs/screenshots/ (``gaps-three-*``, ``action-impact-week-*``).

Runs cxgap on a throw-away database holding the demo workspace enriched by the real text
analysis, the second self-assessment campaign of ``screenshots_executive`` (so the gaps have
a trend) and an action on a persona.
"""

from __future__ import annotations

from pathlib import Path

from scripts.screenshots_executive import _second_campaign
from scripts.screenshots_sessions import FIREFOX, OUT, PASSWORD, served, shoot, sign_in
from sqlalchemy import select

from cxgap.cli import enrich
from cxgap.db.tables import PersonaRow
from cxgap.services import accounts, action_plans
from cxgap.services.core import Cxgap
from cxgap.services.demo import DEMO_KEY, create_demo_workspace
from cxgap.services.workspaces import get_workspace

WORKED = "Switch to a delivery partner that books the slot with the customer"


def setup(cx: Cxgap, _folder: Path) -> None:
    with cx.transaction() as session:
        create_demo_workspace(session)
        accounts.create_user(session, email="ana@example.com", password=PASSWORD)
        demo = get_workspace(session, DEMO_KEY)
        accounts.set_membership(session, workspace=demo, email="ana@example.com", role="admin")
        persona = session.scalars(
            select(PersonaRow.key).where(PersonaRow.workspace_id == demo.id).limit(1)
        ).first()
        if persona:
            action_plans.create_action(
                session, workspace=demo, actor_id=None,
                values={"title": "Call the pros back", "subject_kind": "persona",
                        "subject_key": persona, "status": "in_progress"},
            )  # fmt: skip
    enrich.enrich(DEMO_KEY, database_url=cx.settings.database_url)
    _second_campaign(cx)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with served(setup) as (base, browser):
        ana = sign_in(browser, base, "ana@example.com", FIREFOX)
        shoot(ana, "gaps-three", f"{base}/w/{DEMO_KEY}/gaps")
        ana.goto(f"{base}/w/{DEMO_KEY}/actions")
        link = ana.get_by_role("link", name=WORKED).first.get_attribute("href")
        shoot(ana, "action-impact-week", f"{base}{link}?grain=week")


if __name__ == "__main__":
    main()
