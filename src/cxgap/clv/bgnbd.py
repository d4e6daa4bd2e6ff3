"""The BG/NBD model of repeat purchases (Fader, Hardie & Lee 2005, "Counting Your Customers
the Easy Way", Marketing Science 24(2)).

While alive, a customer buys at a Poisson rate λ ~ Gamma(r, α); after each purchase they
drop out with probability p ~ Beta(a, b). A customer's calibration summary is ``x`` repeat
purchases, the last at ``t_x``, observed for ``T``. The likelihood (the paper's eq. 6) needs
no hypergeometric function; it is computed in log space:

    L = B(a, b+x)/B(a, b) · Γ(r+x) α^r / (Γ(r) (α+T)^(r+x))
      + [x > 0] · B(a+1, b+x-1)/B(a, b) · Γ(r+x) α^r / (Γ(r) (α+t_x)^(r+x))
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from cxgap.clv.optimise import Fit, Vector, maximise, require_converged

NAMES = ("r", "alpha", "a", "b")
# Starting points: the paper's CDNOW estimates, a neutral one, and two far from both.
STARTS = ((0.25, 4.0, 0.8, 2.5), (1.0, 1.0, 1.0, 1.0), (0.1, 20.0, 0.3, 5.0), (2.0, 0.5, 2.0, 0.5))


@dataclass(frozen=True)
class BgNbd:
    """Fitted BG/NBD parameters (rates per time unit of the summary) and the fit's status."""

    r: float
    alpha: float
    a: float
    b: float
    fit: Fit

    def as_json(self) -> dict[str, object]:
        return {"r": self.r, "alpha": self.alpha, "a": self.a, "b": self.b, **self.fit.as_json()}

    @property
    def params(self) -> tuple[float, float, float, float]:
        return self.r, self.alpha, self.a, self.b


def _terms(params: Vector, x: Vector, t_x: Vector, T: Vector) -> tuple[Vector, Vector, Vector]:
    """Per customer: the part common to both terms, and the two terms' remaining logs."""
    from scipy.special import betaln, gammaln

    r, alpha, a, b = params
    common = gammaln(r + x) - gammaln(r) + r * np.log(alpha) + betaln(a, b + x) - betaln(a, b)
    first = -(r + x) * np.log(alpha + T)
    repeat = x > 0
    second = np.full_like(x, -np.inf)
    second[repeat] = (
        np.log(a) - np.log(b + x[repeat] - 1) - (r + x[repeat]) * np.log(alpha + t_x[repeat])
    )
    return common, first, second


def log_likelihood(params: Vector, x: Vector, t_x: Vector, T: Vector) -> Vector:
    """Each customer's log-likelihood at ``(r, alpha, a, b)``."""
    common, first, second = _terms(params, x, t_x, T)
    return common + np.logaddexp(first, second)


def gradient(params: Vector, x: Vector, t_x: Vector, T: Vector) -> Vector:
    """The derivatives of the summed log-likelihood by r, alpha, a and b."""
    from scipy.special import digamma

    r, alpha, a, b = params
    _, first, second = _terms(params, x, t_x, T)
    w2 = np.exp(second - np.logaddexp(first, second))  # the second term's share of L
    w1 = 1.0 - w2
    log_t = np.log(alpha + t_x)
    log_big_t = np.log(alpha + T)
    d_r = digamma(r + x) - digamma(r) + np.log(alpha) - w1 * log_big_t - w2 * log_t
    d_alpha = r / alpha - (r + x) * (w1 / (alpha + T) + w2 / (alpha + t_x))
    d_beta = digamma(a + b) - digamma(a + b + x)
    d_a = d_beta + w2 / a
    shifted = np.where(x > 0, b + x - 1, 1.0)
    d_b = d_beta + digamma(b + x) - digamma(b) - w2 / shifted
    return np.array([d.sum() for d in (d_r, d_alpha, d_a, d_b)])


def fit_bgnbd(frequency: Vector, recency: Vector, T: Vector) -> BgNbd:
    """Maximum-likelihood BG/NBD; ValidationError when the fit does not converge."""
    n = float(len(frequency))

    def objective(params: Vector) -> tuple[float, Vector]:
        total = log_likelihood(params, frequency, recency, T).sum()
        return float(total / n), gradient(params, frequency, recency, T) / n

    fit = require_converged(maximise(objective, STARTS, n), "BG/NBD")
    r, alpha, a, b = fit.params
    return BgNbd(r, alpha, a, b, fit)


def p_alive(model: BgNbd, x: Vector, t_x: Vector, T: Vector) -> Vector:
    """The probability that each customer is still active at ``T`` (paper, eq. 11)."""
    r, alpha, a, b = model.params
    odds = np.zeros_like(x, dtype=float)
    repeat = x > 0
    odds[repeat] = (
        a / (b + x[repeat] - 1) * ((alpha + T[repeat]) / (alpha + t_x[repeat])) ** (r + x[repeat])
    )
    return np.asarray(1.0 / (1.0 + odds))


def expected_purchases(model: BgNbd, t: Vector | float) -> Vector:
    """E[X(t)]: the purchases a new customer makes in ``t`` time units (paper, eq. 7)."""
    from scipy.special import hyp2f1

    r, alpha, a, b = model.params
    t = np.asarray(t, dtype=float)
    z = t / (alpha + t)
    bracket = 1.0 - (alpha / (alpha + t)) ** r * hyp2f1(r, b, a + b - 1, z)
    return np.asarray((a + b - 1) / (a - 1) * bracket)


def conditional_expected_purchases(
    model: BgNbd, t: float, x: Vector, t_x: Vector, T: Vector
) -> Vector:
    """E[Y(t) | x, t_x, T]: each customer's expected purchases in the next ``t`` time units
    (paper, eq. 10)."""
    from scipy.special import hyp2f1

    r, alpha, a, b = model.params
    z = t / (alpha + T + t)
    head = (a + b + x - 1) / (a - 1)
    tail = hyp2f1(r + x, b + x, a + b + x - 1, z)
    bracket = 1.0 - ((alpha + T) / (alpha + T + t)) ** (r + x) * tail
    alive = p_alive(model, x, t_x, T)
    return np.asarray(head * bracket * alive)
