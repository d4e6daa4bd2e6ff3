"""How much colleagues agree on a ranking: Kendall's coefficient of concordance W."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from cxgap.analytics.results_json import AgreementJson, number, whole
from cxgap.errors import ValidationError

# Upper bounds of each band; W at or above the last bound is "strong".
INTERPRETATION_BOUNDS: tuple[tuple[float, str], ...] = (
    (0.1, "none"),
    (0.3, "weak"),
    (0.6, "moderate"),
)


@dataclass(frozen=True)
class AgreementResult:
    """Kendall's W with its chi-square test; statistics are ``None`` when undefined."""

    kendall_w: float | None
    chi2: float | None
    df: int | None
    p: float | None
    n_raters: int
    interpretation: str | None

    def to_dict(self) -> AgreementJson:
        return {
            "kendall_w": number(self.kendall_w),
            "chi2": number(self.chi2),
            "df": None if self.df is None else whole(self.df),
            "p": number(self.p),
            "n_raters": whole(self.n_raters),
            "interpretation": self.interpretation,
        }


def interpret_w(w: float) -> str:
    """Name the strength of agreement: none (<0.1), weak (<0.3), moderate (<0.6), strong.

    >>> interpret_w(0.05), interpret_w(0.3), interpret_w(0.59), interpret_w(0.6)
    ('none', 'moderate', 'moderate', 'strong')
    """
    for bound, label in INTERPRETATION_BOUNDS:
        if w < bound:
            return label
    return "strong"


def complete_raters(ranks: ArrayLike) -> NDArray[np.float64]:
    """The rank matrix without items nobody ranked and without raters who skipped an item.

    >>> nan = float("nan")
    >>> complete_raters([[1, 2, nan], [2, 1, nan], [1, nan, nan]]).tolist()
    [[1.0, 2.0], [2.0, 1.0]]
    """
    matrix = np.asarray(ranks, dtype=np.float64)
    if matrix.ndim != 2:
        raise ValidationError.single("ranks", "expected a raters × items matrix", matrix.shape)
    missing = np.isnan(matrix)
    matrix = matrix[:, ~missing.all(axis=0)] if matrix.shape[0] else matrix
    return matrix[~np.isnan(matrix).any(axis=1)]


def tie_correction(ranked: NDArray[np.float64]) -> float:
    """Σ over raters and tie groups of t³ − t (0 when nobody gives ties).

    ``Σ t³`` equals the sum over items of (number of items sharing its rank)², which avoids a
    Python loop over raters.

    >>> tie_correction(np.array([[1.5, 1.5, 3.0], [1.0, 2.0, 3.0]]))
    6.0
    """
    sharing = (ranked[:, :, None] == ranked[:, None, :]).sum(axis=2)
    return float((sharing.astype(np.float64) ** 2).sum() - ranked.size)


def _empty(n_raters: int) -> AgreementResult:
    return AgreementResult(None, None, None, None, n_raters, None)


def kendall_w(ranks: ArrayLike) -> AgreementResult:
    """Kendall's W for ``m`` raters (rows) ranking ``n`` items (columns), with tie correction.

    Each row is re-ranked (ties get their average rank), so any ordinal scores will do.
    Raters with a missing (NaN) rank are dropped and ``n_raters`` says how many remain;
    items nobody ranked are ignored. ``chi2 = m (n − 1) W`` on ``n − 1`` degrees of freedom.
    W is ``None`` with fewer than 2 raters or 2 items, or when every rater tied every item.

    Examples
    --------
    Four judges rank three competitors (ProofWiki, "Kendall's Coefficient of Concordance",
    Arbitrary Example 1: W = 1/16):

    >>> r = kendall_w([[1, 3, 2], [1, 2, 3], [2, 3, 1], [3, 1, 2]])
    >>> r.kendall_w, r.df, r.n_raters, r.interpretation
    (0.0625, 2, 4, 'none')
    """
    from scipy import special, stats

    matrix = complete_raters(ranks)
    m, n = matrix.shape
    if m < 2 or n < 2:
        return _empty(m)
    ranked = stats.rankdata(matrix, axis=1)
    rank_sums = ranked.sum(axis=0)
    spread = float(((rank_sums - rank_sums.mean()) ** 2).sum())
    denominator = m * m * (n**3 - n) - m * tie_correction(ranked)
    if denominator <= 0:
        return _empty(m)
    # Rounding can leave W a hair outside [0, 1].
    w = min(1.0, max(0.0, 12.0 * spread / denominator))
    chi2 = m * (n - 1) * w
    return AgreementResult(
        kendall_w=w,
        chi2=chi2,
        df=n - 1,
        p=float(special.chdtrc(n - 1, chi2)),
        n_raters=m,
        interpretation=interpret_w(w),
    )
