"""The demo's action plan: three actions on its priority pillars (one that worked, one that
did not, one late), the delivery complaints that drop after the first one's start, and the
action gap of the demo's priority pillars and top irritants."""

from __future__ import annotations

from datetime import date

from scipy.stats import chi2_contingency
from sqlalchemy import select

from cxgap.db.tables import ActionRow
from cxgap.demo.feedback import demo_feedback
from cxgap.demo.story import DELIVERY_ACTION_START
from cxgap.impact.gap import ActionGapStatus, Moved
from cxgap.services import action_gaps
from cxgap.services.core import Cxgap
from cxgap.services.demo import create_demo_workspace
from cxgap.services.workspaces import get_workspace
from tests.enrichment_factory import enrich_demo


def test_delivery_complaints_drop_after_the_action_and_nothing_else_moves() -> None:
    items = [i for i in demo_feedback() if i.topic == "delivery"]
    before = [i.intended_score < 0 for i in items if i.collected_at.date() < DELIVERY_ACTION_START]
    after = [i.intended_score < 0 for i in items if i.collected_at.date() >= DELIVERY_ACTION_START]
    assert (sum(before), len(before), sum(after), len(after)) == (25, 36, 33, 82)
    table = [[sum(before), len(before) - sum(before)], [sum(after), len(after) - sum(after)]]
    # scipy.stats.chi2_contingency([[25, 11], [33, 49]], correction=False):
    # statistic=8.534949225929044, pvalue=0.0034839104852116315
    result = chi2_contingency(table, correction=False)
    assert abs(result.pvalue - 0.0034839104852116315) < 1e-12
    # The payment step, the second action's touchpoint, keeps its share of complaints.
    payment = [i for i in demo_feedback() if i.about == "payment"]
    early = [i.intended_score < 0 for i in payment if i.collected_at.date() < date(2026, 8, 17)]
    later = [i.intended_score < 0 for i in payment if i.collected_at.date() >= date(2026, 8, 17)]
    assert abs(sum(early) / len(early) - sum(later) / len(later)) < 0.1


def test_the_demo_plans_three_actions_on_its_priority_pillars(cx: Cxgap) -> None:
    with cx.transaction() as session:
        create_demo_workspace(session, locale="fr")
        workspace = get_workspace(session, "demo")
        enrich_demo(session, workspace)
        actions = session.scalars(select(ActionRow).order_by(ActionRow.id)).all()
        assert [(a.subject_key, a.status, a.metric) for a in actions] == [
            ("friction", "done", "topic_negative_share"),
            ("communication", "done", "touchpoint_sentiment"),
            ("service", "in_progress", "nps"),
        ]
        assert actions[0].title.startswith("Passer à un transporteur")
        priorities = action_gaps.priority_pillars(session, workspace)
        assert {a.subject_key for a in actions} <= set(priorities)
        today = date(2026, 11, 15)  # the demo's last day
        assert [action_gaps.is_late(a, today) for a in actions] == [False, False, True]
        outcomes = {actions[0].id: Moved.BETTER, actions[1].id: Moved.NO_CHANGE,
                    actions[2].id: Moved.NOT_ENOUGH_DATA}  # fmt: skip
        gaps = action_gaps.action_gaps(
            session, workspace, outcome=lambda a: outcomes[a.id], today=today
        )
        by_subject = {(g.kind, g.subject): g.status for g in gaps}
        assert by_subject[("pillar", "friction")] is ActionGapStatus.WORKING
        assert by_subject[("pillar", "communication")] is ActionGapStatus.NOT_WORKING
        assert by_subject[("pillar", "service")] is ActionGapStatus.LATE
        assert by_subject[("pillar", "products")] is ActionGapStatus.NO_ACTION
        # The delivery irritant has the first action (its metric is the topic's share).
        assert by_subject[("topic", "delivery")] is ActionGapStatus.WORKING
        assert len([g for g in gaps if g.kind == "topic"]) == action_gaps.TOP_IRRITANTS
