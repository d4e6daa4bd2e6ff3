"""The change of NPS between two periods, against hand-worked and scipy figures."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from cxgap.analytics.period_change import NpsSample, nps_change


def test_nps_change_matches_a_z_test_on_the_scored_answers() -> None:
    after, before = NpsSample(50, 30, 20), NpsSample(40, 30, 30)
    result = nps_change(after, before)
    # Each answer scored +1 / 0 / −1: the NPS is 100 × the mean; the Wald interval uses the
    # population variances (ddof 0), as numpy's var does.
    a = np.repeat([1, 0, -1], [50, 30, 20])
    b = np.repeat([1, 0, -1], [40, 30, 30])
    se = 100 * np.sqrt(a.var() / a.size + b.var() / b.size)  # 11.4018
    assert result.diff == pytest.approx(20.0)
    assert result.ci == pytest.approx((20 - 1.959964 * se, 20 + 1.959964 * se), abs=1e-4)
    # scipy.stats.norm.sf(20 / 11.4018) × 2 = 0.079411
    assert result.p == pytest.approx(2 * stats.norm.sf(20 / se))
    assert result.p == pytest.approx(0.079411, abs=1e-6)


def test_no_answers_on_a_side_gives_nothing_and_no_spread_collapses() -> None:
    assert nps_change(NpsSample(0, 0, 0), NpsSample(1, 0, 0)).diff is None
    same = nps_change(NpsSample(5, 0, 0), NpsSample(0, 0, 5))
    assert (same.diff, same.ci, same.p) == (200.0, (200.0, 200.0), None)


def test_a_wider_confidence_gives_a_wider_interval() -> None:
    narrow = nps_change(NpsSample(30, 10, 20), NpsSample(20, 20, 20), confidence=0.9).ci
    wide = nps_change(NpsSample(30, 10, 20), NpsSample(20, 20, 20), confidence=0.99).ci
    assert narrow is not None and wide is not None
    assert wide[0] < narrow[0] and wide[1] > narrow[1]
