import pytest

from cxgap.errors import ValidationError
from cxgap.impact.gap import ActionGap, ActionGapStatus, Moved, best_outcome
from cxgap.impact.target import Metric, MetricTarget


def test_a_target_needs_the_subject_of_its_metric_and_nothing_else() -> None:
    assert MetricTarget(Metric.PILLAR, pillar="reliability").subject == "reliability"
    assert MetricTarget(Metric.NPS, segment="pro").subject is None
    with pytest.raises(ValidationError, match="pillar"):
        MetricTarget(Metric.PILLAR)
    with pytest.raises(ValidationError, match="topic"):
        MetricTarget(Metric.NPS, topic="delivery")


def test_parse_refuses_an_unknown_metric_by_name_and_blanks_count_as_absent() -> None:
    with pytest.raises(ValidationError, match="nps, csat"):
        MetricTarget.parse("happiness")
    target = MetricTarget.parse("topic_negative_share", topic="returns", segment="")
    assert target.segment is None and not target.higher_is_better
    assert target.as_json()["topic"] == "returns"


def test_the_action_gap_status() -> None:
    assert ActionGap("pillar", "p", 0, 0, None).status is ActionGapStatus.NO_ACTION
    assert ActionGap("pillar", "p", 2, 0, Moved.BETTER).status is ActionGapStatus.WORKING
    assert ActionGap("pillar", "p", 2, 1, Moved.BETTER).status is ActionGapStatus.LATE
    assert ActionGap("pillar", "p", 2, 1, Moved.NO_CHANGE).status is ActionGapStatus.LATE
    assert ActionGap("topic", "t", 1, 0, Moved.WORSE).status is ActionGapStatus.NOT_WORKING
    assert ActionGap("topic", "t", 1, 0, Moved.NOT_STARTED).as_json()["status"] == "waiting"
    assert best_outcome([Moved.WORSE, Moved.NO_CHANGE]) is Moved.NO_CHANGE
    assert best_outcome([]) is None
