"""The JSON shapes of the contract (issue 12): what ``cxgap sla evaluate`` and ``cxgap credits
compute`` print."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from cxgap.sla.clock import Clock
from cxgap.sla.credits import AccountCredit
from cxgap.sla.evaluation import CaseResult, MetricResult

Json = dict[str, object]


def number(value: float) -> int | float:
    """A whole number as an integer (``60``, not ``60.0``), else rounded to 1/100."""
    rounded = round(value, 2)
    return int(rounded) if rounded == int(rounded) else rounded


def exact(value: float) -> int | float:
    """A whole number as an integer, else unrounded: the credit rules compare this very value,
    so a rate shown as 95.0 can never have earned the "below 95" credit."""
    return int(value) if value == int(value) else value


def minutes(span: timedelta) -> int | float:
    return number(span / timedelta(minutes=1))


def instant(value: datetime | None, zone: ZoneInfo) -> str | None:
    """ISO 8601 with the offset of the calendar's zone at that instant."""
    return None if value is None else value.astimezone(zone).isoformat()


def metric_json(result: MetricResult, zone: ZoneInfo, *, details: bool) -> Json:
    clock: Clock | None = result.clock
    shown: Json = {
        "due": None if clock is None else instant(clock.due, zone),
        "satisfied_at": None if clock is None else instant(clock.satisfied_at, zone),
        "business_minutes": 0 if clock is None else minutes(clock.used),
        "status": result.status and result.status.value,
    }
    if details:
        shown |= {
            "target": minutes(result.target),
            "business_minutes_left": minutes(result.target if clock is None else clock.left),
            "warning": clock is not None and clock.warning,
            "cycles": result.cycles if clock is not None else 0,
        }
    return shown


def cases_json(results: Sequence[CaseResult], zone: ZoneInfo, *, details: bool = False) -> Json:
    return {
        "cases": [
            {
                "id": r.case.id,
                "policy": None if r.policy is None else r.policy.name,
                "metrics": {
                    m.value: metric_json(v, zone, details=details) for m, v in r.metrics.items()
                },
            }
            for r in results
        ]
    }


def credits_json(credits: Sequence[AccountCredit], *, details: bool = False) -> Json:
    accounts = []
    for credit in credits:
        rate = credit.sla_hit_rate
        shown: Json = {
            "account": credit.account,
            "tier": credit.tier.name,
            "sla_hit_rate": None if rate is None else exact(rate),
            "availability": exact(credit.availability),
            "credit_percent": exact(credit.credit_percent),
            "credit_amount": float(credit.credit_amount),
        }
        if details:
            shown |= {
                "fee": float(credit.tier.fee),
                "metrics_hit": credit.hit,
                "metrics_missed": credit.missed,
                "downtime_minutes": minutes(credit.downtime),
                "cases": list(credit.case_ids),
            }
        accounts.append(shown)
    return {"accounts": accounts}
