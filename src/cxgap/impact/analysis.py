"""The choice of method: the segmented regression when both sides are long enough, else the
before/after comparison, and a refusal when one side has no period."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import numpy as np

from cxgap.impact.before_after import welch
from cxgap.impact.result import BEFORE_AFTER, SEGMENTED_REGRESSION, Impact
from cxgap.impact.segmented import fit_segmented, newey_west_lags
from cxgap.impact.series import Point, refuse

# The segmented regression needs a trend on each side: at least 3 periods before the action,
# 3 after and 8 in all (4 coefficients, and 4 residual degrees of freedom).
MIN_SIDE = 3
MIN_TOTAL = 8


def measure_impact(points: Sequence[Point], when: date, *, lags: int | None = None) -> Impact:
    """The change at ``when`` in the series ``points`` (any order; one point per period)."""
    ordered = sorted(points, key=lambda point: point.period)
    t0 = next((i for i, point in enumerate(ordered) if point.period >= when), len(ordered))
    if t0 == 0:
        refuse("date", "no_before", when.isoformat())
    if t0 == len(ordered):
        refuse("date", "no_after", when.isoformat())
    values = np.array([point.value for point in ordered], dtype=np.float64)
    counts = _responses(ordered, t0)
    n_after, first_after = len(ordered) - t0, ordered[t0].period
    if t0 < MIN_SIDE or n_after < MIN_SIDE or len(ordered) < MIN_TOTAL:
        level, df = welch(values[:t0], values[t0:])
        return Impact(BEFORE_AFTER, level, None, t0, n_after, first_after, df=df, **counts)
    if lags is None:
        lags = newey_west_lags(len(ordered))
    if not 0 <= lags < len(ordered):
        refuse("lags", "lags", lags)
    level, slope = fit_segmented(values, t0, lags)
    return Impact(
        SEGMENTED_REGRESSION, level, slope, t0, n_after, first_after, hac_lags=lags, **counts
    )


def _responses(ordered: Sequence[Point], t0: int) -> dict[str, int | None]:
    """The answers behind each side when every period gives ``n``; otherwise unknown."""
    if any(point.n is None for point in ordered):
        return {"responses_before": None, "responses_after": None}
    before = sum(p.n or 0 for p in ordered[:t0])
    return {"responses_before": before, "responses_after": sum(p.n or 0 for p in ordered[t0:])}
