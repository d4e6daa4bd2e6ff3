"""What the tone check of a case reply is given: the customer's words and the SLA's due time."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from cxgap.services import case_tone, cases
from cxgap.services.core import Cxgap
from cxgap.services.workspaces import get_workspace
from tests.enrichment_factory import add_feedback
from tests.factories import make_workspace

PARIS = ZoneInfo("Europe/Paris")


def test_the_reply_is_due_when_the_response_clock_says_and_reads_the_customer(
    cx: Cxgap,
) -> None:
    with cx.transaction() as session:
        workspace = make_workspace(session)
        item = add_feedback(session, workspace, "Never again: three weeks late!", nps=0)
        case, _ = cases.open_case(
            session,
            workspace=workspace,
            feedback_id=item.id,
            at=datetime(2026, 3, 2, 10, tzinfo=PARIS),
        )
        number = case.number
    with cx.transaction() as session:
        workspace = get_workspace(session, "acme")
        case = cases.get_case(session, workspace, number)
        now = datetime(2026, 3, 2, 11, tzinfo=PARIS)
        # the default same-day policy, normal priority: 240 business minutes from 10:00,
        # lunch 12:30-13:30 -> 15:00
        assert case_tone.reply_due(session, case, now) == datetime(2026, 3, 2, 15, tzinfo=PARIS)
        assert case_tone.customer_messages(session, case) == ["Never again: three weeks late!"]
        cases.reply(
            session,
            case=case,
            body="Hello, we are sorry.",
            actor_id=None,
            public=True,
            at=datetime(2026, 3, 2, 11, 30, tzinfo=PARIS),
        )
        cases.reply(
            session,
            case=case,
            body="Still nothing.",
            actor_id=None,
            from_customer=True,
            at=datetime(2026, 3, 2, 14, tzinfo=PARIS),
        )
    with cx.reading() as session:
        case = cases.get_case(session, get_workspace(session, "acme"), number)
        later = datetime(2026, 3, 2, 16, tzinfo=PARIS)
        assert case_tone.customer_messages(session, case)[-1] == "Still nothing."
        due = case_tone.reply_due(session, case, later)
        # the first response was given at 11:30; the customer wrote again at 14:00, so the next
        # response's 240 business minutes run: due 18:00
        assert due == datetime(2026, 3, 2, 18, tzinfo=PARIS)


def test_the_guidance_says_the_due_time_on_the_workspaces_clock(cx: Cxgap) -> None:
    with cx.transaction() as session:
        workspace = make_workspace(session)
        case, _ = cases.open_case(
            session, workspace=workspace, subject="Late", at=datetime(2026, 3, 2, 10, tzinfo=PARIS)
        )
        checked = case_tone.check_case_reply(
            session, case, "Hello Sam, it leaves today.", datetime(2026, 3, 2, 11, tzinfo=PARIS)
        )
    lines = [line.said("en") for line in checked.guidance.lines]
    assert any("2026-03-02 15:00" in line for line in lines), lines  # 14:00 UTC
