"""A case's SLA metrics under the policy that applies to it (``docs/sla.md``).

Decisions, each tested in ``tests/sla/test_evaluation.py``:

- The pauses come from the case's status history, never from a stored counter, so evaluating
  the same case under another policy (its priority changed, the policy was edited) keeps them.
- The policy is the first that matches the case's attributes as of ``now`` (after its
  ``update`` events); its targets apply to the whole case, from its creation. So do the
  support hours of the case's tier when the tier has its own (else the policy set's calendar).
- A customer's message ends a ``pending_customer`` wait, whatever the status says next.
- A response is a public reply by a member, not automatic. Resolving a case also stops the
  response clocks still running (a case the customer closed needs no answer).
- Each customer message after a public response starts a next-response cycle, ended by the next
  response or resolution. The metric shows the worst cycle: the latest missed one, else the
  cycle still running, else the latest hit one.
- The first ``resolved`` or ``closed`` status satisfies the resolution; a reopening does not
  undo it (the customer's next message starts a next-response cycle instead).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from cxgap.sla.calendar import BusinessCalendar
from cxgap.sla.cases import Case, Event
from cxgap.sla.clock import Clock, Pause, Status, run_clock
from cxgap.sla.policy import PAUSABLE, WAITING_ON_CUSTOMER, Metric, Policy, PolicySet


@dataclass(frozen=True)
class MetricResult:
    """A metric of a case: its reported clock (``None`` when it never started) and cycles."""

    metric: Metric
    target: timedelta
    clock: Clock | None
    cycles: int = 1
    # every cycle's clock (next response), the reported one among them
    clocks: tuple[Clock, ...] = ()

    @property
    def status(self) -> Status | None:
        return None if self.clock is None else self.clock.status


@dataclass(frozen=True)
class CaseResult:
    case: Case
    policy: Policy | None
    metrics: Mapping[Metric, MetricResult]


def status_changes(events: Sequence[Event]) -> list[tuple[datetime, str]]:
    """The case's status over time. A customer's message ends a wait for the customer even when
    nobody set the case back to open: the ball is in the company's court again."""
    changes: list[tuple[datetime, str]] = []
    current = "new"
    for event in events:
        if event.type == "status" and event.status is not None:
            current = event.status
        elif event.is_customer_message and current == WAITING_ON_CUSTOMER:
            current = "open"
        else:
            continue
        changes.append((event.at, current))
    return changes


def pauses_of(events: Sequence[Event], statuses: frozenset[str], now: datetime) -> list[Pause]:
    """The spans the case spent in one of ``statuses`` (the last one open if still there)."""
    pauses: list[Pause] = []
    since: datetime | None = None
    for at, status in status_changes([e for e in events if e.at <= now]):
        if status in statuses and since is None:
            since = at
        elif status not in statuses and since is not None:
            pauses.append((since, at))
            since = None
    if since is not None:
        pauses.append((since, None))
    return pauses


def evaluate_case(policies: PolicySet, case: Case, now: datetime) -> CaseResult:
    """Every metric the applicable policy sets a target for, as of ``now``."""
    attributes = case.attributes_at(now)
    policy = policies.policy_for(attributes)
    if policy is None:
        return CaseResult(case, None, {})
    events = [e for e in case.events if e.at <= now]
    pauses = pauses_of(events, policy.pause_statuses, now)
    calendar = policies.calendar_for(attributes)
    metrics = {
        metric: _measure(calendar, case, events, metric, minutes, pauses, now)
        for metric, minutes in policy.targets.items()
    }
    return CaseResult(case, policy, metrics)


def _measure(
    calendar: BusinessCalendar,
    case: Case,
    events: Sequence[Event],
    metric: Metric,
    minutes: int,
    pauses: Sequence[Pause],
    now: datetime,
) -> MetricResult:
    target = timedelta(minutes=minutes)
    own_pauses = pauses if metric in PAUSABLE else ()
    resolved = next((e.at for e in events if e.resolves), None)
    if metric is Metric.NEXT_RESPONSE:
        spans = next_response_spans(events)
        clocks = [
            run_clock(calendar, start=s, target=target, pauses=own_pauses, satisfied_at=e, now=now)
            for s, e in spans
        ]
        return MetricResult(metric, target, worst(clocks), len(clocks), tuple(clocks))
    if metric is Metric.FIRST_RESPONSE:
        answered = next((e.at for e in events if e.is_response), None)
        satisfied = _earliest(answered, resolved)
    else:
        satisfied = resolved
    clock = run_clock(
        calendar,
        start=case.created_at,
        target=target,
        pauses=own_pauses,
        satisfied_at=satisfied,
        now=now,
    )
    return MetricResult(metric, target, clock, 1, (clock,))


def _earliest(*instants: datetime | None) -> datetime | None:
    known = [i for i in instants if i is not None]
    return min(known) if known else None


def next_response_spans(events: Sequence[Event]) -> list[tuple[datetime, datetime | None]]:
    """Each cycle: the first customer message after a response, until the next response (or
    resolution); ``None`` while unanswered."""
    spans: list[tuple[datetime, datetime | None]] = []
    answered_once = False
    waiting_since: datetime | None = None
    for event in events:
        if event.is_response or (event.resolves and waiting_since is not None):
            if waiting_since is not None:
                spans.append((waiting_since, event.at))
                waiting_since = None
            answered_once = answered_once or event.is_response
        elif event.is_customer_message and answered_once and waiting_since is None:
            waiting_since = event.at
    if waiting_since is not None:
        spans.append((waiting_since, None))
    return spans


def worst(clocks: Sequence[Clock]) -> Clock | None:
    """The latest missed clock, else the one still running, else the latest (hit) one."""
    missed = [c for c in clocks if c.status is Status.MISSED]
    if missed:
        return missed[-1]
    running = [c for c in clocks if c.status in (Status.ACTIVE, Status.PAUSED)]
    if running:
        return running[-1]
    return clocks[-1] if clocks else None


def time_left(result: CaseResult) -> timedelta | None:
    """The least business time left on a clock that waits on the company (negative once
    overdue); ``None`` when none does (everything answered, or waiting on the customer)."""
    lefts = [
        clock.target - clock.used
        for measured in result.metrics.values()
        for clock in measured.clocks
        if clock.satisfied_at is None and clock.status in (Status.ACTIVE, Status.MISSED)
    ]
    return min(lefts, default=None)


def queue(results: Sequence[CaseResult]) -> list[CaseResult]:
    """The cases waiting on the company, the least time left first (the most overdue first)."""
    waiting = [(left, i, r) for i, r in enumerate(results) if (left := time_left(r)) is not None]
    return [r for _, _, r in sorted(waiting, key=lambda w: (w[0], w[1]))]
