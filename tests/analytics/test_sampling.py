"""Margins of error and sample sizes."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cxgap.analytics.sampling import (
    assess_validity,
    margin_of_error,
    responses_needed,
    responses_required,
)
from cxgap.errors import ValidationError


def test_the_textbook_385() -> None:
    # ceil(1.959964² × 0.25 / 0.05²) = ceil(384.146) = 385
    assert responses_required(5.0) == 385


@pytest.mark.parametrize(
    ("target", "confidence", "expected"),
    [
        (3.0, 0.95, 1068),  # ceil(1.959964² × 0.25 / 0.03²) = ceil(1067.07)
        (5.0, 0.99, 664),  # ceil(2.575829² × 0.25 / 0.05²) = ceil(663.49)
        (10.0, 0.95, 97),  # ceil(96.04)
        (5.0, 0.90, 271),  # ceil(1.644854² × 0.25 / 0.05²) = ceil(270.55)
    ],
)
def test_other_targets(target: float, confidence: float, expected: int) -> None:
    assert responses_required(target, confidence=confidence) == expected


def test_finite_population_correction_matches_the_sample_size_tables() -> None:
    # Krejcie & Morgan style tables: population 1,000, ±5 % at 95 % → 278.
    assert responses_required(5.0, population=1000) == 278
    # The whole population of 100 at ±5 %: 384.15 / (1 + 383.15 / 100) = 79.5 → 80
    assert responses_required(5.0, population=100) == 80


def test_margin_of_error_in_points() -> None:
    # 1.959964 × √(0.25 / 640) × 100 = 3.87372
    assert margin_of_error(640) == pytest.approx(3.87372, abs=1e-5)
    assert margin_of_error(0) is None
    # The whole population answered: nothing left to estimate.
    assert margin_of_error(500, population=500) == 0.0


def test_additional_responses_never_negative() -> None:
    assert responses_needed(300, 385) == 85
    assert responses_needed(1000, 385) == 0


def test_validity_summary() -> None:
    shown = assess_validity(200, target_moe_points=5.0).to_dict()
    assert shown == {
        "n": 200,
        "margin_of_error": pytest.approx(6.92952, abs=1e-5),  # 1.959964 × √(0.25/200) × 100
        "target_moe": 5.0,
        "responses_required": 385,
        "responses_needed": 185,
        "enough": False,
    }


@pytest.mark.parametrize("target", [0.0, -1.0, 150.0])
def test_refuses_impossible_targets(target: float) -> None:
    with pytest.raises(ValidationError, match="target_moe_points"):
        responses_required(target)


def test_refuses_more_answers_than_people() -> None:
    with pytest.raises(ValidationError, match="exceeds the population"):
        margin_of_error(20, population=10)


@settings(deadline=None)
@given(st.integers(1, 10**7), st.sampled_from([1.0, 2.5, 5.0, 10.0]))
def test_reaching_the_required_size_meets_the_target(n: int, target: float) -> None:
    required = responses_required(target)
    margin = margin_of_error(n)
    assert margin is not None
    assert (margin <= target + 1e-9) == (n >= required)
    assert responses_needed(n, required) == max(0, required - n)
    assert math.isfinite(margin)
