"""Service credits per account and month, from the SLA metrics and availability incidents.

- A case belongs to the month of its ``created_at`` read in the calendar's time zone, and so do
  all of its metrics (a case opened on the 31st and resolved on the 2nd counts in the first month).
- The SLA hit rate is ``100 × hit / (hit + missed)`` over those metrics; metrics still active or
  paused are not counted, nor those an imported ticket cannot measure (its ``unmeasured``
  attribute), and an account with none has no rate and no SLA credit.
- Availability is ``100 × (1 − downtime minutes / minutes in the month)``, the month running from
  local midnight on the 1st to local midnight on the 1st of the next (so a month with a
  daylight-saving change has an hour more or less); incidents are clipped to the month and
  overlapping ones merged, so an hour down is never counted twice.
- Each measure earns the largest percent among the rules whose ``below`` it is under; the two are
  added, capped at ``cap_percent``, and applied to the month's fee (rounded half up to the cent).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

from cxgap.sla.calendar import BusinessCalendar
from cxgap.sla.cases import Case
from cxgap.sla.clock import Status
from cxgap.sla.evaluation import evaluate_case
from cxgap.sla.policy import PolicySet

CENT = Decimal("0.01")


@dataclass(frozen=True)
class CreditRule:
    below: float
    percent: float


@dataclass(frozen=True)
class Tier:
    """A tier of the service menu: its monthly fee, accounts and credit rules."""

    name: str
    fee: Decimal
    accounts: Sequence[str]
    sla_credits: Sequence[CreditRule] = ()
    availability_target: float | None = None
    availability_credits: Sequence[CreditRule] = ()
    cap_percent: float = 100.0
    # The tier's own support hours (None: the menu's calendar).
    calendar: BusinessCalendar | None = None


@dataclass(frozen=True)
class Menu:
    policies: PolicySet
    tiers: Sequence[Tier]

    def tier_of(self, account: str | None) -> Tier | None:
        return next((t for t in self.tiers if account in t.accounts), None)


@dataclass(frozen=True)
class Incident:
    """Downtime from ``start`` to ``end``; ``accounts=None`` means every account."""

    start: datetime
    end: datetime
    accounts: frozenset[str] | None


@dataclass(frozen=True)
class AccountCredit:
    account: str
    tier: Tier
    hit: int
    missed: int
    downtime: timedelta
    month_length: timedelta
    case_ids: Sequence[str]
    incidents: Sequence[Incident]

    @property
    def sla_hit_rate(self) -> float | None:
        counted = self.hit + self.missed
        return None if counted == 0 else 100 * self.hit / counted

    @property
    def availability(self) -> float:
        return 100 * (1 - (self.downtime / timedelta(minutes=1)) / self.minutes_in_month)

    @property
    def minutes_in_month(self) -> float:
        return self.month_length / timedelta(minutes=1)

    @property
    def credit_percent(self) -> float:
        sla = 0.0 if self.sla_hit_rate is None else earned(self.tier.sla_credits, self.sla_hit_rate)
        total = sla + earned(self.tier.availability_credits, self.availability)
        return min(total, self.tier.cap_percent)

    @property
    def credit_amount(self) -> Decimal:
        percent = Decimal(str(self.credit_percent))
        return (self.tier.fee * percent / 100).quantize(CENT, rounding=ROUND_HALF_UP)


def earned(rules: Sequence[CreditRule], measure: float) -> float:
    """The largest percent among the rules whose threshold ``measure`` is below (0 if none)."""
    return max((r.percent for r in rules if measure < r.below), default=0.0)


def month_bounds(month: date, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """Local midnight on the 1st of ``month`` and of the next month, as UTC instants."""
    first = datetime(month.year, month.month, 1, tzinfo=zone)
    following = datetime(month.year + month.month // 12, month.month % 12 + 1, 1, tzinfo=zone)
    return first.astimezone(UTC), following.astimezone(UTC)


def downtime(incidents: Sequence[Incident], start: datetime, end: datetime) -> timedelta:
    """The time covered by at least one incident within [start, end)."""
    spans = sorted((max(i.start, start), min(i.end, end)) for i in incidents)
    total, reached = timedelta(0), start
    for begin, finish in spans:
        begin = max(begin, reached)
        if finish > begin:
            total += finish - begin
            reached = finish
    return total


def compute_credits(
    menu: Menu,
    cases: Sequence[Case],
    incidents: Sequence[Incident],
    month: date,
    now: datetime,
) -> list[AccountCredit]:
    """One statement per account of the menu's tiers, in the menu's order."""
    start, end = month_bounds(month, menu.policies.calendar.zone)
    counts = _metric_counts(menu, [c for c in cases if start <= c.created_at < end], now)
    credits = []
    for tier in menu.tiers:
        for account in tier.accounts:
            hit, missed, ids = counts.get(account, (0, 0, []))
            own = [i for i in incidents if i.accounts is None or account in i.accounts]
            own = [i for i in own if i.start < end and i.end > start]
            credits.append(
                AccountCredit(
                    account, tier, hit, missed, downtime(own, start, end), end - start, ids, own
                )
            )
    return credits


def _metric_counts(
    menu: Menu, cases: Sequence[Case], now: datetime
) -> Mapping[str, tuple[int, int, list[str]]]:
    counts: dict[str, tuple[int, int, list[str]]] = {}
    for case in cases:
        if case.account is None:
            continue
        result = evaluate_case(menu.policies, _with_tier(menu, case), now)
        skipped = unmeasured(case)
        statuses = [m.status for k, m in result.metrics.items() if k.value not in skipped]
        hit, missed, ids = counts.get(case.account, (0, 0, []))
        counts[case.account] = (
            hit + statuses.count(Status.HIT),
            missed + statuses.count(Status.MISSED),
            [*ids, case.id],
        )
    return counts


def unmeasured(case: Case) -> frozenset[str]:
    """The metrics an imported ticket cannot measure (its ``unmeasured`` attribute, written by
    ``cxgap sla import-tickets``): left out of the rate, as compliance leaves them out."""
    listed = case.attributes.get("unmeasured")
    if isinstance(listed, list | tuple):
        return frozenset(str(m) for m in listed)
    return frozenset()


def _with_tier(menu: Menu, case: Case) -> Case:
    """The case with its account's tier among its attributes, so policies can match on it."""
    tier = menu.tier_of(case.account)
    if tier is None or "tier" in case.attributes:
        return case
    attributes = {**case.attributes, "tier": tier.name}
    return Case(case.id, case.created_at, attributes, case.events, case.account)
