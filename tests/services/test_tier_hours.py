"""Stored cases run on the support hours of their account's tier (SQLite and PostgreSQL).

The same Saturday-morning case (2026-12-05 10:00, Europe/Paris) for three accounts: Standard
on the office week is due Monday 11:00, Premium (08:00–20:00 on weekdays) Monday 10:00,
Enterprise (round the clock) Saturday 12:00 — first response within 120 business minutes.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from cxgap.services import case_sla, cases, service_levels
from cxgap.services.core import Cxgap
from cxgap.services.workspaces import get_workspace
from cxgap.sla.policy import Metric
from tests.factories import make_workspace
from tests.sla.test_tier_calendars import menu_document

PARIS = ZoneInfo("Europe/Paris")


def test_the_same_case_is_due_at_the_hours_of_its_accounts_tier(cx: Cxgap) -> None:
    created = datetime(2026, 12, 5, 10, tzinfo=PARIS)
    with cx.transaction() as session:
        workspace = make_workspace(session)
        service_levels.save_document(
            session, workspace=workspace, document=menu_document(), user_id=None
        )
        for account in ("small", "mid", "big", "nobody"):
            cases.open_case(
                session, workspace=workspace, subject=account, account=account, at=created
            )
    with cx.reading() as session:
        workspace = get_workspace(session, "acme")
        rows = cases.list_cases(session, workspace)
        now = datetime(2026, 12, 9, tzinfo=PARIS)
        entries = case_sla.case_queue(session, workspace, rows, now)
    due = {}
    for entry in entries:
        clock = entry.result.metrics[Metric.FIRST_RESPONSE].clock
        assert clock is not None and clock.due is not None
        due[entry.case.subject] = clock.due.astimezone(PARIS).strftime("%a %d %H:%M")
    assert due == {
        "small": "Mon 07 11:00",
        "mid": "Mon 07 10:00",
        "big": "Sat 05 12:00",
        "nobody": "Mon 07 11:00",  # no tier: the workspace calendar
    }


def test_the_tier_hours_survive_a_save_and_show(cx: Cxgap) -> None:
    with cx.transaction() as session:
        workspace = make_workspace(session)
        service_levels.save_document(
            session, workspace=workspace, document=menu_document(), user_id=None
        )
        shown = service_levels.full_document(session, workspace=workspace)
    enterprise = shown["tiers"][2]
    assert enterprise["accounts"] == ["big"]
    assert enterprise["calendar"]["hours"]["sun"] == [["00:00", "24:00"]]
    assert enterprise["calendar"]["holiday_country"] is None
