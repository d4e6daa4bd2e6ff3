"""The Gamma-Gamma model of spend per purchase (Fader, Hardie & Lee 2005, "RFM and CLV:
Using Iso-Value Curves for Customer Base Analysis", JMR 42(4); Fader & Hardie 2013, "The
Gamma-Gamma Model of Monetary Value").

Each purchase of a customer is worth z ~ Gamma(p, ν), and ν ~ Gamma(q, v) across customers.
A customer with ``x`` repeat purchases of mean value ``m`` contributes (up to a term free of
the parameters, kept so that the log-likelihood matches the published one)

    log L = lnΓ(px+q) - lnΓ(px) - lnΓ(q) + q ln v + (px-1) ln m + px ln x - (px+q) ln(v+xm)

Only customers with at least one repeat purchase are used. The likelihood is flat along a
ridge (q and v trade off), so the fit starts from several points and is accepted only when
they agree (see ``optimise``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from cxgap.clv.optimise import Fit, Vector, maximise, require_converged

NAMES = ("p", "q", "v")
# Starts spread over orders of magnitude around the usual estimates (p, q, v).
STARTS = (
    (6.0, 4.0, 15.0),
    (1.0, 2.0, 1.0),
    (1.0, 10.0, 100.0),
    (6.0, 2.0, 100.0),
    (20.0, 1.5, 5.0),
    (0.5, 20.0, 50.0),
)


@dataclass(frozen=True)
class GammaGamma:
    """Fitted Gamma-Gamma parameters, the customers used, and the fit's status."""

    p: float
    q: float
    v: float
    customers: int
    fit: Fit
    # The model assumes spend and purchase frequency are independent: their correlation
    # among the customers fitted should be near 0 (NaN when either does not vary).
    spend_frequency_correlation: float

    def as_json(self) -> dict[str, object]:
        correlation = self.spend_frequency_correlation
        values = {
            "p": self.p,
            "q": self.q,
            "v": self.v,
            "customers": self.customers,
            "spend_frequency_correlation": None if np.isnan(correlation) else correlation,
        }
        return {**values, **self.fit.as_json()}

    @property
    def mean_spend(self) -> float:
        """The population's expected spend per purchase, p·v/(q-1) (infinite when q ≤ 1)."""
        return self.p * self.v / (self.q - 1) if self.q > 1 else float("inf")


def log_likelihood(params: Vector, x: Vector, m: Vector) -> Vector:
    """Each customer's log-likelihood at ``(p, q, v)``; ``x`` ≥ 1 and ``m`` > 0."""
    from scipy.special import gammaln

    p, q, v = params
    px = p * x
    each: Vector = (
        gammaln(px + q)
        - gammaln(px)
        - gammaln(q)
        + q * np.log(v)
        + (px - 1) * np.log(m)
        + px * np.log(x)
        - (px + q) * np.log(v + x * m)
    )
    return each


def gradient(params: Vector, x: Vector, m: Vector) -> Vector:
    """The derivatives of the summed log-likelihood by p, q and v."""
    from scipy.special import digamma

    p, q, v = params
    px = p * x
    spent = np.log(v + x * m)
    d_p = x * (digamma(px + q) - digamma(px) + np.log(m) + np.log(x) - spent)
    d_q = digamma(px + q) - digamma(q) + np.log(v) - spent
    d_v = q / v - (px + q) / (v + x * m)
    return np.array([d_p.sum(), d_q.sum(), d_v.sum()])


def fit_gamma_gamma(frequency: Vector, monetary: Vector) -> GammaGamma:
    """Maximum-likelihood Gamma-Gamma on the customers with a repeat purchase;
    ValidationError when the starts do not converge to one maximum."""
    repeat = frequency > 0
    x, m = frequency[repeat], monetary[repeat]
    n = float(len(x))

    def objective(params: Vector) -> tuple[float, Vector]:
        return float(log_likelihood(params, x, m).sum() / n), gradient(params, x, m) / n

    fit = require_converged(maximise(objective, STARTS, n), "Gamma-Gamma")
    p, q, v = fit.params
    return GammaGamma(p, q, v, int(n), fit, _correlation(x, m))


def _correlation(x: Vector, m: Vector) -> float:
    if len(x) < 2 or np.ptp(x) == 0 or np.ptp(m) == 0:
        return float("nan")
    return float(np.corrcoef(x, m)[0, 1])


def expected_spend(model: GammaGamma, x: Vector, m: Vector) -> Vector:
    """E[Z | x, m]: each customer's expected spend per purchase, a weighted mean of the
    population's mean and their own (the mean for customers with no repeat purchase)."""
    p, q = model.p, model.q
    weight = p * x / (p * x + q - 1)
    own = np.where(x > 0, m, 0.0)
    return np.asarray((1 - weight) * model.mean_spend + weight * own)
