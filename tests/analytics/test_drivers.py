"""Key drivers against known values: hand-computed Shapley values and Johnson's own method."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from cxgap.analytics.drivers import (
    MAX_SHAPLEY_PREDICTORS,
    analyse_drivers,
    correlations,
    r_squared,
    relative_weights,
    shapley_r_squared,
    weighted_rows,
)
from cxgap.errors import ValidationError


def _simulated(n: int = 400, seed: int = 1) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, 3))
    x[:, 1] += 0.6 * x[:, 0]
    x[:, 2] += 0.3 * x[:, 1]
    y = x @ np.array([0.5, 0.3, -0.2]) + rng.normal(size=n)
    return x, y


def test_two_predictor_shapley_matches_the_hand_computation() -> None:
    # r12 = .3, r1y = .5, r2y = .1: R²(1) = .25, R²(2) = .01,
    # R²(1,2) = (.25 + .01 − 2 × .5 × .1 × .3) / (1 − .09) = .23 / .91 = .252747
    full = 0.23 / 0.91
    expected = [(0.25 + full - 0.01) / 2, (0.01 + full - 0.25) / 2]
    values = shapley_r_squared([[1, 0.3], [0.3, 1]], [0.5, 0.1])
    assert values == pytest.approx(expected, abs=1e-12)
    assert r_squared([[1, 0.3], [0.3, 1]], [0.5, 0.1]) == pytest.approx(full)


def test_relative_weights_match_johnsons_construction_from_the_data() -> None:
    # Johnson (2000): X = P Δ Q', Z = P Q' (orthonormal), β = Z'y, Λ = Z'X, ε = Λ²' β²,
    # computed here from standardised data of unit length, independently of correlations().
    x, y = _simulated()
    xs = (x - x.mean(0)) / (x.std(0) * np.sqrt(len(y)))
    ys = (y - y.mean()) / (y.std() * np.sqrt(len(y)))
    p, _, qt = np.linalg.svd(xs, full_matrices=False)
    z = p @ qt
    expected = ((z.T @ xs) ** 2).T @ ((z.T @ ys) ** 2)
    rxx, rxy = correlations(weighted_rows(x, y))
    assert relative_weights(rxx, rxy) == pytest.approx(expected, rel=1e-9)


def test_relative_weights_sum_to_r_squared_and_approximate_shapley() -> None:
    rxx, rxy = correlations(weighted_rows(*_simulated()))
    weights = relative_weights(rxx, rxy)
    assert weights.sum() == pytest.approx(r_squared(rxx, rxy), rel=1e-12)
    assert weights == pytest.approx(shapley_r_squared(rxx, rxy), abs=0.002)


def test_orthogonal_predictors_get_their_squared_correlations() -> None:
    weights = relative_weights(np.eye(3), [0.3, -0.2, 0.1])
    assert weights == pytest.approx([0.09, 0.04, 0.01])


def test_weighted_distinct_rows_equal_the_expanded_data() -> None:
    x = np.array([[0, 0], [1, 0], [0, 1], [1, 1]])
    y = np.array([9.0, 4.0, 7.0, 2.0])
    w = np.array([50, 20, 25, 5])
    expanded_x, expanded_y = np.repeat(x, w, axis=0), np.repeat(y, w)
    compact = correlations(weighted_rows(x, y, w))
    expanded = correlations(weighted_rows(expanded_x, expanded_y))
    assert compact[0] == pytest.approx(expanded[0])
    assert compact[1] == pytest.approx(expanded[1])


def test_analysis_names_directions_drops_constants_and_bootstraps() -> None:
    rng = np.random.default_rng(7)
    n = 2000
    delivery = rng.random(n) < 0.3
    staff = rng.random(n) < 0.2
    always = np.ones(n)
    nps = np.clip(np.round(8 - 4 * delivery + 1.5 * staff + rng.normal(0, 1.5, n)), 0, 10)
    rows = weighted_rows(np.column_stack([delivery, staff, always]), nps)
    result = analyse_drivers(rows, ["delivery", "staff", "always"], bootstrap=100)
    assert result.dropped == ("always",)
    first, second = result.drivers
    assert (first.name, first.direction, second.name, second.direction) == (
        "delivery",
        -1,
        "staff",
        1,
    )
    assert first.share is not None and first.share > 0.8
    assert first.ci is not None and first.ci[0] < first.weight < first.ci[1]
    assert sum(d.weight for d in result.drivers) == pytest.approx(result.r_squared)
    assert first.prevalence == pytest.approx(delivery.mean())
    again = analyse_drivers(rows, ["delivery", "staff", "always"], bootstrap=100)
    assert again.drivers[0].ci == first.ci  # seeded


def test_a_rare_topic_that_vanishes_from_bootstrap_draws_does_not_break_the_analysis() -> None:
    # Found on the demo workspace: a topic in 1 verbatim of 60 is absent from about a third
    # of the resamples, its correlations are then undefined and must not reach eigh().
    rng = np.random.default_rng(3)
    n = 60
    common = rng.random(n) < 0.4
    rare = np.zeros(n)
    rare[5] = 1.0
    nps = np.clip(np.round(7 - 3 * common + rng.normal(0, 1.5, n)), 0, 10)
    result = analyse_drivers(weighted_rows(np.column_stack([common, rare]), nps), ["c", "r"])
    assert [d.name for d in result.drivers] == ["c", "r"]
    assert result.drivers[0].ci is not None  # the draws that kept the rare topic still count


def test_bad_input_is_refused_with_the_field_named() -> None:
    with pytest.raises(ValidationError, match="names"):
        analyse_drivers(weighted_rows([[0], [1], [1]], [1, 2, 3]), ["a", "b"])
    with pytest.raises(ValidationError, match="does not vary"):
        analyse_drivers(weighted_rows([[0], [1], [1]], [5, 5, 5]), ["a"], bootstrap=0)
    with pytest.raises(ValidationError, match="w"):
        weighted_rows([[0], [1]], [1, 2], [1, -1])
    with pytest.raises(ValidationError, match="predictors"):
        size = MAX_SHAPLEY_PREDICTORS + 1
        shapley_r_squared(np.eye(size), np.zeros(size))


# -- the sign of a driver, in points of the score --------------------------------------------


def test_a_topic_mentioned_in_low_score_answers_gets_a_negative_effect() -> None:
    # Delivery is mentioned by 4 of 10 answers, scoring 2, 3, 2 and 9 (mean 4); the 6 others
    # score 8, 9, 10, 9, 8, 10 (mean 9): answers mentioning it score 5 points lower.
    scores = [2, 3, 2, 9, 8, 9, 10, 9, 8, 10]
    delivery = [1, 1, 1, 1, 0, 0, 0, 0, 0, 0]
    analysis = analyse_drivers(
        weighted_rows(np.array(delivery)[:, None], scores), ["delivery"], bootstrap=0
    )
    (driver,) = analysis.drivers
    assert driver.direction == -1 and driver.difference == pytest.approx(-5.0)
    assert (driver.mean_with, driver.mean_without) == (pytest.approx(4.0), pytest.approx(9.0))
    assert driver.prevalence == pytest.approx(0.4)
    # Reference: scipy.stats.linregress(delivery, scores).slope == -5.0 (one predictor: the
    # OLS slope on a 0/1 indicator is the difference of means).
    reference = stats.linregress(delivery, scores)
    assert driver.adjusted == pytest.approx(reference.slope) and not driver.confounded


def test_the_adjusted_effect_is_ordinary_least_squares_on_the_verbatims() -> None:
    # Distinct rows with counts, against least squares on the verbatims spelled out one by one
    # (what statsmodels.OLS(y, add_constant(x)).fit().params computes).
    x, y = _simulated(n=300, seed=4)
    x = (x > 0.3).astype(float)
    y = np.round(y * 2 + 6)
    patterns: dict[tuple[tuple[float, ...], float], int] = {}
    for row, value in zip(x, y, strict=True):
        patterns[(tuple(row), value)] = patterns.get((tuple(row), value), 0) + 1
    rows = weighted_rows(
        [list(k[0]) for k in patterns], [k[1] for k in patterns], list(patterns.values())
    )
    design = np.column_stack([np.ones(len(y)), x])
    expected, *_ = np.linalg.lstsq(design, y, rcond=None)
    analysis = analyse_drivers(rows, ["a", "b", "c"], bootstrap=0)
    adjusted = {d.name: d.adjusted for d in analysis.drivers}
    assert [adjusted[k] for k in "abc"] == pytest.approx(list(expected[1:]), rel=1e-9)


def test_a_confounded_topic_keeps_the_sign_of_its_raw_difference_and_says_so() -> None:
    # Delivery mostly comes with billing problems. Rows (billing, delivery, score, count):
    # with delivery the mean is (30 × 3 + 5 × 8) / 35 = 3.714, without (10 × 1 + 55 × 8) / 65
    # = 6.923: 3.21 points lower. Holding billing equal, delivery goes with +2 (3 vs 1) or 0
    # (8 vs 8) points: the adjusted effect is positive. It must not read "raises the score".
    rows = weighted_rows([[1, 1], [1, 0], [0, 1], [0, 0]], [3, 1, 8, 8], [30, 10, 5, 55])
    analysis = analyse_drivers(rows, ["billing", "delivery"], bootstrap=0)
    delivery = next(d for d in analysis.drivers if d.name == "delivery")
    assert delivery.difference == pytest.approx(130 / 35 - 450 / 65)
    assert delivery.direction == -1 and delivery.adjusted > 0 and delivery.confounded
    expanded_x = np.repeat([[1, 1], [1, 0], [0, 1], [0, 0]], [30, 10, 5, 55], axis=0)
    expanded_y = np.repeat([3, 1, 8, 8], [30, 10, 5, 55])
    design = np.column_stack([np.ones(100), expanded_x])
    expected, *_ = np.linalg.lstsq(design, expanded_y, rcond=None)
    assert delivery.adjusted == pytest.approx(expected[2])
    billing = next(d for d in analysis.drivers if d.name == "billing")
    assert billing.direction == -1 and billing.adjusted < 0 and not billing.confounded
