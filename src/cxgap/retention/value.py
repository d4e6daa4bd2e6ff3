"""Lifetime value by group, and the value at risk of detractors.

The CLV models (``cxgap.clv``) are fitted **once**, on every customer's purchases up to the
calibration end (by default the history's ``as_of``): BG/NBD for how many purchases, Gamma-Gamma
for what each is worth. Each customer's CLV is then ``cxgap.clv.lifetime_value``: the purchases
BG/NBD expects of them in each of the horizon's periods × the spend Gamma-Gamma expects of them,
discounted per period. A group's figures (a segment, a persona, a path: any ``{case: group}``)
are the sum and mean of its members' CLV; fitting per group would give small groups unstable
parameters, and the models already condition on each customer's own history.

The value at risk of detractors is the summed CLV of the customers whose last NPS is 0–6.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from cxgap.analytics.nps import DETRACTOR_SCORES
from cxgap.clv import ClvFit, Purchases, fit_clv, lifetime_value
from cxgap.errors import ValidationError
from cxgap.retention.history import History


@dataclass(frozen=True)
class Horizon:
    """``periods`` periods of ``period_length`` time units (``D`` days or ``W`` weeks),
    discounted by ``discount_rate`` per period: by default 12 months of 4.345 weeks at 1 %."""

    periods: int = 12
    period_length: float = 4.345
    discount_rate: float = 0.01
    time_unit: str = "W"

    def as_json(self) -> dict[str, object]:
        return {
            "periods": self.periods,
            "period_length": self.period_length,
            "discount_rate": self.discount_rate,
            "time_unit": self.time_unit,
        }


@dataclass(frozen=True)
class CustomerValues:
    """The fit and each customer's CLV over the horizon."""

    fit: ClvFit
    horizon: Horizon
    values: Mapping[str, float]

    @property
    def total(self) -> float:
        return sum(self.values.values())

    def as_json(self) -> dict[str, object]:
        return {
            "fit": self.fit.as_json(),
            "horizon": self.horizon.as_json(),
            "total": self.total,
            "values": dict(self.values),
        }


@dataclass(frozen=True)
class GroupValue:
    """One group's customers, their total and mean CLV, and its share of everyone's total."""

    group: str
    customers: int
    total: float
    mean: float | None
    share: float | None

    def as_json(self) -> dict[str, object]:
        return {
            "group": self.group,
            "customers": self.customers,
            "total": self.total,
            "mean": self.mean,
            "share": self.share,
        }


@dataclass(frozen=True)
class ValueAtRisk:
    """The CLV of the detractors (last NPS 0–6) among the ``scored`` customers with an NPS."""

    detractors: GroupValue
    scored: int
    scored_total: float

    def as_json(self) -> dict[str, object]:
        return {
            "detractors": self.detractors.customers,
            "scored": self.scored,
            "total": self.detractors.total,
            "mean": self.detractors.mean,
            "share_of_all": self.detractors.share,
            "share_of_scored": self.detractors.total / self.scored_total
            if self.scored_total
            else None,
        }


@dataclass(frozen=True)
class ValueByGroup:
    """Every group's CLV (largest total first), the customers with no group, and in all."""

    horizon: Horizon
    customers: int
    total: float
    groups: tuple[GroupValue, ...]
    ungrouped: GroupValue

    def as_json(self) -> dict[str, object]:
        return {
            "horizon": self.horizon.as_json(),
            "customers": self.customers,
            "total": self.total,
            "groups": [group.as_json() for group in self.groups],
            "ungrouped": self.ungrouped.as_json(),
        }


def customer_values(
    history: History, horizon: Horizon | None = None, calibration_end: date | None = None
) -> CustomerValues:
    """Fit BG/NBD and Gamma-Gamma on ``history`` up to ``calibration_end`` (default: its
    ``as_of``) and give each customer's CLV. The history needs amounts; a fit that does not
    converge raises ValidationError (``cxgap.clv``)."""
    horizon = horizon or Horizon()
    if not history.has_amounts:
        raise ValidationError.single(
            "amount", "lifetime value needs purchase amounts: no purchase event has one", None
        )
    days = history.purchase_days()
    rows = sum(len(spend) for spend in days.values())
    fit = fit_clv(Purchases(days, rows, True), calibration_end or history.as_of, horizon.time_unit)
    spend = fit.gamma_gamma
    if spend is None:  # fitted whenever the purchases have amounts, which was checked above
        raise ValidationError.single("amount", "no spend model was fitted", None)
    each = lifetime_value(
        fit.bgnbd,
        spend,
        fit.summary,
        periods=horizon.periods,
        period_length=horizon.period_length,
        discount_rate=horizon.discount_rate,
    )
    values = dict(zip(fit.summary.customers, (float(v) for v in each), strict=True))
    return CustomerValues(fit, horizon, values)


def value_by_group(values: CustomerValues, groups: Mapping[str, str]) -> ValueByGroup:
    """Sum and mean CLV per group of ``{case: group}``, largest total first (ties by name)."""
    members: dict[str, list[float]] = {}
    ungrouped: list[float] = []
    for case, value in values.values.items():
        group = groups.get(case)
        (ungrouped if group is None else members.setdefault(group, [])).append(value)
    total = values.total
    ranked = sorted(
        (_group(name, members[name], total) for name in members), key=lambda g: (-g.total, g.group)
    )
    return ValueByGroup(
        values.horizon, len(values.values), total, tuple(ranked), _group("", ungrouped, total)
    )


def value_at_risk(values: CustomerValues, last_nps: Mapping[str, int]) -> ValueAtRisk:
    """The CLV of the customers whose last NPS (``stayed_left.last_scores``) is 0–6."""
    scored = {case: v for case, v in values.values.items() if case in last_nps}
    at_risk = [v for case, v in scored.items() if last_nps[case] in DETRACTOR_SCORES]
    return ValueAtRisk(
        _group("detractors", at_risk, values.total), len(scored), sum(scored.values())
    )


def _group(name: str, members: list[float], everyone: float) -> GroupValue:
    total = sum(members)
    mean = total / len(members) if members else None
    return GroupValue(name, len(members), total, mean, total / everyone if everyone else None)
