"""The series an action's impact is measured on, on SQLite and PostgreSQL, against values
worked out by hand from a few answers and feedback items built here."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from cxgap.errors import ValidationError
from cxgap.impact.series import Point
from cxgap.impact.target import Metric, MetricTarget
from cxgap.schema import CustomerAnswer, PillarScores
from cxgap.services.answers import store_customer_answers
from cxgap.services.core import Cxgap
from cxgap.services.metric_series import metric_series
from cxgap.services.workspaces import get_workspace
from tests.enrichment_factory import FindingSpec, add_feedback, add_topic
from tests.factories import PILLAR_KEYS, make_workspace

PILLAR = PILLAR_KEYS[0]
# (moment, nps, csat, ces, segment, performance of PILLAR)
ANSWERS = [
    (datetime(2026, 1, 10, 9, 0, tzinfo=UTC), 10, 5, 2, "pro", 4),
    (datetime(2026, 1, 20, 9, 0, tzinfo=UTC), 3, 3, 4, "home", 2),
    (datetime(2026, 1, 31, 23, 30, tzinfo=UTC), 9, 4, 6, "pro", 5),
    (datetime(2026, 3, 2, 8, 0, tzinfo=UTC), 7, 2, 5, "home", 3),
]
# (text, moment, touchpoint, segment, overall score, findings)
FEEDBACK: list[tuple[str, datetime, str | None, str, float, list[FindingSpec]]] = [
    ("late again", datetime(2026, 4, 3, tzinfo=UTC), "tp-0-0", "pro", -0.8,
     [("delivery", -0.8)]),
    ("quick delivery", datetime(2026, 4, 9, tzinfo=UTC), "tp-0-0", "home", 0.5,
     [("delivery", 0.5)]),
    ("late and dear", datetime(2026, 4, 28, tzinfo=UTC), None, "home", -0.6,
     [("delivery", -0.6), ("price", -0.5)]),
    ("arrived early", datetime(2026, 6, 15, tzinfo=UTC), "tp-0-0", "pro", 0.6,
     [("delivery", 0.6)]),
]  # fmt: skip


@pytest.fixture
def data(cx: Cxgap) -> Cxgap:
    with cx.transaction() as session:
        ws = make_workspace(session)
        answers = [
            CustomerAnswer(
                pillars={PILLAR: PillarScores(4, perf)}, nps=nps, csat=csat, ces=ces,
                segment_key=segment, submitted_at=moment, external_id=f"r{i}",
            )
            for i, (moment, nps, csat, ces, segment, perf) in enumerate(ANSWERS)
        ]  # fmt: skip
        store_customer_answers(session, workspace=ws, answers=answers, source="import")
        add_topic(session, ws, "delivery")
        add_topic(session, ws, "price")
        for text, moment, touchpoint, segment, score, findings in FEEDBACK:
            item = add_feedback(
                session, ws, text, touchpoint=touchpoint, attributes={"segment": segment},
                score=score, findings=findings, nps=0,
            )  # fmt: skip
            item.collected_at = moment
        session.flush()
    return cx


def series(cx: Cxgap, target: MetricTarget, **options: object) -> list[tuple[str, float, int]]:
    with cx.transaction() as session:
        points = metric_series(session, get_workspace(session, "acme"), target, **options)  # type: ignore[arg-type]
    return [(p.period.isoformat(), round(p.value, 6), p.n or 0) for p in points]


def test_nps_csat_ces_by_month_from_the_survey_answers(data: Cxgap) -> None:
    # January: 10, 3, 9 → 2 promoters, 1 detractor of 3 → +33.33; March: a 7 → 0. No February.
    assert series(data, MetricTarget(Metric.NPS)) == [
        ("2026-01-01", 33.333333, 3),
        ("2026-03-01", 0.0, 1),
    ]
    # CSAT as on the results page: the share of 4 and 5 (5, 3, 4 → 2/3; 2 → 0)
    assert series(data, MetricTarget(Metric.CSAT)) == [
        ("2026-01-01", 0.666667, 3),
        ("2026-03-01", 0.0, 1),
    ]
    assert series(data, MetricTarget(Metric.CES)) == [
        ("2026-01-01", 4.0, 3),
        ("2026-03-01", 5.0, 1),
    ]


def test_a_segment_bounds_and_weeks(data: Cxgap) -> None:
    pro = MetricTarget(Metric.NPS, segment="pro")
    assert series(data, pro) == [("2026-01-01", 100.0, 2)]
    # from the 15th: the 20th (3) and the 31st at 23:30 UTC (9); the end day is whole
    window = {"start": date(2026, 1, 15), "end": date(2026, 1, 31)}
    assert series(data, MetricTarget(Metric.NPS), **window) == [("2026-01-01", 0.0, 2)]
    # weeks start on Monday: the 10th (Sat) → 5th, 20th (Tue) → 19th, 31st (Sat) → 26th
    assert series(data, MetricTarget(Metric.CES), period="week") == [
        ("2026-01-05", 2.0, 1),
        ("2026-01-19", 4.0, 1),
        ("2026-01-26", 6.0, 1),
        ("2026-03-02", 5.0, 1),
    ]


def test_a_pillars_performance_is_the_mean_of_its_answers(data: Cxgap) -> None:
    target = MetricTarget(Metric.PILLAR, pillar=PILLAR)
    assert series(data, target) == [("2026-01-01", 3.666667, 3), ("2026-03-01", 3.0, 1)]
    assert series(data, MetricTarget(Metric.PILLAR, pillar=PILLAR, segment="home")) == [
        ("2026-01-01", 2.0, 1),
        ("2026-03-01", 3.0, 1),
    ]
    with pytest.raises(ValidationError, match="no_such_pillar"):
        series(data, MetricTarget(Metric.PILLAR, pillar="no_such_pillar"))


def test_a_topics_negative_share(data: Cxgap) -> None:
    # April: delivery mentioned 3 times, 2 negative; June once, positive; May absent
    target = MetricTarget(Metric.TOPIC_NEGATIVE_SHARE, topic="delivery")
    assert series(data, target) == [("2026-04-01", 0.666667, 3), ("2026-06-01", 0.0, 1)]
    pro = MetricTarget(Metric.TOPIC_NEGATIVE_SHARE, topic="delivery", segment="pro")
    assert series(data, pro) == [("2026-04-01", 1.0, 1), ("2026-06-01", 0.0, 1)]
    # a window inside April: the rows, not the month counts
    window = {"start": date(2026, 4, 5), "end": date(2026, 4, 30)}
    assert series(data, target, **window) == [("2026-04-01", 0.5, 2)]


def test_a_touchpoints_mean_sentiment(data: Cxgap) -> None:
    target = MetricTarget(Metric.TOUCHPOINT_SENTIMENT, touchpoint="tp-0-0")
    assert series(data, target) == [("2026-04-01", -0.15, 2), ("2026-06-01", 0.6, 1)]
    pro = MetricTarget(Metric.TOUCHPOINT_SENTIMENT, touchpoint="tp-0-0", segment="pro")
    assert series(data, pro) == [("2026-04-01", -0.8, 1), ("2026-06-01", 0.6, 1)]


def test_without_survey_answers_nps_comes_from_the_feedback(cx: Cxgap) -> None:
    with cx.transaction() as session:
        ws = make_workspace(session)
        for i, (nps, month, day) in enumerate([(10, 2, 3), (0, 2, 20), (9, 3, 12)]):
            item = add_feedback(session, ws, f"text {i}", nps=nps)
            item.collected_at = datetime(2026, month, day, tzinfo=UTC)
        session.flush()
    assert series(cx, MetricTarget(Metric.NPS)) == [
        ("2026-02-01", 0.0, 2),
        ("2026-03-01", 100.0, 1),
    ]


def test_points_are_points(data: Cxgap) -> None:
    with data.transaction() as session:
        points = metric_series(session, get_workspace(session, "acme"), MetricTarget(Metric.CES))
    assert points[0] == Point(date(2026, 1, 1), 4.0, 3)
