"""Screenshots of the queue listing closed cases (imported past tickets, titled with their
subjects, the most recently closed first) and of the Audit page saying the service levels'
changed sections in words, in English and French, desktop and phone, into docs/screenshots/.

Runs cxgap on a throw-away database holding the demo workspace, a few past tickets imported
from a small CSV written here, and one save of the service levels by an administrator.
"""

from __future__ import annotations

from pathlib import Path

from scripts.screenshots_sessions import FIREFOX, PASSWORD, served, shoot, sign_in

from cxgap.services import accounts, case_imports, service_levels
from cxgap.services.core import Cxgap
from cxgap.services.demo import create_demo_workspace
from cxgap.services.workspaces import get_workspace

PAST_TICKETS = """Ticket,Created at,Solved at,Status,Subject,Priority
Z-3101,2026-10-05T09:12:00+02:00,2026-10-05T15:40:00+02:00,Closed,Invoice charged twice,high
Z-3102,2026-10-12T10:02:00+02:00,2026-10-14T11:00:00+02:00,Closed,Parcel never arrived,normal
Z-3103,2026-11-02T16:30:00+01:00,2026-11-03T09:45:00+01:00,Closed,Wrong size delivered,normal
Z-3104,2026-11-20T08:50:00+01:00,2026-11-20T10:05:00+01:00,Closed,Cannot log in,urgent
"""


def setup(cx: Cxgap, folder: Path) -> None:
    with cx.transaction() as session:
        create_demo_workspace(session)
        accounts.create_user(session, email="ana@example.com", password=PASSWORD)
        demo = get_workspace(session, "demo")
        accounts.set_membership(session, workspace=demo, email="ana@example.com", role="admin")
        path = folder / "past-tickets.csv"
        path.write_text(PAST_TICKETS, encoding="utf-8")
        case_imports.import_ticket_cases(session, workspace=demo, path=path, preset="mapped")
        ana = accounts.get_user(session, email="ana@example.com")
        document = service_levels.full_document(session, workspace=demo)
        document["calendar"]["holidays"] = [*document["calendar"].get("holidays", []),
                                            "2026-12-24"]  # fmt: skip
        document["tiers"][0]["fee"] = float(document["tiers"][0]["fee"]) + 10
        service_levels.save_document(session, workspace=demo, document=document, user_id=ana.id)


def main() -> None:
    with served(setup) as (base, browser):
        ana = sign_in(browser, base, "ana@example.com", FIREFOX)
        shoot(ana, "cases-queue-closed", f"{base}/w/demo/cases?status=closed")
        shoot(ana, "audit-service-levels-words", f"{base}/audit?action=service_levels.changed")


if __name__ == "__main__":
    main()
