"""moved_of: the outcome the action gap reads, from the significance and direction of the
level and slope changes, and the view's table rows in the reader's language."""

from __future__ import annotations

import math
from datetime import date

import pytest

from cxgap.impact.gap import Moved
from cxgap.impact.result import BEFORE_AFTER, SEGMENTED_REGRESSION, Estimate, Impact
from cxgap.impact.target import Metric, MetricTarget
from cxgap.impact.view import ImpactView, moved_of, target_label

NPS = MetricTarget(Metric.NPS)
NEGATIVE = MetricTarget(Metric.TOPIC_NEGATIVE_SHARE, topic="delivery")
NAN = Estimate(1.0, math.nan, math.nan, math.nan)


def its(level: tuple[float, float], slope: tuple[float, float], n_after: int = 6) -> Impact:
    return Impact(
        SEGMENTED_REGRESSION,
        Estimate(level[0], level[0] - 1, level[0] + 1, level[1]),
        Estimate(slope[0], slope[0] - 0.1, slope[0] + 0.1, slope[1]),
        6,
        n_after,
        date(2026, 1, 1),
        hac_lags=2,
    )


@pytest.mark.parametrize(
    ("impact", "target", "moved"),
    [
        (its((5.0, 0.001), (0.1, 0.6)), NPS, Moved.BETTER),
        (its((5.0, 0.001), (0.1, 0.6)), NEGATIVE, Moved.WORSE),  # a negative share went up
        (its((-0.1, 0.2), (-0.02, 0.01)), NEGATIVE, Moved.BETTER),  # its slope went down
        (its((-3.0, 0.04), (0.0, 0.9)), NPS, Moved.WORSE),
        (its((2.0, 0.051), (0.3, 0.2)), NPS, Moved.NO_CHANGE),  # p = 0.051 is not < 0.05
        # up 5 at the date but down 1 a period: 10 periods on, 5 − 9 = −4 under the old trend
        (its((5.0, 0.001), (-1.0, 0.01), n_after=10), NPS, Moved.WORSE),
        (its((5.0, 0.001), (-0.5, 0.01), n_after=10), NPS, Moved.BETTER),  # 5 − 4.5 > 0
        (Impact(BEFORE_AFTER, NAN, None, 1, 2, date(2026, 1, 1)), NPS, Moved.NOT_ENOUGH_DATA),
        (None, NPS, Moved.NOT_ENOUGH_DATA),
    ],
)
def test_moved_of(impact: Impact | None, target: MetricTarget, moved: Moved) -> None:
    assert moved_of(impact, target) is moved


def test_an_action_starting_after_today_has_not_started() -> None:
    impact = its((5.0, 0.001), (0.1, 0.6))
    later, today = date(2026, 12, 10), date(2026, 12, 3)
    assert moved_of(impact, NPS, start=later, today=today) is Moved.NOT_STARTED
    assert moved_of(impact, NPS, start=today, today=today) is Moved.BETTER


def test_rows_and_labels_are_written_for_the_reader() -> None:
    view = ImpactView(NPS, date(2026, 1, 1), "month", [], impact=its((5.0, 0.0004), (-0.25, 0.3)))
    rows = view.rows("fr")
    assert [r.label for r in rows] == [
        "Changement de niveau à l'action",
        "Changement de pente par période",
    ]
    assert (rows[0].value, rows[0].interval, rows[0].p) == ("+5,00", "+4,00 – +6,00", "< 0,001")
    assert (rows[1].value, rows[1].p) == ("−0,25", "0,300")
    label = target_label(MetricTarget(Metric.PILLAR, pillar="service", segment="pro"), "en")
    assert label == "Performance of the pillar service (mean, 1–5), segment pro"
