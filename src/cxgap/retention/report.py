"""Everything the retention and value pages show, from one call: the history's churn, cohort
tables, stayed vs left, and, when purchases have amounts, lifetime value by group and the
value at risk of detractors, with the words saying how they were computed.

A CLV fit that cannot be made (no amounts, no repeat purchase, no convergence) leaves the
retention figures standing: ``value`` is None and ``value_problem`` says why (its code, and
its message in the reader's language in ``as_json``).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date

from cxgap.clv.transactions import reason
from cxgap.errors import FieldProblem, ValidationError
from cxgap.events.model import Event
from cxgap.i18n import translate
from cxgap.retention.churn import Churn, churn, churn_by_group, statuses
from cxgap.retention.cohorts import Retention, retention
from cxgap.retention.history import History, purchase_history
from cxgap.retention.stayed_left import StayedLeft, stayed_vs_left
from cxgap.retention.value import (
    CustomerValues,
    Horizon,
    ValueAtRisk,
    ValueByGroup,
    customer_values,
    value_at_risk,
    value_by_group,
)
from cxgap.retention.words import at_risk, how_computed

NO_AMOUNTS = "retention.value.no_amounts"


@dataclass(frozen=True)
class Settings:
    """What the analyst chose: which activities are purchases and cancellations, the churn
    period, the cohort table's months and basis, the CLV horizon."""

    purchase_activities: frozenset[str] | None = None
    cancel_activities: frozenset[str] = frozenset()
    as_of: date | None = None
    inactivity_days: int = 365
    months: int = 12
    basis: str = "purchase"
    horizon: Horizon = field(default_factory=Horizon)


@dataclass(frozen=True)
class Value:
    """Lifetime value by group and the value at risk, with the fit they come from."""

    customers: CustomerValues
    groups: ValueByGroup
    at_risk: ValueAtRisk

    def as_json(self, locale: str) -> dict[str, object]:
        return {
            "fit": self.customers.fit.as_json(),
            "by_group": self.groups.as_json(),
            "at_risk": self.at_risk.as_json(),
            "how": how_computed(self.customers, locale),
            "at_risk_words": at_risk(self.customers, self.at_risk, locale),
        }


@dataclass(frozen=True)
class Report:
    settings: Settings
    history: History
    churn: Churn
    churn_by_group: Mapping[str, Churn]
    cohorts: Retention
    stayed_left: StayedLeft
    value: Value | None
    value_problem: FieldProblem | None

    def as_json(self, locale: str = "en") -> dict[str, object]:
        return {
            "as_of": self.history.as_of.isoformat(),
            "customers": len(self.history.customers),
            "churn": self.churn.as_json(),
            "churn_by_group": {k: v.as_json() for k, v in self.churn_by_group.items()},
            "cohorts": self.cohorts.as_json(),
            "stayed_vs_left": self.stayed_left.as_json(),
            "value": None if self.value is None else self.value.as_json(locale),
            "value_problem": problem_json(self.value_problem, locale),
        }


def retention_report(
    events: Iterable[Event],
    settings: Settings | None = None,
    *,
    groups: Mapping[str, str] | None = None,
    nps: Mapping[str, int] | None = None,
    sentiment: Mapping[str, float] | None = None,
) -> Report:
    """The report of ``events``; ``groups`` is ``{case: group}``, ``nps`` each customer's
    last NPS and ``sentiment`` each customer's mean sentiment."""
    chosen = settings or Settings()
    history = purchase_history(
        events,
        purchase_activities=activity_set(chosen.purchase_activities),
        cancel_activities=chosen.cancel_activities,
        as_of=chosen.as_of,
    )
    days = chosen.inactivity_days
    value, problem = value_or_problem(history, chosen.horizon, groups or {}, nps or {})
    return Report(
        settings=chosen,
        history=history,
        churn=churn(history, days),
        churn_by_group=churn_by_group(history, days, groups or {}),
        cohorts=retention(
            history, months=chosen.months, basis=chosen.basis, inactivity_days=days, groups=groups
        ),
        stayed_left=stayed_vs_left(statuses(history, days), nps or {}, sentiment or {}),
        value=value,
        value_problem=problem,
    )


def problem_json(problem: FieldProblem | None, locale: str) -> dict[str, object] | None:
    """Why there is no value, as the pages and the API say it: its code and its message in
    ``locale`` (None when there is a value)."""
    if problem is None:
        return None
    if problem.code == "no_amounts":
        message = translate(NO_AMOUNTS, locale)
    elif problem.code is not None:
        message = reason(problem.code, locale, problem.params)
    else:
        message = problem.message
    return {"code": problem.code, "message": message}


def activity_set(named: Collection[str] | None) -> frozenset[str] | None:
    """The purchase activities chosen, as a set; None (every event with an amount) kept."""
    return None if named is None else frozenset(named)


def value_or_problem(
    history: History, horizon: Horizon, groups: Mapping[str, str], nps: Mapping[str, int]
) -> tuple[Value | None, FieldProblem | None]:
    """The lifetime value of ``history`` fitted once (by ``groups``, with the value at risk
    of detractors by ``nps``), or, when it cannot be fitted (no amounts, no repeat purchase,
    no convergence), None and the problem saying why."""
    if not history.has_amounts:
        message = translate(NO_AMOUNTS, "en")
        return None, FieldProblem("amount", message, code="no_amounts")
    try:
        values = customer_values(history, horizon)
    except ValidationError as refused:
        return None, refused.problems[0]
    return Value(values, value_by_group(values, groups), value_at_risk(values, nps)), None
