"""Difference-in-differences against statsmodels, the pre-period check of parallel trends, and
"not enough data yet" below the stated minimum.

References: statsmodels 0.15.0 in a scratch virtualenv, the values drawn once (numpy
``default_rng(13)``) and rounded to 2 decimals::

    y = treated + control; n = len(treated); L = min(floor(4 * (n / 100) ** (2 / 9)), n - 1)
    tr = np.repeat([1., 0.], n); post = np.tile((np.arange(n) >= t0).astype(float), 2)
    X = np.column_stack([np.ones(2 * n), tr, post, tr * post]); g = np.repeat([0, 1], n)
    r = sm.OLS(y, X).fit(cov_type="hac-panel", cov_kwds={"groups": g, "maxlags": L})
    print(r.params[3], r.conf_int()[3], r.pvalues[3])
    # the periods before t0 only, with time instead of post (Lp from t0 the same way):
    Xb = np.column_stack([np.ones(2 * t0), trb, tb, trb * tb])
    rb = sm.OLS(yb, Xb).fit(cov_type="hac-panel", cov_kwds={"groups": gb, "maxlags": Lp})

printed:

    effect t0 8 maxlags 2
      d 5.961249999999992 ci 3.2015864874197333 8.72091351258025 p 2.2978570971840936e-05
      pre maxlags 2 e -0.26178571428571634 ci -0.6812294691149537 0.15765804054352106
        p 0.22122988592495052
    no_effect_diverging t0 7 maxlags 2
      d 0.5414285714285745 ci 0.22888329123683626 0.8539738516203127 p 0.0006855703621418846
      pre maxlags 2 e 0.07607142857142812 ci 0.041129442672546326 0.11101341447030992
        p 1.98124077527242e-05

``no_effect_diverging`` has no effect by construction: the treated series was rising and the
control flat before the date. The DiD finds a "significant" effect; the pre-period check says
why it cannot be trusted.
"""

from __future__ import annotations

from datetime import date

import pytest

from cxgap.impact.did import MIN_PER_SIDE, difference_in_differences
from cxgap.impact.did_words import did_sentences, parallel_trends_hold
from cxgap.impact.series import Point

# fmt: off
EFFECT_TREATED = [42.19, 36.61, 41.75, 40.98, 42.78, 41.96, 43.99, 42.14, 47.78, 49.4, 49.52,
                  48.87, 49.3, 50.76, 51.05, 49.91]
EFFECT_CONTROL = [34.56, 33.13, 37.62, 35.63, 37.8, 37.0, 39.13, 38.94, 37.78, 39.48, 36.86,
                  39.81, 36.82, 39.31, 40.48, 39.77]
DIVERGING_TREATED = [6.96, 7.0, 7.13, 7.35, 7.41, 7.37, 7.36, 7.63, 7.5, 7.67, 7.73, 7.95, 7.98,
                     8.09]
DIVERGING_CONTROL = [7.23, 7.13, 7.25, 7.34, 7.2, 7.26, 7.19, 7.3, 7.27, 7.29, 7.23, 7.36, 7.16,
                     7.17]
# fmt: on


def monthly(values: list[float], first: int = 0) -> list[Point]:
    return [
        Point(date(2025 + (first + i) // 12, (first + i) % 12 + 1, 1), value)
        for i, value in enumerate(values)
    ]


def test_the_effect_and_its_interval_are_statsmodels_hac_panel() -> None:
    did = difference_in_differences(
        monthly(EFFECT_TREATED), monthly(EFFECT_CONTROL), date(2025, 9, 1)
    )
    assert did.effect is not None and did.pre_trend is not None
    effect = (did.effect.value, did.effect.low, did.effect.high, did.effect.p)
    assert effect == pytest.approx(
        (5.961249999999992, 3.2015864874197333, 8.72091351258025, 2.2978570971840936e-05),
        rel=1e-6,
    )
    trend = (did.pre_trend.value, did.pre_trend.low, did.pre_trend.high, did.pre_trend.p)
    assert trend == pytest.approx(
        (-0.26178571428571634, -0.6812294691149537, 0.15765804054352106, 0.22122988592495052),
        rel=1e-6,
    )
    assert (did.n_before, did.n_after, did.hac_lags) == (8, 8, 2)
    assert did.first_after == date(2025, 9, 1)
    assert parallel_trends_hold(did) is True


def test_diverging_trends_before_the_date_are_reported() -> None:
    did = difference_in_differences(
        monthly(DIVERGING_TREATED), monthly(DIVERGING_CONTROL), date(2025, 8, 1)
    )
    assert did.effect is not None and did.pre_trend is not None
    assert (did.effect.value, did.effect.low, did.effect.high, did.effect.p) == pytest.approx(
        (0.5414285714285745, 0.22888329123683626, 0.8539738516203127, 0.0006855703621418846),
        rel=1e-6,
    )
    assert did.pre_trend.p == pytest.approx(1.98124077527242e-05, rel=1e-6)
    assert parallel_trends_hold(did) is False
    english = " ".join(did_sentences(did, "en"))
    assert "Caution: before the action the two series did not move alike" in english
    french = " ".join(did_sentences(did, "fr"))
    assert "Attention : avant l'action, les deux séries n'évoluaient pas de même" in french
    assert "tendances parallèles" in french and "+0,54" in french


def test_only_the_periods_both_series_have_are_compared() -> None:
    treated = monthly(EFFECT_TREATED)
    control = monthly(EFFECT_CONTROL) + monthly([99.0, 1.0], first=16)  # not in treated
    extra = [Point(date(2024, 6, 1), 500.0)]  # before the control starts
    did = difference_in_differences(extra + treated, control, date(2025, 9, 1))
    assert did.effect is not None
    assert did.effect.value == pytest.approx(5.961249999999992, rel=1e-9)
    assert (did.n_before, did.n_after) == (8, 8)


@pytest.mark.parametrize(("before", "after"), [(MIN_PER_SIDE - 1, 6), (6, MIN_PER_SIDE - 1)])
def test_fewer_common_periods_than_the_minimum_is_not_enough_data(before: int, after: int) -> None:
    values = EFFECT_TREATED[: before + after]
    treated, control = monthly(values), monthly(EFFECT_CONTROL[: before + after])
    did = difference_in_differences(treated, control, treated[before].period)
    assert not did.enough and did.effect is None and did.pre_trend is None
    assert (did.n_before, did.n_after) == (before, after)
    document = did.as_json()
    assert document["effect"] is None and document["effect_ci"] == [None, None]
    assert document["enough_data"] is False and document["min_per_side"] == MIN_PER_SIDE
    said = did_sentences(did, "en")
    assert said == [
        "Difference-in-differences: not enough data yet (common periods before the date: "
        f"{before}; from it: {after}; 3 are needed on each side)."
    ]
    assert "pas encore assez de données" in did_sentences(did, "fr")[0]


def test_the_minimum_itself_is_enough() -> None:
    n = 2 * MIN_PER_SIDE
    treated = monthly(EFFECT_TREATED[:n])
    did = difference_in_differences(treated, monthly(EFFECT_CONTROL[:n]), treated[3].period)
    assert did.enough and did.effect is not None
    assert did.as_json()["errors"] == "newey_west_per_series"


def test_json_has_no_nan() -> None:
    # Two steps and nothing else: an exact fit, no error to test with.
    treated = monthly([1.0] * 4 + [5.0] * 4)
    control = monthly([0.0] * 4 + [2.0] * 4)
    did = difference_in_differences(treated, control, treated[4].period)
    document = did.as_json()
    assert document["effect"] == pytest.approx(2.0, abs=1e-9)
    assert document["p_pre_trend"] is None
    assert document["p_effect"] is None and document["effect_ci"] == [None, None]
