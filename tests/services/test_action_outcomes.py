"""The demo's actions measured from its data (issue 13): the delivery partner worked, the
payment e-mails did not, the detractor call-backs are late; the action gap, the impact of an
action with its control, and its heading by names."""

from __future__ import annotations

from datetime import date

from scipy.stats import ttest_ind
from sqlalchemy import select

from cxgap.db.tables import ActionRow
from cxgap.impact.gap import ActionGapStatus, Moved
from cxgap.services import action_demo, action_outcomes, action_plans
from cxgap.services.core import Cxgap
from cxgap.services.report_schedules import members_of, schedule_of
from cxgap.services.workspaces import get_workspace
from tests.demo_prepared import prepare_demo
from tests.factories import make_user
from tests.prepared import Prepared

TODAY = date(2026, 11, 15)  # the demo's last day


def test_the_demo_actions_come_out_better_no_change_and_late(cx: Cxgap, prepared: Prepared) -> None:
    prepare_demo(prepared, cx, enriched=True)
    with cx.transaction() as session:
        workspace = get_workspace(session, "demo")
        worked, did_not, late = session.scalars(select(ActionRow).order_by(ActionRow.id)).all()
        outcome = {
            a.id: action_outcomes.outcome_of(session, workspace, a, today=TODAY)
            for a in (worked, did_not, late)
        }
        assert outcome[worked.id] is Moved.BETTER
        assert outcome[did_not.id] is Moved.NO_CHANGE
        gaps = action_outcomes.workspace_action_gaps(session, workspace, today=TODAY)
        by_subject = {(g.kind, g.subject): g for g in gaps}
        assert by_subject[("pillar", "friction")].status is ActionGapStatus.WORKING
        assert by_subject[("pillar", "friction")].moved is Moved.BETTER
        assert by_subject[("pillar", "communication")].status is ActionGapStatus.NOT_WORKING
        assert by_subject[("pillar", "communication")].moved is Moved.NO_CHANGE
        assert by_subject[("pillar", "service")].status is ActionGapStatus.LATE
        assert by_subject[("topic", "delivery")].status is ActionGapStatus.WORKING
        # The delivery topic's share of negative mentions, named in the reader's language.
        view = action_outcomes.action_impact(session, workspace, worked, today=TODAY)
        assert view is not None and view.moved is Moved.BETTER
        assert view.impact is not None and view.impact.level.value < 0
        assert "Delivery" in view.series_label("en") and "delivery " not in view.series_label("en")
        assert "Delivery (fr)" in view.series_label("fr")  # enrich_demo's French names
        before = [p.value for p in view.series if p.period < worked.start_date]
        after = [p.value for p in view.series if p.period >= worked.start_date]
        reference = ttest_ind(after, before, equal_var=False)  # the before/after comparison
        assert view.impact.method == "before_after" and view.impact.level.p < 0.05
        assert abs(view.impact.level.p - reference.pvalue) < 1e-9
        # The payment e-mails: measured against another touchpoint of the same stage.
        payment = action_outcomes.action_impact(session, workspace, did_not, today=TODAY)
        assert payment is not None and payment.control is not None
        assert payment.control.touchpoint != "payment"
        assert payment.did is not None


def test_not_started_cancelled_and_untargeted_actions(cx: Cxgap, prepared: Prepared) -> None:
    prepare_demo(prepared, cx)
    with cx.transaction() as session:
        workspace = get_workspace(session, "demo")
        late = session.scalars(select(ActionRow).order_by(ActionRow.id.desc())).first()
        assert late is not None
        future = action_plans.create_action(
            session, workspace=workspace, actor_id=None,
            values={"title": "Later", "start_date": date(2027, 1, 4), "status": "in_progress",
                    "metric": "nps"},
        )  # fmt: skip
        bare = action_plans.create_action(
            session, workspace=workspace, actor_id=None,
            values={"title": "No target", "status": "in_progress", "start_date": date(2026, 9, 1)},
        )  # fmt: skip
        assert action_outcomes.outcome_of(session, workspace, future, today=TODAY) is (
            Moved.NOT_STARTED
        )
        assert action_outcomes.action_impact(session, workspace, bare, today=TODAY) is None
        assert action_outcomes.outcome_of(session, workspace, bare, today=TODAY) is (
            Moved.NOT_ENOUGH_DATA
        )
        late.status = "not_started"
        assert action_outcomes.outcome_of(session, workspace, late, today=TODAY) is (
            Moved.NOT_STARTED
        )


def test_the_demo_sends_its_monthly_report_to_its_admin(cx: Cxgap, prepared: Prepared) -> None:
    prepare_demo(prepared, cx, locale="fr")  # nobody yet: stored, off
    with cx.transaction() as session:
        workspace = get_workspace(session, "demo")
        schedule = schedule_of(session, workspace)
        assert schedule.id is not None and not schedule.enabled
        assert (schedule.locale, schedule.paper) == ("fr", "a4")
        make_user(session, "root@example.com", superuser=True)
        assert action_demo.add_demo_schedule(session, workspace=workspace, locale="fr")
        schedule = schedule_of(session, workspace)
        members = members_of(session, workspace)
        assert [m.email for m in members] == ["root@example.com"]
        assert schedule.enabled and schedule.recipient_ids == [members[0].user_id]
