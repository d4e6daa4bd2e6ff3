"""BG/NBD and Gamma-Gamma: the likelihoods on cases worked by hand, their gradients against
finite differences, the fits on the published CDNOW summary against the published and the
``lifetimes`` estimates, and the predictions against ``lifetimes`` (tests/clv/references.py)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.optimize import approx_fprime

from cxgap.clv import (
    bgnbd,
    conditional_expected_purchases,
    expected_purchases,
    expected_spend,
    fit_bgnbd,
    fit_gamma_gamma,
    gamma_gamma,
    p_alive,
)
from cxgap.errors import ValidationError
from tests.clv import references as ref
from tests.clv.data import cdnow_fits, chosen, summary_columns


def test_bgnbd_likelihood_of_a_case_worked_by_hand() -> None:
    # r = alpha = a = b = 1. A customer with x = 0, T = 1: B(1,1)/B(1,1) · 1/(1+1) = 1/2.
    # One with x = 1, t_x = 1, T = 2: B(1,2)/B(1,1) · 1/(1+2)^2 + B(2,1)/B(1,1) · 1/(1+1)^2
    # = 1/2 · 1/9 + 1/2 · 1/4 = 13/72. Together: 1/2 · 13/72 = 13/144.
    params = np.array([1.0, 1.0, 1.0, 1.0])
    each = bgnbd.log_likelihood(params, np.array([0.0, 1.0]), np.array([0.0, 1.0]),
                                np.array([1.0, 2.0]))  # fmt: skip
    assert each == pytest.approx([math.log(1 / 2), math.log(13 / 72)], rel=1e-12)


def test_gamma_gamma_likelihood_of_a_case_worked_by_hand() -> None:
    # p = 1, q = 2, v = 1, one repeat purchase of 1: the marginal density of z,
    # Γ(3)/(Γ(1)Γ(2)) · 1^2 · 1^0 / (1+1)^3 = 2/8 = 1/4. Two purchases averaging 2 with
    # p = 2, q = 3, v = 4: Γ(7)/(Γ(4)Γ(3)) · 4^3 · 2^3 · 2^4 / (4+4)^7 = 60 · 8192 / 2097152.
    each = gamma_gamma.log_likelihood(np.array([1.0, 2.0, 1.0]), np.array([1.0]), np.array([1.0]))
    assert each == pytest.approx([math.log(1 / 4)], rel=1e-12)
    each = gamma_gamma.log_likelihood(np.array([2.0, 3.0, 4.0]), np.array([2.0]), np.array([2.0]))
    assert each == pytest.approx([math.log(60 * 8192 / 2097152)], rel=1e-12)


@pytest.mark.parametrize("params", [(0.24, 4.4, 0.79, 2.4), (1.3, 0.7, 2.2, 0.4)])
def test_bgnbd_gradient_is_the_likelihood_s_slope(params: tuple[float, ...]) -> None:
    x, t_x, T, _ = summary_columns()
    at = np.array(params)
    numeric = approx_fprime(at, lambda p: bgnbd.log_likelihood(p, x, t_x, T).sum(), 1e-7)
    assert bgnbd.gradient(at, x, t_x, T) == pytest.approx(numeric, rel=1e-4, abs=1e-3)


@pytest.mark.parametrize("params", [(6.2, 3.7, 15.4), (0.8, 9.0, 2.0)])
def test_gamma_gamma_gradient_is_the_likelihood_s_slope(params: tuple[float, ...]) -> None:
    x, _, _, zbar = summary_columns()
    x, m = x[x > 0], zbar[x > 0]
    at = np.array(params)
    numeric = approx_fprime(at, lambda p: gamma_gamma.log_likelihood(p, x, m).sum(), 1e-7)
    assert gamma_gamma.gradient(at, x, m) == pytest.approx(numeric, rel=1e-4, abs=1e-3)


def test_bgnbd_on_cdnow_gives_the_published_estimates() -> None:
    model, _ = cdnow_fits()
    got = {"r": model.r, "alpha": model.alpha, "a": model.a, "b": model.b}
    assert {k: round(v, 3) for k, v in got.items()} == ref.PUBLISHED_BGNBD
    assert got == pytest.approx(ref.LIFETIMES_BGNBD, rel=1e-4)
    assert round(model.fit.log_likelihood, 1) == ref.PUBLISHED_BGNBD_LL
    assert model.fit.converged and model.fit.success
    assert model.fit.agreeing_starts >= 2


def test_gamma_gamma_on_cdnow_gives_the_published_estimates() -> None:
    _, model = cdnow_fits()
    assert model.customers == 946
    assert model.p == pytest.approx(ref.PUBLISHED_GAMMA_GAMMA["p"], abs=0.005)
    assert model.q == pytest.approx(ref.PUBLISHED_GAMMA_GAMMA["q"], abs=0.005)
    assert model.v == pytest.approx(ref.PUBLISHED_GAMMA_GAMMA["v"], abs=0.01)
    assert {"p": model.p, "q": model.q, "v": model.v} == pytest.approx(
        ref.LIFETIMES_GAMMA_GAMMA, rel=1e-4
    )
    assert model.fit.converged and model.fit.agreeing_starts >= 2
    # lifetimes docs: returning_customers_summary[['monetary_value', 'frequency']].corr()
    assert round(model.spend_frequency_correlation, 6) == 0.113884


def test_bgnbd_predictions_match_the_paper_and_lifetimes() -> None:
    model, _ = cdnow_fits()
    x, t_x, T, _ = chosen()
    next_39 = conditional_expected_purchases(model, 39.0, x, t_x, T)
    assert round(float(next_39[0]), 3) == ref.PUBLISHED_NEXT_39_WEEKS
    assert next_39 == pytest.approx(ref.LIFETIMES_NEXT_39_WEEKS, rel=1e-4)
    assert p_alive(model, x, t_x, T) == pytest.approx(ref.LIFETIMES_P_ALIVE, rel=1e-4)
    new = float(expected_purchases(model, 78.0))
    assert new == pytest.approx(ref.LIFETIMES_PURCHASES_IN_78_WEEKS, rel=1e-4)


def test_expected_spend_shrinks_towards_the_population_mean() -> None:
    _, model = cdnow_fits()
    x, _, _, m = chosen()
    spend = expected_spend(model, x, m)
    assert spend == pytest.approx(ref.LIFETIMES_SPEND, rel=1e-4)
    assert spend[2] == pytest.approx(model.mean_spend)  # no repeat purchase: the mean
    assert m[0] < spend[0] < model.mean_spend  # 22.35 pulled up towards 35.17


def test_gamma_gamma_refuses_spend_without_any_spread() -> None:
    # Every repeat customer's mean spend is exactly 10: the likelihood keeps rising as the
    # spread goes to 0 (p and q to infinity), so there is no maximum to report.
    x = np.array([1.0, 2.0, 3.0, 1.0, 2.0] * 20)
    with pytest.raises(ValidationError) as caught:
        fit_gamma_gamma(x, np.full(100, 10.0))
    problem = caught.value.problems[0]
    assert (problem.field, problem.code) == ("Gamma-Gamma", "not_converged_bound")
    assert "a parameter at its bound" in problem.message


def test_bgnbd_refuses_customers_who_never_leave() -> None:
    # 50 customers who each bought every week up to now: nothing says anyone drops out.
    same = np.full(50, 10.0)
    with pytest.raises(ValidationError) as caught:
        fit_bgnbd(same, same, same)
    assert caught.value.problems[0].code in {"not_converged", "not_converged_bound"}
