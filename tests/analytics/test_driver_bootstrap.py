"""The vectorised bootstrap of the key drivers against the one-draw-at-a-time bootstrap it
replaced (kept here as the reference) and against values that bootstrap gave."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest

from cxgap.analytics import driver_bootstrap
from cxgap.analytics.driver_bootstrap import bootstrap_weights, stacked_relative_weights
from cxgap.analytics.drivers import (
    WeightedRows,
    analyse_drivers,
    correlations,
    relative_weights,
    weighted_rows,
)
from cxgap.errors import ValidationError

Arrays = tuple[np.ndarray, np.ndarray, np.ndarray]


def _loop_bootstrap(rows: WeightedRows, draws: int, seed: int) -> np.ndarray:
    """The bootstrap as cxgap ran it until 2026-12-04: one multinomial draw, one correlation
    matrix and one eigen-decomposition per draw."""
    rng = np.random.default_rng(seed)
    probabilities = rows.w / rows.w.sum()
    samples = []
    for _ in range(draws):
        counts = rng.multinomial(rows.n, probabilities).astype(np.float64)
        drawn = rows.x[counts > 0]
        if (drawn.min(axis=0) == drawn.max(axis=0)).any():
            continue
        try:
            samples.append(relative_weights(*correlations(WeightedRows(rows.x, rows.y, counts))))
        except ValidationError:
            continue
    return np.array(samples).reshape(-1, rows.x.shape[1])


def _patterns(sets: int = 120, p: int = 6, seed: int = 5) -> Arrays:
    """Presence patterns × the eleven NPS values with counts, as the Listening page reads
    them: the first topics common, the last rare."""
    rng = np.random.default_rng(seed)
    shapes = (rng.random((sets, p)) < np.linspace(0.5, 0.01, p)).astype(float)
    x, y, w = [], [], []
    for shape in shapes:
        centre = 6 - 2 * shape[0] + 1.5 * shape[1] - shape[min(3, p - 1)]
        for score in range(11):
            x.append(shape)
            y.append(float(score))
            w.append(rng.poisson(30 * np.exp(-0.3 * (score - centre) ** 2)))
    keep = np.array(w) > 0
    return np.array(x)[keep], np.array(y)[keep], np.array(w, dtype=float)[keep]


def _rare(seed: int = 3) -> Arrays:
    """60 verbatims, one topic in a single one: it vanishes from about a third of the draws."""
    rng = np.random.default_rng(seed)
    common = (rng.random(60) < 0.4).astype(float)
    rare = np.zeros(60)
    rare[5] = 1.0
    nps = np.clip(np.round(7 - 3 * common + rng.normal(0, 1.5, 60)), 0, 10)
    return np.column_stack([common, rare]), nps, np.ones(60)


def _continuous(seed: int = 1) -> Arrays:
    """Predictors that are not 0/1 (the analytics take any): the vanishing test by values."""
    rng = np.random.default_rng(seed)
    x = np.round(rng.normal(size=(80, 3)), 1)
    y = np.round(x @ np.array([0.5, 0.3, -0.2]) + rng.normal(size=80))
    return x, y, rng.integers(1, 4, 80).astype(float)


def _flat_scores() -> Arrays:
    """Five verbatims, four with the same score: some draws hold one score only."""
    return np.array([[0.0], [1.0], [0.0], [1.0], [1.0]]), np.array([5.0, 5, 5, 5, 9]), np.ones(5)


CASES: dict[str, Callable[[], Arrays]] = {
    "patterns": _patterns,
    "rare": _rare,
    "continuous": _continuous,
    "flat": _flat_scores,
}


@pytest.mark.parametrize("case", sorted(CASES))
@pytest.mark.parametrize("seed", [0, 7])
def test_the_weights_of_every_draw_equal_the_one_draw_at_a_time_bootstrap(
    case: str, seed: int
) -> None:
    x, y, w = CASES[case]()
    expected = _loop_bootstrap(weighted_rows(x, y, w), 150, seed)
    got = bootstrap_weights(x, y, w, 150, seed)
    assert got.shape == expected.shape
    assert len(got) > 0
    np.testing.assert_allclose(got, expected, rtol=1e-8, atol=1e-12)


@pytest.mark.parametrize("block", [40, 700, 3_000])
def test_batches_and_blocks_change_nothing(monkeypatch: pytest.MonkeyPatch, block: int) -> None:
    # A small block: a few draws per batch, and the patterns' products made block by block.
    x, y, w = _patterns()
    whole = bootstrap_weights(x, y, w, 60, 3)
    monkeypatch.setattr(driver_bootstrap, "BLOCK", block)
    np.testing.assert_allclose(bootstrap_weights(x, y, w, 60, 3), whole, rtol=1e-10, atol=1e-14)


def test_stacked_relative_weights_equal_one_at_a_time() -> None:
    rng = np.random.default_rng(2)
    stack, vectors = [], []
    for _ in range(5):
        data = rng.normal(size=(50, 4))
        data[:, 1] += data[:, 0]
        corr = np.asarray(np.corrcoef(data, rowvar=False), dtype=np.float64)
        stack.append(corr[:3, :3])
        vectors.append(corr[:3, 3])
    # A singular matrix (three copies of one predictor): roots at rounding level, which both
    # keep or drop alike; the weights then agree to rounding amplified by 1/√ε.
    stack.append(np.ones((3, 3)))
    vectors.append(np.array([0.3, 0.3, 0.3]))
    got = stacked_relative_weights(np.array(stack), np.array(vectors))
    expected = [relative_weights(m, v) for m, v in zip(stack, vectors, strict=True)]
    np.testing.assert_allclose(got[:-1], expected[:-1], rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(got[-1], expected[-1], rtol=1e-6)
    assert got[-1].sum() == pytest.approx(0.09)  # R² = r' R⁺ r: one predictor, r = .3


# The intervals the one-draw-at-a-time bootstrap gave for _patterns(400, 12) with its 200
# draws, seed 0 (cxgap 2026-12-04, before the vectorised bootstrap).
REFERENCE = {
    "t0": (0.2890639511841475, 0.3001653624032947),
    "t1": (0.1565742036803767, 0.16702651872911797),
    "t3": (0.053809895029265836, 0.06101817128127663),
    "t9": (0.0008445785839997971, 0.0018315838820635822),
    "t6": (0.000631078343414645, 0.001302025654385945),
    "t2": (0.00036226310507249935, 0.0009433418284208224),
    "t5": (0.0003735199311207593, 0.0008833579791353888),
    "t11": (0.0003319827328909931, 0.0005789979658417207),
    "t10": (0.00013292383945666736, 0.0006568798514547931),
    "t7": (0.00013916267147137554, 0.0003879882957213106),
    "t4": (0.00010173787653621353, 0.00044164038558613754),
    "t8": (1.7900413879873534e-05, 0.00016712537023074437),
}


def test_the_intervals_equal_those_of_the_previous_bootstrap() -> None:
    x, y, w = _patterns(400, 12)
    analysis = analyse_drivers(weighted_rows(x, y, w), [f"t{j}" for j in range(12)], seed=0)
    assert [d.name for d in analysis.drivers] == list(REFERENCE)
    for driver in analysis.drivers:
        assert driver.ci == pytest.approx(REFERENCE[driver.name], rel=1e-9, abs=1e-15)


def test_too_few_usable_draws_give_no_interval() -> None:
    # One verbatim in 60 about the rare topic and three draws: fewer than half may keep it.
    x, y, w = _rare()
    x[:, 1] = 0.0
    x[5, 1] = 1.0
    w[:] = 1.0
    w[5] = 0.0001  # almost never drawn
    analysis = analyse_drivers(weighted_rows(x, y, w), ["c", "r"], bootstrap=20)
    assert all(d.ci is None for d in analysis.drivers)
