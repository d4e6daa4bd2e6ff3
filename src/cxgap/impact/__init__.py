"""Whether an action moved its metric: interrupted time series on a metric's periods, or a
before/after comparison when the series is short (docs/actions.md). Pure: values in, values out."""

from __future__ import annotations

from cxgap.impact.analysis import measure_impact
from cxgap.impact.result import Impact
from cxgap.impact.series import Point, read_series

__all__ = ["Impact", "Point", "measure_impact", "read_series"]
