"""Cohort retention: customers grouped by the month of their first purchase, and how many of
each cohort are still there in month +0, +1, … +N.

Two bases:

- ``purchase``: a customer counts in month +k when they bought in that calendar month (month
  +0 is always the whole cohort);
- ``survival``: a customer counts in month +k when they had not left before it began (see
  ``churn``: the day they cancelled, or their last purchase once ``inactivity_days`` have
  passed without one), which suits subscriptions.

A month that has not begun on ``as_of`` is not observed: its cell is None, not 0. The month of
``as_of`` itself is observed only up to that day.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from cxgap.errors import ValidationError
from cxgap.retention.churn import Status, statuses
from cxgap.retention.history import CustomerHistory, History

BASES = ("purchase", "survival")


@dataclass(frozen=True)
class CohortRow:
    """One cohort: its month (``YYYY-MM``), size, and the customers counted in each month
    since (None: not observed yet)."""

    month: str
    size: int
    active: tuple[int | None, ...]

    @property
    def shares(self) -> tuple[float | None, ...]:
        return tuple(None if a is None else a / self.size for a in self.active)

    def as_json(self) -> dict[str, object]:
        return {
            "cohort": self.month,
            "size": self.size,
            "active": list(self.active),
            "shares": list(self.shares),
        }


@dataclass(frozen=True)
class CohortTable:
    """Cohorts oldest first, each with months +0 … +``months``."""

    basis: str
    months: int
    as_of: date
    rows: tuple[CohortRow, ...]

    @property
    def customers(self) -> int:
        return sum(row.size for row in self.rows)

    def as_json(self) -> dict[str, object]:
        return {
            "basis": self.basis,
            "months": self.months,
            "as_of": self.as_of.isoformat(),
            "customers": self.customers,
            "cohorts": [row.as_json() for row in self.rows],
        }


@dataclass(frozen=True)
class Retention:
    """The table of every customer, one per group (when a ``{case: group}`` mapping is
    given, groups in name order) and how many customers had no group."""

    overall: CohortTable
    groups: Mapping[str, CohortTable]
    ungrouped: int

    def as_json(self) -> dict[str, object]:
        return {
            "overall": self.overall.as_json(),
            "groups": {name: table.as_json() for name, table in self.groups.items()},
            "ungrouped": self.ungrouped,
        }


def month_index(day: date) -> int:
    return day.year * 12 + day.month - 1


def month_name(index: int) -> str:
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def retention(
    history: History,
    *,
    months: int = 12,
    basis: str = "purchase",
    inactivity_days: int = 365,
    groups: Mapping[str, str] | None = None,
) -> Retention:
    """Cohort tables of ``history``: all customers, and per group of ``groups``."""
    if isinstance(months, bool) or not isinstance(months, int) or months < 0:
        raise ValidationError.single("months", "must be a whole number, 0 or more", months)
    if basis not in BASES:
        raise ValidationError.single("basis", f"must be one of {', '.join(BASES)}", basis)
    each = statuses(history, inactivity_days)
    overall = _table(history.customers, each, history.as_of, months, basis)
    if groups is None:
        return Retention(overall, {}, 0)
    members: dict[str, list[CustomerHistory]] = {}
    for customer in history.customers:
        if customer.case in groups:
            members.setdefault(groups[customer.case], []).append(customer)
    tables = {
        name: _table(members[name], each, history.as_of, months, basis) for name in sorted(members)
    }
    ungrouped = len(history.customers) - sum(len(m) for m in members.values())
    return Retention(overall, tables, ungrouped)


def _table(
    customers: Sequence[CustomerHistory],
    each: Mapping[str, Status],
    as_of: date,
    months: int,
    basis: str,
) -> CohortTable:
    cohorts: dict[int, list[CustomerHistory]] = {}
    for customer in customers:
        cohorts.setdefault(month_index(customer.first), []).append(customer)
    rows = tuple(
        _row(start, cohorts[start], each, month_index(as_of), months, basis)
        for start in sorted(cohorts)
    )
    return CohortTable(basis, months, as_of, rows)


def _row(
    start: int,
    members: Sequence[CustomerHistory],
    each: Mapping[str, Status],
    last: int,
    months: int,
    basis: str,
) -> CohortRow:
    counts = _counts(members, each, start, months, basis)
    observed = tuple(n if start + k <= last else None for k, n in enumerate(counts))
    return CohortRow(month_name(start), len(members), observed)


def _counts(
    members: Sequence[CustomerHistory],
    each: Mapping[str, Status],
    start: int,
    months: int,
    basis: str,
) -> list[int]:
    """How many ``members`` count in each month +0 … +``months`` after ``start`` (one pass
    over their purchase days, not one per month)."""
    counts = [0] * (months + 1)
    for customer in members:
        if basis == "purchase":
            offsets = {month_index(day) - start for day in customer.days}
        else:
            offsets = set(range(_months_there(each[customer.case], start, months) + 1))
        for offset in offsets:
            if offset <= months:
                counts[offset] += 1
    return counts


def _months_there(status: Status, start: int, months: int) -> int:
    """The last month offset the customer counts in on the survival basis."""
    return months if status.left_on is None else month_index(status.left_on) - start
