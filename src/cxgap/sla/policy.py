"""SLA policies: the first policy whose ``match`` fits a case applies to it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from cxgap.sla.calendar import BusinessCalendar


class Metric(StrEnum):
    """What a policy can promise, in business minutes."""

    FIRST_RESPONSE = "first_response"
    NEXT_RESPONSE = "next_response"
    RESOLUTION = "resolution"


# Waiting for the customer stops the clocks that measure the company's work on the case, never
# the first response: a customer cannot be made to wait for a first answer by a status change.
PAUSABLE: frozenset[Metric] = frozenset({Metric.NEXT_RESPONSE, Metric.RESOLUTION})
WAITING_ON_CUSTOMER = "pending_customer"
DEFAULT_PAUSE_STATUSES: frozenset[str] = frozenset({WAITING_ON_CUSTOMER})


@dataclass(frozen=True)
class Policy:
    """Targets in business minutes for the cases that match."""

    name: str
    targets: Mapping[Metric, int]
    match: Mapping[str, object] = field(default_factory=dict)
    pause_statuses: frozenset[str] = DEFAULT_PAUSE_STATUSES

    def applies_to(self, attributes: Mapping[str, object]) -> bool:
        """Every key of ``match`` equals the case's value (a list: one of its values; a case
        whose value is a tuple, such as the several segments of its customer, fits when one
        of them does)."""
        return all(_fits(attributes.get(key), wanted) for key, wanted in self.match.items())


def _fits(value: object, wanted: object) -> bool:
    if isinstance(value, tuple):  # a case in several segments fits if one of them does
        return any(_fits(one, wanted) for one in value)
    if isinstance(wanted, list):
        return value in wanted
    return value == wanted


@dataclass(frozen=True)
class PolicySet:
    """A calendar and its policies, in the order they are tried; a tier of the service menu
    may have support hours of its own (``tier_calendars``, by tier name), which then run the
    clocks of the cases of its accounts."""

    calendar: BusinessCalendar
    policies: Sequence[Policy]
    tier_calendars: Mapping[str, BusinessCalendar] = field(default_factory=dict)

    def policy_for(self, attributes: Mapping[str, object]) -> Policy | None:
        return next((p for p in self.policies if p.applies_to(attributes)), None)

    def calendar_for(self, attributes: Mapping[str, object]) -> BusinessCalendar:
        """The support hours of the case's tier when it has its own, else the calendar."""
        tier = attributes.get("tier")
        own = self.tier_calendars.get(tier) if isinstance(tier, str) else None
        return self.calendar if own is None else own
