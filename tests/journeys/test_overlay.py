"""The pure part of the overlay: tallies to measures, laid over a journey."""

from __future__ import annotations

import pytest

from cxgap.errors import ValidationError
from cxgap.journeys.model import Criticality, Measured
from cxgap.journeys.overlay import TouchpointTally, disagreements, lay_over, measure
from tests.journeys.samples import sample_journey


def test_an_empty_tally_measures_nothing() -> None:
    m = measure(TouchpointTally())
    assert m == Measured()


def test_polarised_feedback_is_critical_even_with_a_mild_mean() -> None:
    # 10 texts: 3 at -0.9, 2 at +0.9, 5 at 0: mean -0.09, intensity 0.45, strong share 0.5
    tally = TouchpointTally(
        feedback_count=10, enriched_count=10, sentiment_sum=-0.9, intensity_sum=4.5,
        strong_negative=3, strong_positive=2,
    )  # fmt: skip
    m = measure(tally)
    assert m.sentiment_mean == pytest.approx(-0.09)
    assert m.measured_criticality is Criticality.CRITICAL


def test_calm_feedback_is_low_and_nps_follows_the_textbook_formula() -> None:
    # NPS = %promoters - %detractors: 5 of 8 promoters, 1 detractor -> 62.5 - 12.5 = 50
    tally = TouchpointTally(
        feedback_count=12, enriched_count=12, sentiment_sum=1.2, intensity_sum=1.2,
        promoters=5, detractors=1, nps_count=8,
    )  # fmt: skip
    m = measure(tally)
    assert (m.nps, m.measured_criticality) == (50.0, Criticality.LOW_NEUTRAL)


def test_impossible_tallies_are_refused() -> None:
    with pytest.raises(ValidationError):
        TouchpointTally(feedback_count=2, enriched_count=3)
    with pytest.raises(ValidationError):
        TouchpointTally(feedback_count=5, nps_count=2, promoters=2, detractors=1)


def test_lay_over_fills_the_named_touchpoints_and_flags_disagreements() -> None:
    journey = sample_journey(3)  # tp-0-0 declared critical, tp-2-0 low / neutral
    strong = measure(TouchpointTally(feedback_count=20, enriched_count=20, intensity_sum=16.0))
    laid = lay_over(journey, {"tp-0-0": strong, "tp-2-0": strong})
    assert [tp.measured.feedback_count for tp in laid.touchpoints] == [20, 0, 20]
    assert [tp.key for tp in disagreements(laid)] == ["tp-2-0"]


def test_criticality_does_not_depend_on_the_order_intensities_were_added_in() -> None:
    """A database adds floats in whatever order it reads the rows: ten intensities whose
    mean is exactly the "sensitive" threshold (0.5) sum to 5.0, 4.999999999999999 or
    5.000000000000001 depending on that order, and the level must not flip with it."""
    orders = (
        [0.4, 0.55, 0.7, 0.8, 0.9, 0.2, 0.3, 0.1, 0.45, 0.6],
        [0.45, 0.8, 0.6, 0.3, 0.9, 0.4, 0.2, 0.7, 0.55, 0.1],
        [0.7, 0.8, 0.6, 0.1, 0.45, 0.2, 0.4, 0.3, 0.55, 0.9],
    )
    sums = []
    for values in orders:
        total = 0.0
        for value in values:
            total += value
        sums.append(total)
    assert len(set(sums)) == 3  # the orders really give three different sums
    levels = {
        measure(
            TouchpointTally(feedback_count=10, enriched_count=10, intensity_sum=total)
        ).measured_criticality
        for total in sums
    }
    assert levels == {Criticality.SENSITIVE}
