"""impact_of and control_for on a workspace's data, on SQLite and PostgreSQL: the analyses on
the series metric_series reads, the outcome, the reasons in both languages, and the control."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from cxgap.impact import measure_impact
from cxgap.impact.did import difference_in_differences
from cxgap.impact.gap import Moved
from cxgap.impact.series import Point
from cxgap.impact.target import Metric, MetricTarget
from cxgap.schema import CustomerAnswer
from cxgap.services import journeys
from cxgap.services.action_impact import control_for, impact_of
from cxgap.services.answers import store_customer_answers
from cxgap.services.core import Cxgap
from cxgap.services.workspaces import get_workspace
from tests.factories import make_workspace
from tests.journeys.samples import sample_journey

# One CES answer a month per segment, January to October 2025; the action starts in June.
PRO = [3, 4, 3, 4, 3, 6, 6, 7, 6, 7]
HOME = [4, 3, 4, 3, 4, 4, 3, 4, 3, 4]
START = date(2025, 6, 1)
TODAY = date(2026, 12, 3)


@pytest.fixture
def answered(cx: Cxgap) -> Cxgap:
    with cx.transaction() as session:
        ws = make_workspace(session)
        journeys.create_journey(session, workspace=ws, journey=sample_journey(8))
        answers = [
            CustomerAnswer(
                pillars={},
                ces=values[month],
                segment_key=segment,
                submitted_at=datetime(2025, month + 1, 15, tzinfo=UTC),
                external_id=f"{segment}-{month}",
            )
            for segment, values in (("pro", PRO), ("home", HOME))
            for month in range(10)
        ]
        store_customer_answers(session, workspace=ws, answers=answers, source="import")
    return cx


def monthly(values: list[int]) -> list[Point]:
    return [Point(date(2025, m + 1, 1), float(v), 1) for m, v in enumerate(values)]


def test_the_impact_and_the_did_of_an_action_on_a_segment(answered: Cxgap) -> None:
    pro = MetricTarget(Metric.CES, segment="pro")
    home = MetricTarget(Metric.CES, segment="home")
    with answered.transaction() as session:
        view = impact_of(
            session, get_workspace(session, "acme"), pro, START, control=home, today=TODAY
        )
    assert view.series == monthly(PRO) and view.control_series == monthly(HOME)
    assert view.impact == measure_impact(monthly(PRO), START)
    assert view.impact is not None and view.impact.method == "segmented_regression"
    assert view.did == difference_in_differences(monthly(PRO), monthly(HOME), START)
    # by hand: (6.4 − 3.4) − (3.6 − 3.6) = 3
    assert view.did is not None and view.did.effect is not None
    assert view.did.effect.value == pytest.approx(3.0)
    assert view.moved is Moved.BETTER and view.reason is None
    document = view.as_json()
    assert document["moved"] == "better" and document["control"] == home.as_json()


def test_not_started_no_data_no_before_and_too_short_say_why(answered: Cxgap) -> None:
    pro = MetricTarget(Metric.CES, segment="pro")
    with answered.transaction() as session:
        ws = get_workspace(session, "acme")
        later = impact_of(session, ws, pro, date(2026, 12, 10), today=TODAY)
        empty = impact_of(
            session, ws, MetricTarget(Metric.NPS), START, today=TODAY
        )  # no NPS anywhere
        early = impact_of(session, ws, pro, date(2024, 12, 1), today=TODAY)
        short = impact_of(session, ws, pro, date(2025, 2, 1), today=TODAY)  # one month before
    assert later.moved is Moved.NOT_STARTED and later.impact is None
    assert later.reason == {
        "en": "The action starts on 2026-12-10: there is nothing to measure yet.",
        "fr": "L'action commence le 2026-12-10 : il n'y a encore rien à mesurer.",
    }
    assert empty.moved is Moved.NOT_ENOUGH_DATA and empty.series == []
    assert empty.reason is not None and "no data" in empty.reason["en"]
    assert early.moved is Moved.NOT_ENOUGH_DATA and early.impact is None
    assert early.reason is not None and "Aucune période mesurée avant" in early.reason["fr"]
    assert short.impact is not None and short.impact.method == "before_after"
    assert short.moved is Moved.NOT_ENOUGH_DATA
    assert (
        short.reason is not None
        and "(periods before the action: 1; since: 9)" in short.reason["en"]
    )


def test_control_for_picks_an_untouched_segment_or_touchpoint(answered: Cxgap) -> None:
    with answered.transaction() as session:
        ws = get_workspace(session, "acme")
        pro = MetricTarget(Metric.CES, segment="pro")
        assert control_for(session, ws, pro, set()) == MetricTarget(Metric.CES, segment="home")
        assert control_for(session, ws, pro, {"home"}) is None
        assert control_for(session, ws, MetricTarget(Metric.CES), set()) is None
        pillar = MetricTarget(Metric.PILLAR, pillar="service", segment="home")
        assert control_for(session, ws, pillar, set()) == MetricTarget(
            Metric.PILLAR, pillar="service", segment="pro"
        )
        # sample_journey(8): stage 0 holds tp-0-0 and tp-0-1, stage 1 tp-1-0 alone
        tp = MetricTarget(Metric.TOUCHPOINT_SENTIMENT, touchpoint="tp-0-0", segment="pro")
        assert control_for(session, ws, tp, set()) == MetricTarget(
            Metric.TOUCHPOINT_SENTIMENT, touchpoint="tp-0-1", segment="pro"
        )
        assert control_for(session, ws, tp, {"tp-0-1"}) is None
        alone = MetricTarget(Metric.TOUCHPOINT_SENTIMENT, touchpoint="tp-1-0")
        assert control_for(session, ws, alone, set()) is None
