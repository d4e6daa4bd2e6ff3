"""SLA compliance over a period: the share of metrics hit among those hit or missed, overall,
per metric, and by tier, priority, team or channel, with 95 % Wilson intervals.

- A case belongs to the period of its ``created_at`` (as for credits), with all its metrics.
- Only ``hit`` and ``missed`` count. A metric still ``active`` or ``paused``, or a next
  response never started, is left out (``not_counted``), and so is a metric the imported
  ticket cannot measure (listed in its ``unmeasured`` attribute, see ``cxgap.tickets``).
- The interval is Wilson's score interval (``cxgap.analytics.descriptive.wilson_interval``):
  it stays inside 0–100 % and keeps its coverage for small counts and rates near 100 %,
  where the usual ± 1.96 √(p(1−p)/n) claims a certainty it does not have. A share with fewer
  than 30 metrics is flagged ``small``: read its interval, not its rate.
- A case's group is its attribute as of ``now`` (after its updates); its tier is its own
  ``tier`` attribute, else its account's tier in the service menu.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from cxgap.analytics.descriptive import wilson_interval
from cxgap.sla.cases import Case
from cxgap.sla.clock import Status
from cxgap.sla.credits import unmeasured as unmeasured_of
from cxgap.sla.evaluation import evaluate_case
from cxgap.sla.policy import Metric, PolicySet

DIMENSIONS: tuple[str, ...] = ("tier", "priority", "team", "channel")
SMALL_COUNT = 30


@dataclass(frozen=True)
class Share:
    """Metrics hit and missed, the rate in percent and its 95 % Wilson interval."""

    hit: int
    missed: int

    @property
    def n(self) -> int:
        return self.hit + self.missed

    @property
    def rate(self) -> float | None:
        return None if self.n == 0 else 100 * self.hit / self.n

    @property
    def interval(self) -> tuple[float, float] | None:
        bounds = wilson_interval(self.hit, self.n)
        return None if bounds is None else (100 * bounds[0], 100 * bounds[1])

    @property
    def small(self) -> bool:
        return self.n < SMALL_COUNT


@dataclass
class Tallies:
    """Hit and missed counts of one group, per metric."""

    hit: Counter[Metric] = field(default_factory=Counter)
    missed: Counter[Metric] = field(default_factory=Counter)

    def share(self, metric: Metric | None = None) -> Share:
        if metric is None:
            return Share(sum(self.hit.values()), sum(self.missed.values()))
        return Share(self.hit[metric], self.missed[metric])

    def metrics(self) -> dict[Metric, Share]:
        seen = set(self.hit) | set(self.missed)
        return {m: self.share(m) for m in Metric if m in seen}


@dataclass(frozen=True)
class Group:
    dimension: str
    value: str | None
    overall: Share
    metrics: Mapping[Metric, Share]


@dataclass(frozen=True)
class Compliance:
    start: datetime
    end: datetime
    cases: int
    overall: Group
    groups: Sequence[Group]
    unmeasured: Mapping[str, int]
    not_counted: int
    no_policy: int


def measure_compliance(
    policies: PolicySet,
    cases: Sequence[Case],
    start: datetime,
    end: datetime,
    now: datetime,
    *,
    by: Sequence[str] = (),
    tier_of: Callable[[str | None], str | None] | None = None,
) -> Compliance:
    """Compliance of the cases created in [start, end), evaluated as of ``now``."""
    overall = Tallies()
    grouped: dict[tuple[str, str | None], Tallies] = {}
    unmeasured: Counter[str] = Counter()
    not_counted = no_policy = counted_cases = 0
    for case in cases:
        if not start <= case.created_at < end:
            continue
        counted_cases += 1
        case = _with_tier(case, tier_of)
        result = evaluate_case(policies, case, now)
        no_policy += result.policy is None
        attributes = case.attributes_at(now)
        keys = [(d, _text(attributes.get(d))) for d in by]
        skipped = unmeasured_of(case)
        for metric, measured in result.metrics.items():
            if metric.value in skipped:
                unmeasured[metric.value] += 1
                continue
            if measured.status not in (Status.HIT, Status.MISSED):
                not_counted += 1
                continue
            for tallies in (overall, *(grouped.setdefault(k, Tallies()) for k in keys)):
                side = tallies.hit if measured.status is Status.HIT else tallies.missed
                side[metric] += 1
    groups = [
        Group(d, v, t.share(), t.metrics())
        for (d, v), t in sorted(grouped.items(), key=lambda g: (by.index(g[0][0]), _order(g[0][1])))
    ]
    return Compliance(
        start,
        end,
        counted_cases,
        Group("all", None, overall.share(), overall.metrics()),
        groups,
        dict(unmeasured),
        not_counted,
        no_policy,
    )


def _with_tier(case: Case, tier_of: Callable[[str | None], str | None] | None) -> Case:
    """The case with its account's tier among its attributes (policies may match on it)."""
    tier = None if tier_of is None or "tier" in case.attributes else tier_of(case.account)
    if tier is None:
        return case
    attributes = {**case.attributes, "tier": tier}
    return Case(case.id, case.created_at, attributes, case.events, case.account)


def _text(value: object) -> str | None:
    return None if value is None else str(value)


def _order(value: str | None) -> tuple[bool, str]:
    """Values in alphabetical order, the cases without one last."""
    return (value is None, value or "")
