"""The key drivers' bootstrap, vectorised: many resamples of the distinct rows at once.

A resample of ``n`` verbatims given as distinct rows with counts is one multinomial draw of
``n`` over the rows' shares (``numpy``'s ``Generator.multinomial``; ``size=b`` gives the same
draws as ``b`` calls in a row, so batching changes no interval). Each draw needs the
correlations of its verbatims, and they are all linear in its counts: with ``D`` the rows'
data (predictors, then the score) centred on the whole sample's means,

    Σ_i c_i D_i D_iᵀ  and  Σ_i c_i D_i

for every draw of a batch are matrix products of the counts (b × m) with the rows' data. The
rows are distinct (presence pattern, score) pairs, so a pattern comes back once per score
value: the predictors' block Σ c_i x_i x_iᵀ is taken over the distinct patterns (the counts
summed by pattern, b × s, times their outer products' upper triangle, s × p(p+1)/2), a
tenth of the products for the NPS's eleven values. The relative weights
then come from stacked eigen-decompositions and pseudo-inverses (``numpy.linalg`` takes
stacks of matrices). Per draw this is the arithmetic of ``drivers.correlations`` and
``drivers.relative_weights``, without a Python round per draw (the draws were ~80 % of the
Listening drivers page's CPU: docs/scale.md, "The drivers page").

A draw where a predictor or the score does not vary among the drawn rows has no correlation
and is skipped, as before: for a 0/1 predictor that is a count of its mentions of 0 or ``n``,
for any other column its smallest and largest drawn values being equal.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

Matrix = NDArray[np.float64]
# Elements per block of the counts (draws × rows) and of the rows' outer products (rows × q²):
# 4 M float64 = 32 MB each, whatever the number of rows.
BLOCK = 4_000_000


def bootstrap_weights(x: Matrix, y: Matrix, w: Matrix, draws: int, seed: int) -> Matrix:
    """The relative weights of every usable draw (k × p, k ≤ ``draws``), in draw order."""
    rng = np.random.default_rng(seed)
    n = int(w.sum())
    probabilities = w / w.sum()
    m, p = x.shape
    means = (w @ np.column_stack([x, y])) / w.sum()
    score = y - means[-1]
    shapes = _Shapes(x, means[:-1])
    binary = np.all((x == 0) | (x == 1), axis=0)
    batch = max(1, min(draws, BLOCK // max(m, 1)))
    kept: list[Matrix] = []
    for start in range(0, draws, batch):
        counts = rng.multinomial(n, probabilities, size=min(batch, draws - start))
        drawn = counts.astype(np.float64)
        usable = _varies(drawn, x, y, n, binary)
        if not usable.any():
            continue
        drawn = drawn[usable]
        per_shape, per_shape_score = shapes.gather(drawn), shapes.gather(drawn * score)
        cov = np.empty((len(drawn), p + 1, p + 1))
        upper = shapes.upper
        cov[:, upper[0], upper[1]] = cov[:, upper[1], upper[0]] = shapes.products(per_shape)
        cov[:, :-1, -1] = cov[:, -1, :-1] = per_shape_score @ shapes.centred
        cov[:, -1, -1] = drawn @ score**2
        sums = np.column_stack([per_shape @ shapes.centred, drawn @ score])
        cov -= sums[:, :, None] * sums[:, None, :] / n
        sd = np.sqrt(np.diagonal(cov, axis1=1, axis2=2))
        corr = cov / (sd[:, :, None] * sd[:, None, :])
        kept.append(stacked_relative_weights(corr[:, :-1, :-1], corr[:, :-1, -1]))
    return np.concatenate(kept) if kept else np.empty((0, p))


def stacked_relative_weights(rxx: Matrix, rxy: Matrix) -> Matrix:
    """``drivers.relative_weights`` of each of a stack of correlation matrices (b × p × p)
    and correlation vectors (b × p)."""
    values, vectors = np.linalg.eigh(rxx)
    roots = np.sqrt(np.clip(values, 0.0, None))
    root = (vectors * roots[:, None, :]) @ np.swapaxes(vectors, 1, 2)
    # pinv(root, hermitian=True) without a second decomposition: root = V diag(roots) Vᵀ,
    # and the roots below pinv's cut-off (1e-15 × the largest) are dropped as it drops them.
    cut = 1e-15 * roots.max(axis=1, keepdims=True)
    inverse_roots = np.divide(1.0, roots, out=np.zeros_like(roots), where=roots > cut)
    projected = (np.swapaxes(vectors, 1, 2) @ rxy[:, :, None])[:, :, 0]
    beta = ((vectors * inverse_roots[:, None, :]) @ projected[:, :, None])[:, :, 0]
    weights: Matrix = ((root**2) @ (beta**2)[:, :, None])[:, :, 0]
    return weights


def _varies(
    drawn: Matrix, x: Matrix, y: Matrix, n: int, binary: NDArray[np.bool_]
) -> NDArray[np.bool_]:
    """Per draw: every predictor and the score take two values or more among its rows."""
    mentions = drawn @ x[:, binary]  # exact: whole numbers below 2⁵³
    usable: NDArray[np.bool_] = np.all((mentions > 0) & (mentions < n), axis=1)
    present = drawn > 0
    for column in [*x[:, ~binary].T, y]:
        low = np.where(present, column, np.inf).min(axis=1)
        high = np.where(present, column, -np.inf).max(axis=1)
        usable &= low < high
    return usable


class _Shapes:
    """The distinct presence patterns among the rows (a pattern comes once per score value),
    centred, and their outer products (upper triangle): made once when they fit in a block,
    block by block for each batch of draws otherwise."""

    def __init__(self, x: Matrix, means: Matrix) -> None:
        inverse, first = _distinct_rows(x)
        self.centred: Matrix = x[first] - means
        self.order = np.argsort(inverse, kind="stable")
        sorted_inverse = inverse[self.order]
        self.starts = np.flatnonzero(np.r_[True, sorted_inverse[1:] != sorted_inverse[:-1]])
        self.upper = np.triu_indices(x.shape[1])
        self.rows = max(1, BLOCK // max(len(self.upper[0]), 1))
        self.whole = self._block(0, len(self.centred)) if len(self.centred) <= self.rows else None

    def gather(self, drawn: Matrix) -> Matrix:
        """Per draw, the counts (or any per-row quantity) summed by pattern (b × s)."""
        gathered: Matrix = np.add.reduceat(drawn[:, self.order], self.starts, axis=1)
        return gathered

    def products(self, per_shape: Matrix) -> Matrix:
        """Per draw, Σ count × (x xᵀ)'s upper triangle (b × p(p+1)/2)."""
        if self.whole is not None:
            whole: Matrix = per_shape @ self.whole
            return whole
        total = np.zeros((len(per_shape), len(self.upper[0])))
        for start in range(0, len(self.centred), self.rows):
            stop = start + self.rows
            total += per_shape[:, start:stop] @ self._block(start, stop)
        return total

    def _block(self, start: int, stop: int) -> Matrix:
        part = self.centred[start:stop]
        block: Matrix = part[:, self.upper[0]] * part[:, self.upper[1]]
        return block


def _distinct_rows(x: Matrix) -> tuple[NDArray[np.intp], NDArray[np.intp]]:
    """Per row, the index of its distinct row; per distinct row, its first row. Rows of 0/1
    are told apart by their binary number (exact up to 52 columns): ten times faster than
    ``np.unique(axis=0)``, which sorts the rows as records."""
    if x.shape[1] <= 52 and np.all((x == 0) | (x == 1)):
        keys = x @ (2.0 ** np.arange(x.shape[1]))
        _, first, inverse = np.unique(keys, return_index=True, return_inverse=True)
    else:
        _, first, inverse = np.unique(x, axis=0, return_index=True, return_inverse=True)
    return inverse.ravel(), first
