"""The fits recover the parameters that generated the data: 5,000 customers drawn from each
model with a fixed seed, each estimate within 3 of its standard errors (from the observed
information, the finite-difference Hessian of the analytic gradient), standard errors small
enough for that to mean something."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from cxgap.clv import bgnbd, fit_bgnbd, fit_gamma_gamma, gamma_gamma
from cxgap.clv.optimise import Vector

CUSTOMERS = 5000


def draw_bgnbd(
    rng: np.random.Generator, r: float, alpha: float, a: float, b: float
) -> tuple[Vector, Vector, Vector]:
    """Each customer buys at rate λ ~ Gamma(r, α) until T ~ U(20, 52) and, after each repeat
    purchase, leaves for good with probability p ~ Beta(a, b)."""
    rates = rng.gamma(r, 1 / alpha, CUSTOMERS)
    dropout = rng.beta(a, b, CUSTOMERS)
    ages = rng.uniform(20, 52, CUSTOMERS)
    x, last = np.zeros(CUSTOMERS), np.zeros(CUSTOMERS)
    for i in range(CUSTOMERS):
        t = rng.exponential(1 / rates[i])
        while t <= ages[i]:
            x[i], last[i] = x[i] + 1, t
            if rng.random() < dropout[i]:
                break
            t += rng.exponential(1 / rates[i])
    return x, last, ages


def standard_errors(gradient: NDArray[np.float64], at: NDArray[np.float64]) -> Vector:
    """From the Hessian of the log-likelihood, by central differences of its gradient."""
    hessian = np.empty((len(at), len(at)))
    for j in range(len(at)):
        step = np.zeros(len(at))
        step[j] = 1e-5 * at[j]
        hessian[:, j] = (gradient(at + step) - gradient(at - step)) / (2 * step[j])
    return np.sqrt(np.diag(np.linalg.inv(-(hessian + hessian.T) / 2)))


def test_bgnbd_recovers_the_parameters_it_was_drawn_from() -> None:
    truth = np.array([0.6, 5.0, 1.2, 3.0])
    x, t_x, T = draw_bgnbd(np.random.default_rng(14), *truth)
    model = fit_bgnbd(x, t_x, T)
    estimate = np.array(model.params)
    errors = standard_errors(lambda p: bgnbd.gradient(p, x, t_x, T), estimate)
    assert np.all(errors < 0.25 * truth)
    assert np.all(np.abs(estimate - truth) < 3 * errors), (estimate, errors)


def test_gamma_gamma_recovers_the_parameters_it_was_drawn_from() -> None:
    rng = np.random.default_rng(14)
    p, q, v = 6.0, 4.0, 15.0
    x = 1.0 + rng.poisson(2.0, CUSTOMERS)
    scale = rng.gamma(q, 1 / v, CUSTOMERS)  # ν, each customer's rate
    m = rng.gamma(p * x, 1 / (x * scale))  # the mean of x purchases ~ Gamma(p, ν)
    model = fit_gamma_gamma(x, m)
    estimate = np.array([model.p, model.q, model.v])
    errors = standard_errors(lambda at: gamma_gamma.gradient(at, x, m), estimate)
    assert np.all(errors < 0.25 * np.array([p, q, v]))
    assert np.all(np.abs(estimate - [p, q, v]) < 3 * errors), (estimate, errors)
