"""The figures of one impact analysis, as the contract's JSON and in words."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

SEGMENTED_REGRESSION = "segmented_regression"
BEFORE_AFTER = "before_after"


@dataclass(frozen=True)
class Estimate:
    """One change with its 95 % interval and two-sided p-value (``nan`` when undefined)."""

    value: float
    low: float
    high: float
    p: float


@dataclass(frozen=True)
class Impact:
    """What changed at the action's date: the level (β2, or the difference of means) and,
    for the segmented regression, the slope per period (β3)."""

    method: str
    level: Estimate
    slope: Estimate | None
    n_before: int
    n_after: int
    first_after: date
    # Newey–West lags of the segmented regression; the fallback has none
    hac_lags: int | None = None
    # Welch–Satterthwaite degrees of freedom of the fallback
    df: float | None = None
    responses_before: int | None = None
    responses_after: int | None = None

    def as_json(self) -> dict[str, object]:
        slope = self.slope
        document: dict[str, object] = {
            "method": self.method,
            "level_change": finite(self.level.value),
            "level_change_ci": [finite(self.level.low), finite(self.level.high)],
            "slope_change": finite(slope.value) if slope else None,
            "slope_change_ci": [finite(slope.low), finite(slope.high)] if slope else [None, None],
            "p_level": finite(self.level.p),
            "p_slope": finite(slope.p) if slope else None,
            "n_before": self.n_before,
            "n_after": self.n_after,
            "first_after": self.first_after.isoformat(),
            "confidence": 0.95,
        }
        if self.method == SEGMENTED_REGRESSION:
            document["hac_lags"] = self.hac_lags
            document["intervals"] = "normal"
        else:
            document["welch_df"] = finite(self.df) if self.df is not None else None
            document["intervals"] = "student_t"
        if self.responses_before is not None:
            document["responses_before"] = self.responses_before
            document["responses_after"] = self.responses_after
        return document


def finite(value: float) -> float | None:
    """JSON has no NaN: an undefined figure is ``null``."""
    return value if math.isfinite(value) else None
