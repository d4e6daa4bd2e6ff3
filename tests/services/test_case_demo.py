"""The demo's cases come from trade accounts of its service menu, so that a newcomer sees the
SLA side of service credits: the breached case owes its Premium account a credit for the month
it was opened in, and compliance is split by tier (issue 12: "shown in the demo")."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

from sqlalchemy import select

from cxgap.db.tables import CaseRow, Feedback, utcnow
from cxgap.services import case_recovery, cases
from cxgap.services.core import Cxgap
from cxgap.services.credit_statements import month_compliance, month_credits
from cxgap.services.demo import create_demo_workspace
from cxgap.services.workspaces import get_workspace


def test_the_demos_breached_case_owes_its_premium_account_a_credit(sqlite_cx: Cxgap) -> None:
    with sqlite_cx.transaction() as session:
        create_demo_workspace(session, n_customers=120)
    now = utcnow()
    with sqlite_cx.reading() as session:
        demo = get_workspace(session, "demo")
        rows = session.scalars(select(CaseRow).order_by(CaseRow.number)).all()
        assert [r.account for r in rows] == [
            "hotel-du-parc", "studio-lumen", "groupe-horizon", None,
        ]  # fmt: skip
        breached = rows[0]
        opened = breached.created_at.astimezone(ZoneInfo("Europe/Paris"))  # the menu's zone
        month = date(opened.year, opened.month, 1)
        credits = {c.account: c for c in month_credits(session, demo, month, now)}
        hotel = credits["hotel-du-parc"]
        assert hotel.hit == 0 and hotel.missed >= 1 and hotel.tier.name == "premium"
        assert hotel.credit_percent > 0 and str(breached.number) in hotel.case_ids
        groups = month_compliance(session, demo, month, now).groups
        tiers = {g.value for g in groups if g.dimension == "tier"}
        assert "premium" in tiers


def test_the_demos_closed_case_was_sent_the_recovery_survey_and_answered_it(
    sqlite_cx: Cxgap,
) -> None:
    with sqlite_cx.transaction() as session:
        create_demo_workspace(session, n_customers=120, locale="fr")
    with sqlite_cx.reading() as session:
        closed = session.scalars(select(CaseRow).where(CaseRow.account == "groupe-horizon")).one()
        (survey,) = case_recovery.recoveries_of(session, closed)
        events = [e.type for e in cases.history(session, closed)]
        answer = session.get(Feedback, survey.feedback_id)
    assert closed.status == "closed" and survey.score == 4 and survey.sent_at
    assert survey.language == "fr" and survey.comment and "Merci" in survey.comment
    assert events[-3:] == ["recovery_ask", "recovery_sent", "recovery_answer"]
    # the answer is Listening feedback of the recovery channel, after the case was closed
    assert answer is not None and answer.channel == "recovery" and answer.csat == 4
    assert answer.collected_at > closed.closed_at
