"""Each customer's purchases and cancellation, read from touchpoint events.

A purchase is an event whose activity is one of ``purchase_activities`` or, when none are
named, any event with an amount. A cancellation (of a subscription) is an event whose
activity is one of ``cancel_activities``; it counts only when no purchase follows it (a
customer who cancels and subscribes again has not left). Only the day of an event counts, as
its timestamp writes it; two purchases on one day are one purchase day, their amounts added
(the summary the CLV models use, ``cxgap.clv.summary``). Events after ``as_of`` are not seen.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date

from cxgap.errors import FieldProblem, ValidationError
from cxgap.events.model import Event


@dataclass(frozen=True)
class CustomerHistory:
    """One customer's purchase days (ascending) with what they spent on each, and the day
    they cancelled (None: they did not, or bought again after it)."""

    case: str
    days: tuple[date, ...]
    spend: tuple[float, ...]
    cancelled_on: date | None = None

    @property
    def first(self) -> date:
        return self.days[0]

    @property
    def last(self) -> date:
        return self.days[-1]

    @property
    def repeat(self) -> bool:
        """Bought on at least two different days."""
        return len(self.days) > 1

    def as_json(self) -> dict[str, object]:
        return {
            "case": self.case,
            "purchases": [
                {"day": day.isoformat(), "spend": spend}
                for day, spend in zip(self.days, self.spend, strict=True)
            ],
            "cancelled_on": None if self.cancelled_on is None else self.cancelled_on.isoformat(),
        }


@dataclass(frozen=True)
class History:
    """Every customer with at least one purchase, in order of first appearance in the events,
    as seen on ``as_of``."""

    customers: tuple[CustomerHistory, ...]
    as_of: date
    has_amounts: bool

    def as_json(self) -> dict[str, object]:
        return {
            "as_of": self.as_of.isoformat(),
            "has_amounts": self.has_amounts,
            "customers": [customer.as_json() for customer in self.customers],
        }

    def by_case(self) -> dict[str, CustomerHistory]:
        return {customer.case: customer for customer in self.customers}

    def purchase_days(self) -> dict[str, dict[date, float]]:
        """``{customer: {purchase day: spend}}``, the input of ``cxgap.clv.summarise``."""
        return {c.case: dict(zip(c.days, c.spend, strict=True)) for c in self.customers}


def purchase_history(
    events: Iterable[Event],
    *,
    purchase_activities: Collection[str] | None = None,
    cancel_activities: Collection[str] = (),
    as_of: date | None = None,
) -> History:
    """The purchase history of every customer in ``events``; ``as_of`` defaults to the day of
    the last event. Raises ValidationError for a negative or non-finite amount on a purchase
    (naming the case, the event's position and the value) and when there is no purchase."""
    spend: dict[str, dict[date, float]] = {}
    cancels: dict[str, date] = {}
    amounts = False
    last: date | None = None
    for event in events:  # one pass: a log of millions of events is never held whole
        day = event.timestamp.date()
        if as_of is not None and day > as_of:
            continue
        last = day if last is None or day > last else last
        if event.activity in cancel_activities:
            cancels[event.case] = max(day, cancels.get(event.case, day))
        elif _is_purchase(event, purchase_activities):
            amount = _amount(event)
            amounts = amounts or event.amount is not None
            days = spend.setdefault(event.case, {})
            days[day] = days.get(day, 0.0) + amount
    if last is None:
        raise ValidationError.single("events", "no event to read purchases from", None)
    if not spend:
        raise ValidationError.single(
            "purchase_activities", "no purchase among the events", _named(purchase_activities)
        )
    customers = tuple(_customer(case, days, cancels.get(case)) for case, days in spend.items())
    return History(customers, as_of or last, amounts)


def _is_purchase(event: Event, activities: Collection[str] | None) -> bool:
    if activities is None:
        return event.amount is not None
    return event.activity in activities


def _amount(event: Event) -> float:
    if event.amount is None:
        return 0.0
    if not math.isfinite(event.amount) or event.amount < 0:
        problem = FieldProblem(
            "amount",
            f"a purchase amount must be a number, 0 or more (case {event.case!r})",
            event.amount,
            row=event.position,
            code="amount_negative",
        )
        raise ValidationError([problem], summary="purchase events cannot be used")
    return event.amount


def _customer(case: str, spend: dict[date, float], cancelled: date | None) -> CustomerHistory:
    days = tuple(sorted(spend))
    if cancelled is not None and days[-1] > cancelled:
        cancelled = None  # bought again after cancelling: still a customer
    return CustomerHistory(case, days, tuple(spend[day] for day in days), cancelled)


def _named(activities: Collection[str] | None) -> str:
    return "events with an amount" if activities is None else ", ".join(sorted(activities))
