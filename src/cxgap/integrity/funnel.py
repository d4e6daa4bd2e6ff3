"""The statistics behind the agent flags: exact binomial funnel limits corrected for the number
of units compared, and beta-binomial empirical-Bayes shrinkage before ranking.

Funnel (Spiegelhalter 2005): every unit's count ``x`` of ``n`` is compared with the pooled
share ``p0`` of all units. With ``K`` units compared, each is tested one-sided at
``alpha / K`` (Bonferroni), so that the chance of flagging any unit of a fair set is at most
``alpha``. The upper limit at size ``n`` is the largest share not significant,
``binom.isf(alpha / K, n, p0) / n``; a unit is flagged when ``P(X ≥ x) ≤ alpha / K``.

Shrinkage: the shares are modelled as draws from a Beta(a, b) fitted by maximum likelihood
on the beta-binomial counts; a unit's shrunk share is ``(x + a) / (n + a + b)``, so small
units move toward the mean and a lucky streak on 8 answers does not top the ranking.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

# Above this prior size the data show no spread beyond binomial noise: full pooling.
MAX_PRIOR_SIZE = 1e6


def upper_p_value(x: int, n: int, p0: float) -> float:
    """``P(X ≥ x)`` for ``X ~ Binomial(n, p0)``."""
    from scipy import stats

    return float(stats.binom.sf(x - 1, n, p0))


def lower_p_value(x: int, n: int, p0: float) -> float:
    """``P(X ≤ x)`` for ``X ~ Binomial(n, p0)``."""
    from scipy import stats

    return float(stats.binom.cdf(x, n, p0))


def upper_limit(n: int, p0: float, alpha: float) -> float:
    """The largest share of ``n`` not above the one-sided ``alpha`` limit."""
    from scipy import stats

    return float(stats.binom.isf(alpha, n, p0)) / n


def lower_limit(n: int, p0: float, alpha: float) -> float:
    """The smallest share of ``n`` not below the one-sided ``alpha`` limit."""
    from scipy import stats

    return float(stats.binom.ppf(alpha, n, p0)) / n


def funnel_sizes(largest: int, points: int = 40) -> list[int]:
    """Sizes to draw the limits at, spread evenly on a square-root scale from 1."""
    steps = np.linspace(1.0, math.sqrt(max(largest, 2)) * 1.1, points) ** 2
    return sorted({max(1, round(float(n))) for n in steps})


def fit_beta_prior(successes: Sequence[int], trials: Sequence[int]) -> tuple[float, float]:
    """The Beta(a, b) maximising the beta-binomial likelihood of the counts."""
    from scipy import optimize, stats

    x = np.asarray(successes, dtype=float)
    n = np.asarray(trials, dtype=float)
    mean = float(x.sum() / n.sum())
    mean = min(max(mean, 1e-4), 1 - 1e-4)

    def minus_log_likelihood(theta: np.ndarray) -> float:
        mu = 1 / (1 + math.exp(-theta[0]))
        size = math.exp(theta[1])
        return -float(stats.betabinom.logpmf(x, n, mu * size, (1 - mu) * size).sum())

    start = np.array([math.log(mean / (1 - mean)), math.log(10.0)])
    bounds = [(-12.0, 12.0), (math.log(1e-2), math.log(MAX_PRIOR_SIZE))]
    fitted = optimize.minimize(minus_log_likelihood, start, method="L-BFGS-B", bounds=bounds)
    mu = 1 / (1 + math.exp(-float(fitted.x[0])))
    size = math.exp(float(fitted.x[1]))
    return mu * size, (1 - mu) * size


def shrunk_share(x: int, n: int, prior: tuple[float, float]) -> float:
    """The posterior mean share ``(x + a) / (n + a + b)``."""
    a, b = prior
    return (x + a) / (n + a + b)
