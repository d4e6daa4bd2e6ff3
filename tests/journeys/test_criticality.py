"""Measured criticality at the edges of its documented thresholds."""

from __future__ import annotations

import pytest

from cxgap.errors import ValidationError
from cxgap.journeys.criticality import disagrees, measured_criticality
from cxgap.journeys.model import Criticality


def level(intensity: float, negative: float = 0.0, positive: float = 0.0, n: int = 100) -> object:
    return measured_criticality(
        feedback_count=n,
        emotional_intensity=intensity,
        strong_negative_share=negative,
        strong_positive_share=positive,
    )


@pytest.mark.parametrize(
    ("intensity", "negative", "positive", "expected"),
    [
        (0.75, 0.0, 0.0, Criticality.CRITICAL),
        (0.74, 0.0, 0.0, Criticality.SENSITIVE),
        (0.50, 0.0, 0.0, Criticality.SENSITIVE),
        (0.49, 0.0, 0.0, Criticality.LOW_NEUTRAL),
        (0.10, 0.30, 0.20, Criticality.CRITICAL),  # polarised: half of it strong
        (0.10, 0.15, 0.10, Criticality.SENSITIVE),
        (0.10, 0.15, 0.09, Criticality.LOW_NEUTRAL),
    ],
)
def test_thresholds(
    intensity: float, negative: float, positive: float, expected: Criticality
) -> None:
    assert level(intensity, negative, positive) == expected


def test_too_little_feedback_gives_no_level() -> None:
    assert level(0.9, 0.5, 0.3, n=9) is None
    assert level(0.9, 0.5, 0.3, n=10) == Criticality.CRITICAL


def test_refuses_shares_out_of_range() -> None:
    with pytest.raises(ValidationError, match="strong_negative_share"):
        level(0.5, 1.2)
    with pytest.raises(ValidationError, match="must not exceed 1"):
        level(0.5, 0.7, 0.6)


def test_disagreement_needs_both_levels() -> None:
    assert disagrees(Criticality.CRITICAL, Criticality.LOW_NEUTRAL)
    assert not disagrees(Criticality.CRITICAL, Criticality.CRITICAL)
    assert not disagrees(None, Criticality.CRITICAL)
