"""The demo's service levels: the three-tier menu published, accounts on each tier, and one
account owed a credit for last month's incident (worked by hand below)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from cxgap.demo.service_levels import demo_incident
from cxgap.services import availability_incidents, service_accounts, service_levels
from cxgap.services.core import Cxgap
from cxgap.services.demo import store_demo_service_levels
from cxgap.sla.credits import compute_credits
from tests.factories import make_workspace


def test_the_demo_menu_owes_one_enterprise_account_a_credit(sqlite_cx: Cxgap) -> None:
    with sqlite_cx.transaction() as session:
        workspace = make_workspace(session, "demo", "Demo")
        store_demo_service_levels(session, workspace=workspace)
        levels = service_levels.load_service_levels(session, workspace=workspace)
        accounts = service_accounts.list_accounts(session, workspace=workspace)
        [incident] = availability_incidents.list_incidents(session, workspace=workspace)
        workspace_id = workspace.id
    assert levels.published and levels.public_slug == "demo" and levels.version == 1
    assert {a.tier for a in accounts} == {"standard", "premium", "enterprise"}
    assert incident.minutes == 95 and incident.accounts == ["groupe-horizon"]
    menu = service_levels.stored_menu(sqlite_cx, workspace_id)
    assert menu is not None
    month = incident.start.date().replace(day=1)
    credits = compute_credits(menu, [], [incident.as_incident()], month, datetime.now(UTC))
    owed = {c.account: c.credit_amount for c in credits if c.credit_amount > 0}
    # 95 of 43,200 (or 44,640) minutes: 99.78 % (99.79 %) < 99.9 -> 25 % of 2,900 EUR.
    assert owed == {"groupe-horizon": Decimal("725.00")}


def test_the_incident_falls_on_the_12th_of_the_previous_month() -> None:
    incident = demo_incident(date(2026, 1, 5))
    assert incident.start == "2025-12-12T14:05:00"
    start = datetime.fromisoformat(incident.start)
    assert datetime.fromisoformat(incident.end) - start == timedelta(minutes=95)
