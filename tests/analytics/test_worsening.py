"""Worsening detection against scipy and statsmodels reference values (quoted)."""

from __future__ import annotations

import numpy as np
import pytest

from cxgap.analytics.worsening import (
    PeriodStats,
    Subject,
    detect_worsening,
    holm,
    nps_less,
    proportion_larger,
    welch_less,
)


def _sentiment(scores: list[float]) -> PeriodStats:
    values = np.asarray(scores, dtype=float)
    return PeriodStats(
        sentiment_n=len(values),
        sentiment_sum=float(values.sum()),
        sentiment_sum_sq=float((values * values).sum()),
    )


WINDOW = [-0.8, -0.5, -0.2, 0.1, -0.6, -0.9, 0.3, -0.4, -0.7, 0.0] * 3
BASELINE = [0.2, 0.5, -0.1, 0.6, 0.4, 0.0, 0.7, -0.3, 0.3, 0.8] * 6


def test_welch_from_sums_matches_scipy_on_the_raw_scores() -> None:
    # scipy.stats.ttest_ind(WINDOW, BASELINE, equal_var=False, alternative="less")
    # -> statistic=-8.076800, pvalue=4.80207e-11 (df 52.02)
    w, b = _sentiment(WINDOW), _sentiment(BASELINE)
    assert w.sentiment_mean is not None and w.sentiment_sd is not None
    assert b.sentiment_mean is not None and b.sentiment_sd is not None
    result = welch_less(w.sentiment_mean, w.sentiment_sd, 30, b.sentiment_mean, b.sentiment_sd, 60)
    assert result is not None
    assert result[0] == pytest.approx(-8.076800, abs=1e-6)
    assert result[1] == pytest.approx(4.80207e-11, rel=1e-5)


def test_two_proportions_match_statsmodels() -> None:
    # statsmodels.stats.proportion.proportions_ztest([18, 30], [50, 200], alternative="larger")
    # -> (3.3720421582227704, 0.0003730651317356274)
    z, p = proportion_larger(18, 50, 30, 200) or (0.0, 1.0)
    assert z == pytest.approx(3.3720421582, abs=1e-9)
    assert p == pytest.approx(0.00037306513, rel=1e-7)
    # The good direction is never significant: fewer negatives now.
    assert (proportion_larger(5, 50, 60, 200) or (0.0, 0.0))[1] > 0.9


def test_nps_difference_with_the_multinomial_variance() -> None:
    # By hand: NPS 1/6·100 − 25/60·100 = -16.667 vs 25; variances 0.0106481 and 0.0025174;
    # z = -41.667 / (100·√0.0131655) = -3.631365; scipy.stats.norm.cdf(z) = 0.000140963
    a = PeriodStats(nps_n=60, promoters=15, detractors=25)
    b = PeriodStats(nps_n=240, promoters=110, detractors=50)
    z, p = nps_less(a, b) or (0.0, 1.0)
    assert z == pytest.approx(-3.631365, abs=1e-6)
    assert p == pytest.approx(0.000140963, rel=1e-5)


def test_holm_matches_statsmodels() -> None:
    # statsmodels.stats.multitest.multipletests([0.01, 0.04, 0.03, 0.2], method="holm")[1]
    # -> [0.04, 0.09, 0.09, 0.2]; and [0.001, 0.02, 0.5, 0.013] -> [0.004, 0.04, 0.5, 0.039]
    assert holm([0.01, 0.04, 0.03, 0.2]) == pytest.approx([0.04, 0.09, 0.09, 0.2])
    assert holm([0.001, 0.02, 0.5, 0.013]) == pytest.approx([0.004, 0.04, 0.5, 0.039])
    assert holm([]) == []


def test_a_real_drop_is_flagged_and_noise_is_not() -> None:
    rng = np.random.default_rng(7)
    worse = Subject(
        "touchpoint",
        "delivery",
        _sentiment(list(rng.normal(-0.3, 0.4, 60))),
        _sentiment(list(rng.normal(0.2, 0.4, 240))),
    )
    calm = [
        Subject(
            "pillar",
            f"p{i}",
            _sentiment(list(rng.normal(0.1, 0.4, 60))),
            _sentiment(list(rng.normal(0.1, 0.4, 240))),
        )
        for i in range(9)
    ]
    results = detect_worsening([worse, *calm])
    assert [r.key for r in results if r.worsened] == ["delivery"]
    sentiment = results[0].measures[0]
    assert sentiment.measure == "sentiment" and sentiment.significant
    assert sentiment.p is not None and sentiment.p_adjusted is not None
    # Ten sentiment tests in the family (the other measures had no data): p × 10 at most.
    assert sentiment.p_adjusted == pytest.approx(min(1.0, sentiment.p * 10))


def test_holm_across_subjects_can_withdraw_a_nominal_result() -> None:
    # Means 0.10 (sd 0.5, n 40) vs 0.30 (sd 0.45, n 160): scipy.stats.ttest_ind_from_stats(
    # ..., equal_var=False, alternative="less") p = 0.012394, significant alone; among five
    # subjects tested (the four others p = 0.5) Holm makes it 5 × 0.012394 = 0.062.
    w = PeriodStats(sentiment_n=40, sentiment_sum=4.0, sentiment_sum_sq=39 * 0.25 + 40 * 0.01)
    b = PeriodStats(sentiment_n=160, sentiment_sum=48.0, sentiment_sum_sq=159 * 0.2025 + 14.4)
    alone = detect_worsening([Subject("pillar", "a", w, b)])
    assert alone[0].worsened
    assert alone[0].measures[0].p == pytest.approx(0.012394, abs=1e-6)
    flat = PeriodStats(sentiment_n=160, sentiment_sum=16.0, sentiment_sum_sq=159 * 0.25 + 1.6)
    many = detect_worsening(
        [Subject("pillar", "a", w, b)] + [Subject("pillar", str(i), flat, flat) for i in range(4)]
    )
    assert not many[0].worsened
    assert many[0].measures[0].p_adjusted == pytest.approx(5 * 0.012394, abs=1e-5)


def test_too_few_answers_are_not_tested() -> None:
    w = PeriodStats(enriched=10, negative=9, nps_n=10, promoters=0, detractors=10)
    b = PeriodStats(enriched=300, negative=30, nps_n=300, promoters=200, detractors=20)
    [result] = detect_worsening([Subject("pillar", "x", w, b)])
    assert not result.worsened
    assert all(not m.tested for m in result.measures)
    nps = result.measures[2]
    assert nps.window == -100.0 and nps.change == pytest.approx(-160.0)
    [tested] = detect_worsening([Subject("pillar", "x", w, b)], min_count=10)
    assert tested.worsened


def test_arguments_are_checked() -> None:
    with pytest.raises(ValueError, match="alpha"):
        detect_worsening([], alpha=1.5)
    with pytest.raises(ValueError, match="min_count"):
        detect_worsening([], min_count=1)
