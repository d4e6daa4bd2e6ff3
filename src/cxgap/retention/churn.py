"""Who left, and who bought again.

A customer has **left** (churned) on the day they cancelled, or, without a cancellation, when
their last purchase lies ``inactivity_days`` or more before ``as_of``: they count as gone from
that last purchase day. Everyone else is **active**; a recent customer is active by definition
until the period has passed. A **repeat** customer bought on at least two different days.
Every share comes with its counts and a Wilson 95 % interval.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from cxgap.analytics.descriptive import Interval, wilson_interval
from cxgap.errors import ValidationError
from cxgap.retention.history import CustomerHistory, History

CANCELLED = "cancelled"
INACTIVE = "inactive"


@dataclass(frozen=True)
class Status:
    """Whether one customer left, why (``cancelled`` or ``inactive``) and from which day."""

    case: str
    left_on: date | None
    reason: str | None

    @property
    def left(self) -> bool:
        return self.left_on is not None

    def as_json(self) -> dict[str, object]:
        left_on = None if self.left_on is None else self.left_on.isoformat()
        return {"case": self.case, "left_on": left_on, "reason": self.reason}


@dataclass(frozen=True)
class Share:
    """``count`` of ``n`` with its share and Wilson interval (None when ``n`` is 0)."""

    count: int
    n: int
    share: float | None
    ci: Interval | None

    def as_json(self) -> dict[str, object]:
        return {"count": self.count, "n": self.n, "share": self.share, "ci": _pair(self.ci)}


@dataclass(frozen=True)
class Churn:
    """Churn and repeat purchases of a set of customers as seen on ``as_of``."""

    as_of: date
    inactivity_days: int
    customers: int
    active: int
    churned: Share
    cancelled: int
    inactive: int
    repeat: Share

    def as_json(self) -> dict[str, object]:
        return {
            "as_of": self.as_of.isoformat(),
            "inactivity_days": self.inactivity_days,
            "customers": self.customers,
            "active": self.active,
            "churned": self.churned.as_json(),
            "cancelled": self.cancelled,
            "inactive": self.inactive,
            "repeat": self.repeat.as_json(),
        }


def check_inactivity(days: int) -> int:
    if isinstance(days, bool) or not isinstance(days, int) or days < 1:
        raise ValidationError.single(
            "inactivity_days", "must be a whole number of days, 1 or more", days
        )
    return days


def status(customer: CustomerHistory, as_of: date, inactivity_days: int) -> Status:
    if customer.cancelled_on is not None:
        return Status(customer.case, customer.cancelled_on, CANCELLED)
    if customer.last + timedelta(days=inactivity_days) <= as_of:
        return Status(customer.case, customer.last, INACTIVE)
    return Status(customer.case, None, None)


def statuses(history: History, inactivity_days: int) -> dict[str, Status]:
    """Each customer's status, by case."""
    check_inactivity(inactivity_days)
    return {c.case: status(c, history.as_of, inactivity_days) for c in history.customers}


def share(count: int, n: int) -> Share:
    return Share(count, n, count / n if n else None, wilson_interval(count, n))


def churn(history: History, inactivity_days: int, cases: frozenset[str] | None = None) -> Churn:
    """Churn and repeat purchases of every customer, or only of ``cases``."""
    each = statuses(history, inactivity_days)
    chosen = [c for c in history.customers if cases is None or c.case in cases]
    return _churn(history, inactivity_days, chosen, each)


def _churn(
    history: History,
    inactivity_days: int,
    chosen: list[CustomerHistory],
    each: Mapping[str, Status],
) -> Churn:
    reasons = [each[c.case].reason for c in chosen]
    left = sum(reason is not None for reason in reasons)
    n = len(chosen)
    return Churn(
        as_of=history.as_of,
        inactivity_days=inactivity_days,
        customers=n,
        active=n - left,
        churned=share(left, n),
        cancelled=reasons.count(CANCELLED),
        inactive=reasons.count(INACTIVE),
        repeat=share(sum(c.repeat for c in chosen), n),
    )


def _pair(interval: Interval | None) -> list[float] | None:
    return None if interval is None else [interval[0], interval[1]]


def churn_by_group(
    history: History, inactivity_days: int, groups: Mapping[str, str]
) -> dict[str, Churn]:
    """Churn and repeat purchases per group (``{case: group}``), groups in name order;
    customers without a group are left out."""
    each = statuses(history, inactivity_days)  # once for every group
    members: dict[str, list[CustomerHistory]] = {}
    for customer in history.customers:
        group = groups.get(customer.case)
        if group is not None:
            members.setdefault(group, []).append(customer)
    return {
        group: _churn(history, inactivity_days, members[group], each) for group in sorted(members)
    }
