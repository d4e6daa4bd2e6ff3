"""A policy that matches on ``segment`` applies to stored cases whose customer is in that
segment (issue 12: "the first whose conditions match applies (priority, tier, channel,
segment)"); a case in another segment, or opened by hand, gets the next policy."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select

from cxgap.db.tables import Segment
from cxgap.services import case_sla, cases, service_levels
from cxgap.services.core import Cxgap
from cxgap.services.workspaces import add_segments, get_workspace
from cxgap.sla.clock import Status
from cxgap.sla.policy import Metric
from tests.enrichment_factory import add_feedback
from tests.factories import make_workspace

PARIS = ZoneInfo("Europe/Paris")
MONDAY_10 = datetime(2026, 3, 2, 10, 0, tzinfo=PARIS)
DOCUMENT = {
    "calendar": {
        "timezone": "Europe/Paris",
        "hours": {d: [["09:00", "17:00"]] for d in ("mon", "tue", "wed", "thu", "fri")},
    },
    "policies": [
        {"name": "pros-fast", "match": {"segment": "pro"}, "targets": {"first_response": 30}},
        {"name": "big-spenders", "match": {"segment": ["rich"]}, "targets": {"first_response": 45}},
        {"name": "others", "match": {}, "targets": {"first_response": 480}},
    ],
    "tiers": [],
}


def _policies(cx: Cxgap, now: datetime) -> dict[str, tuple[str | None, Status]]:
    with cx.reading() as session:
        workspace = get_workspace(session, "acme")
        rows = cases.list_cases(session, workspace)
        results = case_sla.evaluate_rows(session, workspace.id, rows, now)
        return {
            row.subject: (
                None if res.policy is None else res.policy.name,
                res.metrics[Metric.FIRST_RESPONSE].status,
            )
            for row, res in zip(rows, results, strict=True)
        }


def test_a_segment_policy_applies_to_the_cases_of_that_segments_customers(cx: Cxgap) -> None:
    with cx.transaction() as session:
        workspace = make_workspace(session)  # segments pro and home, named by the attribute
        add_segments(session, workspace=workspace, segments=[("rich", "Big spenders", "Gros")])
        session.flush()
        rich = session.scalars(select(Segment).where(Segment.key == "rich")).one()
        rich.rule = "nps <= 1"  # a segment by rule: the customer is in "home" and in "rich"
        stories = (("Pro order late", "pro", 2), ("Home order late", "home", 2),
                   ("Home and furious", "home", 1))  # fmt: skip
        for text, segment, nps in stories:
            item = add_feedback(session, workspace, text, nps=nps, attributes={"segment": segment})
            cases.open_case(
                session, workspace=workspace, feedback_id=item.id, subject=text, at=MONDAY_10
            )
        cases.open_case(session, workspace=workspace, subject="By hand", at=MONDAY_10)
        service_levels.save_document(session, workspace=workspace, document=DOCUMENT, user_id=None)
    found = _policies(cx, datetime(2026, 3, 2, 10, 40, tzinfo=PARIS))
    assert found["Pro order late"] == ("pros-fast", Status.MISSED)  # 30 min, seen at 10:40
    assert found["Home order late"] == ("others", Status.ACTIVE)
    assert found["Home and furious"] == ("big-spenders", Status.ACTIVE)  # 45 min: 10:45
    assert found["By hand"] == ("others", Status.ACTIVE)
