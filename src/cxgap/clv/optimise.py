"""Maximum likelihood from several starts, with the convergence checked rather than assumed.

The models' parameters are positive, so the optimiser works on their logarithms (no bound
at zero to trip on, and a flat likelihood is less lopsided); the log-parameters are kept
within ``±LOG_BOUND`` so that a likelihood that keeps rising towards infinity or zero stops
there and shows as not converged instead of overflowing. A fit is *converged* when the best
start ends with a gradient that is zero to ``GRADIENT_TOLERANCE`` (per customer, in log
parameters) away from the bounds, and at least two starts reach the same parameters: a flat
likelihood, where starts stop anywhere along a ridge, fails that test.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from threadpoolctl import threadpool_limits

from cxgap.errors import FieldProblem, ValidationError
from cxgap.i18n import translate

Vector = NDArray[np.float64]
# The mean log-likelihood per customer and its gradient, at the (natural) parameters.
Objective = Callable[[Vector], tuple[float, Vector]]

LOG_BOUND = 12.0
GRADIENT_TOLERANCE = 1e-5
# Two starts agree when every parameter is within this relative distance of the best's.
AGREEMENT = 1e-3


@dataclass(frozen=True)
class Fit:
    """The maximum-likelihood estimates and how the optimiser got there."""

    params: tuple[float, ...]
    log_likelihood: float
    converged: bool
    status: str  # the optimiser's own message for the best start
    success: bool  # whether the optimiser itself said it converged, for the best start
    iterations: int
    starts: int
    agreeing_starts: int
    gradient_norm: float  # the largest |d mean log-likelihood / d log parameter|
    inside: bool  # every parameter away from the bounds

    def as_json(self) -> dict[str, object]:
        return {
            "log_likelihood": self.log_likelihood,
            "converged": self.converged,
            "optimizer": {
                "method": "L-BFGS-B",
                "status": self.status,
                "success": self.success,
                "iterations": self.iterations,
                "starts": self.starts,
                "agreeing_starts": self.agreeing_starts,
                "gradient_norm": self.gradient_norm,
            },
        }


@dataclass(frozen=True)
class _Run:
    theta: Vector
    mean_ll: float
    gradient: Vector
    status: str
    success: bool
    iterations: int


def maximise(objective: Objective, starts: Sequence[Sequence[float]], weight: float) -> Fit:
    """The best of the starts (natural parameters); ``weight`` is the number of customers,
    which turns the mean log-likelihood back into the total."""

    def negative(theta: Vector) -> tuple[float, Vector]:
        params = np.exp(theta)
        with np.errstate(all="ignore"):
            mean_ll, gradient = objective(params)
        if not np.isfinite(mean_ll) or not np.all(np.isfinite(gradient)):
            return 1e300, np.zeros_like(theta)
        return -mean_ll, -gradient * params

    # A handful of parameters: BLAS threads only fight over the cores (20 times slower on a
    # busy machine, L-BFGS-B's small matrix products waiting for each other).
    with threadpool_limits(limits=1, user_api="blas"):
        runs = [_run(negative, np.log(np.asarray(start, dtype=float))) for start in starts]
    best = max(runs, key=lambda run: run.mean_ll)
    agreeing = sum(
        1 for run in runs if np.all(np.abs(np.exp(run.theta - best.theta) - 1.0) <= AGREEMENT)
    )
    gradient_norm = float(np.max(np.abs(best.gradient)))
    inside = bool(np.all(np.abs(best.theta) < LOG_BOUND - 1e-6))
    converged = inside and gradient_norm <= GRADIENT_TOLERANCE and agreeing >= min(2, len(runs))
    return Fit(
        params=tuple(float(v) for v in np.exp(best.theta)),
        log_likelihood=best.mean_ll * weight,
        converged=converged,
        status=best.status,
        success=best.success,
        iterations=best.iterations,
        starts=len(runs),
        agreeing_starts=agreeing,
        gradient_norm=gradient_norm,
        inside=inside,
    )


def _run(negative: Callable[[Vector], tuple[float, Vector]], theta0: Vector) -> _Run:
    from scipy.optimize import minimize

    result = minimize(
        negative,
        theta0,
        jac=True,
        method="L-BFGS-B",
        bounds=[(-LOG_BOUND, LOG_BOUND)] * len(theta0),
        options={"maxiter": 5000, "ftol": 1e-14, "gtol": 1e-8},
    )
    value, gradient = negative(result.x)
    message, success = str(result.message).strip().rstrip(":"), bool(result.success)
    return _Run(result.x, -value, gradient, message, success, int(result.nit))


def require_converged(fit: Fit, model: str) -> Fit:
    """The fit, or ValidationError (code ``not_converged``, or ``not_converged_bound`` when
    a parameter reached its bound) saying what the optimiser reported: the data cannot give
    this model's estimates."""
    if fit.converged:
        return fit
    raise not_converged(fit, model)


def not_converged(fit: Fit, model: str) -> ValidationError:
    """The refusal of a fit that did not converge; ``field`` is the model's name."""
    params: dict[str, object] = {
        "status": fit.status,
        "gradient": f"{fit.gradient_norm:.2e}",
        "bound": f"{LOG_BOUND:g}",
        "agreeing": fit.agreeing_starts,
        "starts": fit.starts,
    }
    code = "not_converged" if fit.inside else "not_converged_bound"
    message = translate(f"clv.reason.{code}", "en", **params)
    problem = FieldProblem(model, message, code=code, params=params)
    return ValidationError([problem], summary=f"the {model} fit did not converge")
