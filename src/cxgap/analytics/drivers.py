"""Key drivers: how much each topic (or pillar) a verbatim mentions moves its score.

The predictors are presence indicators (1 when the verbatim mentions the topic) and the
outcome is the score the same customer gave (NPS, or stars). Topics are correlated (people
who complain about delivery also complain about the helpline), so ordinary regression
coefficients do not say how much each one matters. Two standard answers split the explained
variance R² between the predictors instead:

* **Relative weights** (Johnson 2000, *Multivariate Behavioral Research* 35(1)): replace the
  predictors by their closest orthogonal counterparts, regress the outcome on those, and
  give each predictor back its share. The weights sum to R² exactly.
* **Shapley value regression** (Lipovetsky & Conklin 2001): each predictor's average gain in
  R² over every order in which the predictors could enter the model. Exact, but it needs
  2^p regressions, so it is kept for p ≤ ``MAX_SHAPLEY_PREDICTORS``.

Both work from the correlation matrix alone. A weight has no sign, so each driver also says how
the score moves with it, in points of the score a manager can read:

* the **difference**: the mean score of the verbatims that mention it minus the mean of those
  that do not (the raw association; its sign is the driver's ``direction``);
* the **adjusted effect**: its coefficient in the ordinary least-squares regression of the
  score on every indicator with an intercept (the other topics held equal).

The two disagree in sign when a topic is mostly mentioned together with others that lower the
score more (confounding, or suppression): the analysis then says so (``confounded``) rather
than showing such a topic as one that "raises the score". The data arrive as *distinct rows* with a
count (a presence pattern and a score, and how many verbatims have them): a million
verbatims about fifteen topics are a few thousand distinct rows. That also makes the
bootstrap cheap: resampling a million verbatims is one multinomial draw over the counts, and
a batch of draws is a few matrix products (``driver_bootstrap``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import combinations
from math import factorial

import numpy as np
from numpy.typing import ArrayLike, NDArray
from threadpoolctl import threadpool_limits

from cxgap.analytics.descriptive import Interval, check_confidence
from cxgap.analytics.driver_bootstrap import bootstrap_weights
from cxgap.errors import ValidationError

MAX_SHAPLEY_PREDICTORS = 12
Matrix = NDArray[np.float64]


@dataclass(frozen=True)
class Driver:
    """One predictor: its share of R², the direction of its effect, and a bootstrap CI."""

    name: str
    weight: float
    share: float | None  # weight / R²
    direction: int  # sign of ``difference``: +1 mentioning it goes with a higher score, −1 lower
    prevalence: float  # share of verbatims that mention it
    ci: Interval | None = None
    difference: float = 0.0  # mean score with a mention − mean score without, in score points
    adjusted: float = 0.0  # OLS coefficient with every other indicator held equal, in points
    mean_with: float | None = None
    mean_without: float | None = None

    @property
    def confounded(self) -> bool:
        """The raw difference and the adjusted effect point in opposite directions."""
        return self.difference * self.adjusted < 0


@dataclass(frozen=True)
class DriverAnalysis:
    """Relative weights of every predictor, by weight descending."""

    n: int
    r_squared: float
    drivers: tuple[Driver, ...]
    dropped: tuple[str, ...]  # predictors with no variance (always or never mentioned)
    method: str = "relative_weights"


@dataclass(frozen=True)
class WeightedRows:
    """Distinct rows with their counts: ``x`` (m × p) presence, ``y`` (m) score, ``w`` (m)."""

    x: Matrix
    y: Matrix
    w: Matrix

    @property
    def n(self) -> int:
        return int(self.w.sum())


def weighted_rows(x: ArrayLike, y: ArrayLike, w: ArrayLike | None = None) -> WeightedRows:
    """Check and convert distinct rows; ``w`` defaults to one verbatim per row."""
    xs = np.asarray(x, dtype=np.float64)
    ys = np.asarray(y, dtype=np.float64)
    ws = np.ones(len(ys)) if w is None else np.asarray(w, dtype=np.float64)
    if xs.ndim != 2 or xs.shape[0] != ys.shape[0] or ws.shape != ys.shape:
        shapes = [list(xs.shape), list(ys.shape), list(ws.shape)]
        raise ValidationError.single("rows", "x must be m × p, y and w of length m", shapes)
    if not (np.all(np.isfinite(xs)) and np.all(np.isfinite(ys)) and np.all(np.isfinite(ws))):
        raise ValidationError.single("rows", "values must be finite numbers", None)
    if np.any(ws < 0):
        raise ValidationError.single("w", "counts must not be negative", ws.min())
    return WeightedRows(xs, ys, ws)


def correlations(rows: WeightedRows) -> tuple[Matrix, Matrix]:
    """Pearson correlations among the predictors (p × p) and with the outcome (p)."""
    n = rows.w.sum()
    data = np.column_stack([rows.x, rows.y])
    centred = data - (rows.w @ data) / n
    cov = (centred * rows.w[:, None]).T @ centred
    sd = np.sqrt(np.diag(cov))
    if sd[-1] == 0:
        raise ValidationError.single("y", "the score does not vary: nothing to explain", None)
    corr = cov / np.outer(sd, sd)
    return corr[:-1, :-1], corr[:-1, -1]


def regression_coefficients(rows: WeightedRows) -> Matrix:
    """Weighted least-squares coefficients of y on the predictors, intercept first.

    Each distinct row counts ``w`` times, so this is ordinary least squares on the verbatims
    the rows stand for. Collinear predictors get the minimum-norm solution.

    >>> rows = weighted_rows([[0], [1]], [6, 9], [3, 1])  # 3 × (x=0, y=6), 1 × (x=1, y=9)
    >>> [round(float(b), 6) for b in regression_coefficients(rows)]
    [6.0, 3.0]
    """
    root = np.sqrt(rows.w)
    design = np.column_stack([np.ones(len(rows.y)), rows.x]) * root[:, None]
    solution, *_ = np.linalg.lstsq(design, rows.y * root, rcond=None)
    coefficients: Matrix = solution
    return coefficients


def mean_differences(rows: WeightedRows) -> tuple[Matrix, Matrix]:
    """Per predictor, the mean score where it is present and where it is absent (NaN when a
    side is empty)."""
    present = rows.w[:, None] * rows.x
    absent = rows.w[:, None] * (1.0 - rows.x)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean_with = (rows.y @ present) / present.sum(axis=0)
        mean_without = (rows.y @ absent) / absent.sum(axis=0)
    return mean_with, mean_without


def r_squared(rxx: ArrayLike, rxy: ArrayLike) -> float:
    """R² of the regression of y on the predictors, from correlations: r' R⁻¹ r.

    >>> round(r_squared([[1, 0.5], [0.5, 1]], [0.6, 0.4]), 6)  # (.36 + .16 − .24) / .75
    0.373333
    """
    matrix, vector = np.asarray(rxx, dtype=np.float64), np.asarray(rxy, dtype=np.float64)
    if vector.size == 0:
        return 0.0
    return float(vector @ np.linalg.pinv(matrix, hermitian=True) @ vector)


def relative_weights(rxx: ArrayLike, rxy: ArrayLike) -> NDArray[np.float64]:
    """Johnson's (2000) relative weights; they sum to R².

    Λ = R^½ holds the correlations between the predictors and their orthogonal
    counterparts Z; β = Λ⁻¹ r are the weights of y on Z; ε_j = Σ_k Λ_jk² β_k².

    Examples
    --------
    With two predictors they equal the Shapley values (see :func:`shapley_r_squared`):

    >>> w = relative_weights([[1, 0.5], [0.5, 1]], [0.6, 0.4])
    >>> [round(float(v), 6) for v in w], round(float(w.sum()), 6)
    ([0.286667, 0.086667], 0.373333)
    """
    matrix, vector = np.asarray(rxx, dtype=np.float64), np.asarray(rxy, dtype=np.float64)
    values, vectors = np.linalg.eigh(matrix)
    root = vectors @ np.diag(np.sqrt(np.clip(values, 0.0, None))) @ vectors.T
    beta = np.linalg.pinv(root, hermitian=True) @ vector
    weights: NDArray[np.float64] = (root**2) @ (beta**2)
    return weights


def shapley_r_squared(rxx: ArrayLike, rxy: ArrayLike) -> NDArray[np.float64]:
    """Shapley decomposition of R²: each predictor's mean marginal gain over all orders.

    Examples
    --------
    Two predictors, by hand: R²(1) = .36, R²(2) = .16, R²(1, 2) = .373333, so
    φ₁ = (.36 + (.373333 − .16)) / 2 and φ₂ = (.16 + (.373333 − .36)) / 2.

    >>> [round(float(v), 6) for v in shapley_r_squared([[1, 0.5], [0.5, 1]], [0.6, 0.4])]
    [0.286667, 0.086667]
    """
    matrix, vector = np.asarray(rxx, dtype=np.float64), np.asarray(rxy, dtype=np.float64)
    p = vector.size
    if p > MAX_SHAPLEY_PREDICTORS:
        message = f"exact Shapley regression takes at most {MAX_SHAPLEY_PREDICTORS} predictors"
        raise ValidationError.single("predictors", message, p)
    fit: dict[frozenset[int], float] = {}
    for size in range(p + 1):
        for subset in combinations(range(p), size):
            index = list(subset)
            fit[frozenset(subset)] = r_squared(matrix[np.ix_(index, index)], vector[index])
    values = np.zeros(p)
    for j in range(p):
        others = [k for k in range(p) if k != j]
        for size in range(p):
            weight = factorial(size) * factorial(p - size - 1) / factorial(p)
            for subset in combinations(others, size):
                base = frozenset(subset)
                values[j] += weight * (fit[base | {j}] - fit[base])
    return values


def analyse_drivers(
    rows: WeightedRows,
    names: Sequence[str],
    *,
    bootstrap: int = 200,
    confidence: float = 0.95,
    seed: int = 0,
) -> DriverAnalysis:
    """Relative weights of the predictors on the outcome, with percentile bootstrap CIs.

    Predictors that never vary are dropped (and named in ``dropped``). ``bootstrap`` = 0
    skips the intervals; the draws are seeded, so the same data give the same intervals.
    """
    if len(names) != rows.x.shape[1]:
        raise ValidationError.single("names", "one name per predictor column", len(names))
    check_confidence(confidence)
    if rows.n < 3:
        raise ValidationError.single("rows", "at least 3 verbatims are needed", rows.n)
    prevalence = (rows.w @ rows.x) / rows.w.sum()
    keep = [j for j in range(len(names)) if 0.0 < prevalence[j] < 1.0]
    dropped = tuple(names[j] for j in range(len(names)) if j not in keep)
    kept = WeightedRows(rows.x[:, keep], rows.y, rows.w)
    # The matrices have a few dozen columns: BLAS threads cost more than the maths, and on
    # a busy machine OpenBLAS's spinning threads starve each other (the Listening drivers
    # page took 66 s instead of 6 s under a load average of 15; docs/scale.md).
    with threadpool_limits(limits=1, user_api="blas"):
        rxx, rxy = correlations(kept)
        weights = relative_weights(rxx, rxy)
        adjusted = regression_coefficients(kept)[1:]
        intervals = _bootstrap(kept, bootstrap, confidence, seed)
    total = float(weights.sum())
    mean_with, mean_without = mean_differences(kept)
    difference = mean_with - mean_without
    drivers = [
        Driver(
            name=names[j],
            weight=float(weights[i]),
            share=float(weights[i]) / total if total > 0 else None,
            direction=int(np.sign(round(float(difference[i]), 12))),
            prevalence=float(prevalence[j]),
            ci=None if intervals is None else intervals[i],
            difference=float(difference[i]),
            adjusted=float(adjusted[i]),
            mean_with=float(mean_with[i]),
            mean_without=float(mean_without[i]),
        )
        for i, j in enumerate(keep)
    ]
    drivers.sort(key=lambda d: (-d.weight, d.name))
    return DriverAnalysis(rows.n, total, tuple(drivers), dropped)


def _bootstrap(
    rows: WeightedRows, draws: int, confidence: float, seed: int
) -> list[Interval] | None:
    """Percentile intervals of the weights over ``draws`` seeded resamples; None when fewer
    than half of them could be used (a rare topic vanished, or the score did not vary)."""
    if draws <= 0 or rows.x.shape[1] == 0:
        return None
    samples = bootstrap_weights(rows.x, rows.y, rows.w, draws, seed)
    if len(samples) < draws // 2:
        return None
    tail = (1.0 - confidence) / 2 * 100
    low, high = np.percentile(samples, [tail, 100 - tail], axis=0)
    return [(float(a), float(b)) for a, b in zip(low, high, strict=True)]
