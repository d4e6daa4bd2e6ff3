"""The statistics of the agent flags against scipy figures quoted here."""

from __future__ import annotations

import pytest

from cxgap.integrity import Contacts, Response, check_integrity
from cxgap.integrity.funnel import (
    fit_beta_prior,
    lower_limit,
    lower_p_value,
    shrunk_share,
    upper_limit,
    upper_p_value,
)


def test_exact_binomial_limits_and_tails_match_scipy() -> None:
    # scipy.stats.binom.isf(0.005, 100, 0.3) == 42.0; binom.isf(0.05/8, 40, 0.5) == 28.0
    assert upper_limit(100, 0.3, 0.005) == pytest.approx(0.42)
    assert upper_limit(40, 0.5, 0.05 / 8) == pytest.approx(28 / 40)
    # scipy.stats.binom.ppf(0.05/4, 200, 0.2) == 28.0
    assert lower_limit(200, 0.2, 0.05 / 4) == pytest.approx(28 / 200)
    # binom.sf(44, 100, 0.3) == 0.0010857460646854229; binom.cdf(10, 100, 0.3) == 1.5555659e-06
    assert upper_p_value(45, 100, 0.3) == pytest.approx(0.0010857460646854229, rel=1e-9)
    assert lower_p_value(10, 100, 0.3) == pytest.approx(1.5555659316780433e-06, rel=1e-7)


def test_beta_binomial_prior_is_the_maximum_likelihood_fit() -> None:
    # Reference: scipy.optimize.minimize(Nelder-Mead, xatol=1e-10) of
    # -sum(scipy.stats.betabinom.logpmf(x, n, exp(t0), exp(t1))) gives a = 13.4346197,
    # b = 11.89907321 (minus log-likelihood 21.071725245794525).
    a, b = fit_beta_prior([18, 25, 30, 14, 40, 9, 22], [40, 50, 60, 30, 50, 20, 45])
    assert (a, b) == pytest.approx((13.4346197, 11.89907321), rel=1e-3)
    assert shrunk_share(40, 50, (a, b)) == pytest.approx((40 + a) / (50 + a + b))
    assert 0.8 > shrunk_share(40, 50, (a, b)) > (18 + 25 + 30 + 14 + 40 + 9 + 22) / 295


def _agents(shares: dict[str, tuple[int, int]]) -> list[Response]:
    responses = []
    for agent, (top, n) in shares.items():
        for i in range(n):
            score = 10 if i < top else 7
            responses.append(Response(f"{agent}-{i}", agent=agent, nps=score))
    return responses


def test_a_gamed_shop_is_above_the_corrected_limit_and_fair_ones_are_not() -> None:
    fair = {f"shop{i}": (40 + (i % 3) * 3, 100) for i in range(9)}
    report = check_integrity(_agents({**fair, "gamed": (75, 100)}))
    flagged = {a.agent for a in report.agents if a.flagged}
    assert flagged == {"gamed"}
    gamed = next(a for a in report.agents if a.agent == "gamed")
    assert report.funnel is not None and report.funnel.units == 10
    assert report.funnel.alpha_per_unit == pytest.approx(0.005)
    assert gamed.rank == 1 and gamed.top_share == 0.75
    assert gamed.upper_limit is not None and gamed.top_share > gamed.upper_limit
    assert gamed.shrunk_share is not None and gamed.shrunk_share < gamed.top_share


def test_shrinkage_ranks_a_lucky_small_unit_below_a_large_good_one() -> None:
    units = {f"u{i}": (45, 100) for i in range(6)}
    report = check_integrity(_agents({**units, "small": (5, 5), "large": (60, 100)}))
    ranks = {a.agent: a.rank for a in report.agents}
    assert ranks["large"] == 1 and ranks["small"] != 1
    small = next(a for a in report.agents if a.agent == "small")
    assert not small.flagged  # 5 of 5 is no evidence once corrected for 8 units


def test_selective_surveying_flags_the_agent_surveying_few_contacts() -> None:
    responses = _agents({f"a{i}": (5, 30) for i in range(5)})
    contacts = {f"a{i}": Contacts(100, 60) for i in range(4)} | {"a4": Contacts(100, 20)}
    report = check_integrity(responses, contacts=contacts)
    flagged = {a.agent: [f.name for f in a.flags] for a in report.agents if a.flagged}
    assert flagged == {"a4": ["selective_surveying"]}
    # Without a surveyed count, responses stand for the surveyed: 30 of 100 each, none flagged.
    plain = check_integrity(responses, contacts={f"a{i}": Contacts(100) for i in range(5)})
    assert not any(a.flagged for a in plain.agents)


def test_funnel_svg_marks_and_names_the_flagged_unit() -> None:
    from cxgap.integrity.funnel_svg import funnel_svg

    fair = {f"shop{i}": (40 + (i % 3) * 3, 100) for i in range(9)}
    report = check_integrity(_agents({**fair, "gamed <b>": (75, 100)}))
    svg = funnel_svg(report, x_label="Answers", y_label="Share", title="Funnel")
    assert svg.startswith("<svg") and svg.count("<circle") == 10
    assert svg.count("data-flagged") == 1 and "gamed &lt;b&gt;</text>" in svg
    assert funnel_svg(check_integrity(_agents({"alone": (5, 10)})), x_label="", y_label="",
                      title="") == ""  # fmt: skip
