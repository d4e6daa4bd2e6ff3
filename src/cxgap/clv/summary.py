"""The calibration summary each customer brings to the models (the "RFM" of Fader, Hardie
& Lee), from their purchase days up to and including the calibration end:

- frequency: the number of distinct purchase days after the first one (two purchases on the
  same day are one);
- recency: the time from the first purchase day to the last;
- T: the time from the first purchase day to the calibration end;
- monetary value: the mean spend per repeat purchase day (the first day left out; 0 for a
  customer without a repeat purchase).

Times are in days, or in weeks (days / 7) with the time unit ``W``. Customers whose first
purchase falls after the calibration end are not customers yet and are left out.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

import numpy as np

from cxgap.clv.optimise import Vector

UNIT_DAYS = {"D": 1.0, "W": 7.0}


@dataclass(frozen=True)
class Summary:
    """One entry per customer, in the order of ``customers``."""

    customers: tuple[str, ...]
    frequency: Vector
    recency: Vector
    T: Vector
    monetary: Vector
    calibration_end: date
    time_unit: str

    @property
    def repeat_customers(self) -> int:
        return int(np.count_nonzero(self.frequency))


def summarise(
    days: Mapping[str, Mapping[date, float]], calibration_end: date, time_unit: str = "D"
) -> Summary:
    """The summary of each customer's ``{purchase day: spend}`` up to ``calibration_end``."""
    unit = UNIT_DAYS[time_unit]
    customers: list[str] = []
    rows: list[tuple[float, float, float, float]] = []
    for customer, spend in days.items():
        calibration = sorted(day for day in spend if day <= calibration_end)
        if not calibration:
            continue
        first, repeats = calibration[0], calibration[1:]
        monetary = sum(spend[day] for day in repeats) / len(repeats) if repeats else 0.0
        recency = (calibration[-1] - first).days / unit
        age = (calibration_end - first).days / unit
        customers.append(customer)
        rows.append((float(len(repeats)), recency, age, monetary))
    table = np.array(rows, dtype=float).reshape(-1, 4)
    return Summary(
        customers=tuple(customers),
        frequency=table[:, 0].copy(),
        recency=table[:, 1].copy(),
        T=table[:, 2].copy(),
        monetary=table[:, 3].copy(),
        calibration_end=calibration_end,
        time_unit=time_unit,
    )


def last_day(days: Mapping[str, Mapping[date, float]]) -> date:
    """The last purchase day in the data: the calibration end when none is given."""
    return max(max(spend) for spend in days.values())
