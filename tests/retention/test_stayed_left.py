"""Stayed vs left: figures worked by hand, and the tests checked against scipy."""

from __future__ import annotations

import math
from datetime import UTC, date, datetime

import numpy as np
import pytest
from scipy import stats

from cxgap.analytics.nps import compute_nps
from cxgap.errors import ValidationError
from cxgap.retention.churn import Status
from cxgap.retention.stayed_left import last_scores, nps_gap, stayed_vs_left

GONE = date(2025, 1, 1)


def _statuses(stayed: list[str], left: list[str]) -> dict[str, Status]:
    out = {case: Status(case, None, None) for case in stayed}
    out |= {case: Status(case, GONE, "inactive") for case in left}
    return out


def _coded(scores: list[int]) -> np.ndarray:
    """Each answer as +1 (promoter), 0 (passive) or -1 (detractor): NPS = 100 × the mean."""
    return np.array([1 if s >= 9 else (-1 if s <= 6 else 0) for s in scores], dtype=float)


STAYED = {"s1": 10, "s2": 9, "s3": 8, "s4": 3, "s5": 10}  # 3 P, 1 passive, 1 D: NPS 40
LEFT = {"l1": 2, "l2": 9, "l3": 5, "l4": 0}  # 1 P, 3 D: NPS -50


def test_nps_of_each_side_and_their_difference_by_hand() -> None:
    statuses = _statuses([*STAYED, "s6"], [*LEFT])  # s6 gave no score
    result = stayed_vs_left(statuses, STAYED | LEFT | {"stranger": 0}, {})
    assert result.stayed.customers == 6 and result.stayed.nps.n == 5
    assert (result.stayed.nps.score, result.left.nps.score) == (40.0, -50.0)
    gap = result.nps_difference
    # Second implementation: variances (ddof 0) of the coded answers.
    a, b = _coded(list(STAYED.values())), _coded(list(LEFT.values()))
    se = 100 * math.sqrt(a.var() / a.size + b.var() / b.size)  # √(0.64/5 + 0.75/4) × 100
    assert se == pytest.approx(100 * math.sqrt(0.128 + 0.1875))
    assert gap.diff == pytest.approx(90.0)
    assert gap.p == pytest.approx(2 * stats.norm.sf(90 / se))
    assert gap.ci == pytest.approx((90 - 1.959964 * se, 90 + 1.959964 * se), rel=1e-6)


def test_the_nps_standard_error_matches_scipy_bootstrap() -> None:
    rng = np.random.default_rng(14)
    stayed = rng.choice(11, size=400, p=[0.02] * 5 + [0.04, 0.06, 0.16, 0.2, 0.24, 0.2])
    left = rng.choice(11, size=300, p=[0.06] * 5 + [0.1, 0.1, 0.14, 0.16, 0.1, 0.1])
    gap = nps_gap(
        compute_nps(np.bincount(stayed, minlength=11)), compute_nps(np.bincount(left, minlength=11))
    )
    boot = stats.bootstrap(
        (_coded(list(stayed)), _coded(list(left))),
        lambda x, y, axis: 100 * (x.mean(axis=axis) - y.mean(axis=axis)),
        n_resamples=4000,
        random_state=np.random.default_rng(1),
        method="percentile",
    )
    assert gap.ci is not None and gap.diff is not None
    assert (gap.ci[1] - gap.diff) / 1.959964 == pytest.approx(boot.standard_error, rel=0.06)
    assert gap.ci[0] == pytest.approx(
        boot.confidence_interval.low, abs=0.1 * boot.standard_error * 4
    )


def test_detractor_share_and_sentiment_differences_agree_with_scipy() -> None:
    sentiment_stayed = {"s1": 0.8, "s2": 0.5, "s3": 0.1, "s4": -0.4, "s5": 0.9}
    sentiment_left = {"l1": -0.7, "l2": 0.2, "l3": -0.5}  # l4 wrote nothing
    statuses = _statuses(list(STAYED), list(LEFT))
    result = stayed_vs_left(statuses, STAYED | LEFT, sentiment_stayed | sentiment_left)
    detractors = result.detractor_difference
    assert detractors.diff == pytest.approx(1 / 5 - 3 / 4)
    assert detractors.p == pytest.approx(stats.fisher_exact([[1, 4], [3, 1]]).pvalue)
    welch = stats.ttest_ind(
        list(sentiment_stayed.values()), list(sentiment_left.values()), equal_var=False
    )
    assert result.sentiment_difference.p == pytest.approx(welch.pvalue)
    assert result.sentiment_difference.diff == pytest.approx(0.38 - (-1.0 / 3))
    assert result.left.sentiment.n == 3
    document = result.as_json()
    assert document["differences"]["nps"]["diff"] == pytest.approx(90.0)  # type: ignore[index]
    assert document["left"]["nps"]["detractors"] == 3  # type: ignore[index]


def test_no_answer_on_a_side_leaves_the_difference_empty() -> None:
    result = stayed_vs_left(_statuses(list(STAYED), ["l1"]), STAYED, {})
    assert result.nps_difference.diff is None and result.left.nps.score is None
    assert result.sentiment_difference.diff is None


def test_last_scores_keep_each_customers_latest_and_refuse_bad_ones() -> None:
    t = [datetime(2025, m, 1, tzinfo=UTC) for m in (1, 2, 3)]
    assert last_scores([("a", t[1], 3), ("a", t[0], 10), ("b", t[2], 9), ("a", t[2], 7)]) == {
        "a": 7,
        "b": 9,
    }
    with pytest.raises(ValidationError, match="0–10"):
        last_scores([("a", t[0], 11)])
    with pytest.raises(ValidationError, match="'s1'"):
        stayed_vs_left(_statuses(["s1"], []), {"s1": -1}, {})
