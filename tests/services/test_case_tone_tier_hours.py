"""The tone check counts a reply's promises on the hours the case's clocks run on: its
account's tier's own support hours (and their zone), else the workspace calendar with its
lunch break — worked by hand (SQLite and PostgreSQL).

The workspace calendar is the office week in Europe/Paris (09:00–12:30, 13:30–18:00); the tier
"americas" (account "maple") has its own hours, 09:00–17:00 on weekdays in America/Montreal
(six hours behind Paris in December). One policy: first response within 120 business minutes.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from cxgap.services import case_tone, cases, service_levels
from cxgap.services.core import Cxgap
from cxgap.services.workspaces import get_workspace
from tests.factories import make_workspace
from tests.sla.builders import office_calendar

PARIS = ZoneInfo("Europe/Paris")
MONTREAL = ZoneInfo("America/Montreal")
TUESDAY_17H_PARIS = datetime(2026, 12, 8, 17, tzinfo=PARIS)  # 11:00 in Montreal
TUESDAY_11H30_PARIS = datetime(2026, 12, 8, 11, 30, tzinfo=PARIS)
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri")
MENU = {
    "calendar": office_calendar(),
    "policies": [{"name": "all", "match": {}, "targets": {"first_response": 120}}],
    "tiers": [
        {
            "name": "americas",
            "fee": 300,
            "accounts": ["maple"],
            "calendar": {
                "timezone": "America/Montreal",
                "hours": {**{d: [["09:00", "17:00"]] for d in WEEKDAYS}, "sat": [], "sun": []},
            },
        }
    ],
}


def _promises(cx: Cxgap, number: int, draft: str, now: datetime) -> list[dict[str, str]]:
    with cx.reading() as session:
        case = cases.get_case(session, get_workspace(session, "acme"), number)
        checked = case_tone.check_case_reply(session, case, draft, now)
    return [f.params for f in checked.findings if f.code == "promise_after_due"]


def test_promises_are_counted_on_the_tier_hours_in_the_tier_zone(cx: Cxgap) -> None:
    with cx.transaction() as session:
        workspace = make_workspace(session)
        service_levels.save_document(session, workspace=workspace, document=MENU, user_id=None)
        tiered, _ = cases.open_case(session, workspace=workspace, subject="Late",
                                    account="maple", at=TUESDAY_17H_PARIS)  # fmt: skip
        plain, _ = cases.open_case(session, workspace=workspace, subject="Late too",
                                   account="nobody", at=TUESDAY_11H30_PARIS)  # fmt: skip
        numbers = (tiered.number, plain.number)
        # the tier's clock: 11:00 Montreal + 120 min = 13:00 Montreal (19:00 in Paris), where
        # the workspace's would say Wednesday 10:00 in Paris
        due = case_tone.reply_due(session, tiered, TUESDAY_17H_PARIS)
        assert due == datetime(2026, 12, 8, 13, tzinfo=MONTREAL)
    # Two business hours from 11:00 in Montreal: 13:00, on time. On the office week in Paris
    # they would end on Wednesday at 10:00, long after the due time.
    ok = "We will get back to you within 2 business hours."
    assert _promises(cx, numbers[0], ok, TUESDAY_17H_PARIS) == []
    late = "We will get back to you within 3 business hours."
    assert _promises(cx, numbers[0], late, TUESDAY_17H_PARIS) == [
        {
            "text": "within 3 business hours",
            "promised": "2026-12-08 14:00",
            "due": "2026-12-08 13:00",
        },
    ]
    # No tier: the workspace calendar and its lunch break. Due 11:30 + 60 min + (13:30 + 60)
    # = 14:30; three business hours end at 15:30 (not 14:30 as on a 09:00–18:00 day).
    assert _promises(cx, numbers[1], ok, TUESDAY_11H30_PARIS) == []
    assert _promises(cx, numbers[1], late, TUESDAY_11H30_PARIS) == [
        {
            "text": "within 3 business hours",
            "promised": "2026-12-08 15:30",
            "due": "2026-12-08 14:30",
        },
    ]
