"""The retention and value figures of one event log under several groupings at once (a
segment, a persona, a path…), read in one pass over the events: what the retention and value
pages and their API show.

The events are read once: each customer's purchases (``history.purchase_history``) and each
case's path (``PathCollector``, which needs the events in case order, as
``db.event_reads.workspace_events`` gives them) are gathered together. Then, from that
history, the figures of ``report.retention_report`` are computed once overall and once per
grouping: churn and repeat purchases by group, the cohort tables by first month (overall and
by one chosen grouping), stayed vs left, and a single CLV fit (BG/NBD + Gamma-Gamma) whose
customer values are summed per group, with the value at risk of detractors.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass

from cxgap.errors import FieldProblem
from cxgap.events.model import Event
from cxgap.retention.churn import Churn, churn, churn_by_group, statuses
from cxgap.retention.cohorts import Retention, retention
from cxgap.retention.groups import ARROW
from cxgap.retention.history import History, purchase_history
from cxgap.retention.report import Settings, activity_set, value_or_problem
from cxgap.retention.stayed_left import StayedLeft, stayed_vs_left
from cxgap.retention.value import CustomerValues, ValueAtRisk, ValueByGroup, value_by_group

PATH = "path"
ENTRY = "entry"


class PathCollector:
    """Each case's path, gathered while the events flow past (``watch``), one case held at a
    time: the step of an event is its touchpoint, or its activity when it has none, a step
    repeated in a row written once (``groups.path_of``). With ``is_purchase``, also each
    case's **entry path**: its steps up to and including its first purchase (how the customer
    came to buy). The events must come in case order; a case seen again after another one is
    refused."""

    def __init__(self, is_purchase: Callable[[Event], bool] | None = None) -> None:
        self.paths: dict[str, str] = {}
        self.entries: dict[str, str] = {}
        self._is_purchase = is_purchase
        self._case: str | None = None
        self._steps: list[str] = []
        self._entry: int | None = None  # how many steps led to the first purchase

    def watch(self, events: Iterable[Event]) -> Iterator[Event]:
        for event in events:
            if event.case != self._case:
                self._flush()
                if event.case in self.paths:
                    raise ValueError(f"events are not in case order (case {event.case!r})")
                self._case = event.case
            step = event.touchpoint or event.activity
            if not self._steps or self._steps[-1] != step:
                self._steps.append(step)
            if self._entry is None and self._is_purchase and self._is_purchase(event):
                self._entry = len(self._steps)
            yield event
        self._flush()

    def _flush(self) -> None:
        if self._case is not None:
            self.paths[self._case] = ARROW.join(self._steps)
            if self._entry is not None:
                self.entries[self._case] = ARROW.join(self._steps[: self._entry])
        self._case, self._steps, self._entry = None, [], None

    def groups(self, *, top: int = 5, other: str = "other") -> dict[str, str]:
        """``{case: path}``, the paths beyond the ``top`` most frequent named ``other`` (as
        ``groups.path_groups``: ties go to the path seen first)."""
        return _top(self.paths, top, other)

    def entry_groups(self, *, top: int = 5, other: str = "other") -> dict[str, str]:
        """``{case: entry path}`` of the cases that bought, the same way."""
        return _top(self.entries, top, other)


def _top(paths: Mapping[str, str], top: int, other: str) -> dict[str, str]:
    counts = Counter(paths.values())  # insertion order: first seen first, kept on ties
    named = {path for path, _ in counts.most_common(top)}
    return {case: path if path in named else other for case, path in paths.items()}


@dataclass(frozen=True)
class Grouped:
    """Retention and value of one log: overall, and per grouping (``{name: {group:
    figures}}``); ``value`` is None when no CLV fit could be made (``value_problem`` says
    why)."""

    settings: Settings
    history: History
    churn: Churn
    churn_by: Mapping[str, Mapping[str, Churn]]
    cohorts: Retention
    stayed_left: StayedLeft
    value: CustomerValues | None
    value_by: Mapping[str, ValueByGroup]
    at_risk: ValueAtRisk | None
    value_problem: FieldProblem | None
    groupings: Mapping[str, Mapping[str, str]]
    # The cohort tables split by each grouping of ``cohorts_by`` (its overall table is
    # ``cohorts.overall``).
    cohorts_by: Mapping[str, Retention]


def grouped_report(
    events: Iterable[Event],
    settings: Settings,
    groupings: Mapping[str, Mapping[str, str]],
    *,
    cohort_grouping: str | None = None,
    cohorts_by: Sequence[str] = (),
    nps: Mapping[str, int] | None = None,
    sentiment: Mapping[str, float] | None = None,
    top_paths: int = 5,
) -> Grouped:
    """Everything from one pass over ``events`` (in case order): ``groupings`` maps a name
    to ``{case: group}``; the paths are added as groupings ``entry`` (the steps up to the
    first purchase) and ``path`` (the whole path), each the ``top_paths`` most frequent, the
    rest ``other``. The cohort tables are split by ``cohort_grouping`` (``cohorts``), and
    by each grouping of ``cohorts_by`` (``cohorts_by``)."""
    named = settings.purchase_activities
    paths = PathCollector(
        (lambda e: e.amount is not None) if named is None else (lambda e: e.activity in named)
    )
    history = purchase_history(
        paths.watch(events),
        purchase_activities=activity_set(settings.purchase_activities),
        cancel_activities=settings.cancel_activities,
        as_of=settings.as_of,
    )
    every = {
        **groupings,
        ENTRY: paths.entry_groups(top=top_paths),
        PATH: paths.groups(top=top_paths),
    }
    days = settings.inactivity_days
    nps = nps or {}

    def cohorts(groups: Mapping[str, str] | None) -> Retention:
        return retention(
            history,
            months=settings.months,
            basis=settings.basis,
            inactivity_days=days,
            groups=groups,
        )

    # One fit for every group.
    fitted, problem = value_or_problem(history, settings.horizon, {}, nps)
    values = None if fitted is None else fitted.customers
    return Grouped(
        settings=settings,
        history=history,
        churn=churn(history, days),
        churn_by={name: churn_by_group(history, days, g) for name, g in every.items()},
        cohorts=cohorts(every.get(cohort_grouping) if cohort_grouping else None),
        stayed_left=stayed_vs_left(statuses(history, days), nps, sentiment or {}),
        value=values,
        value_by={} if values is None else {n: value_by_group(values, g) for n, g in every.items()},
        at_risk=None if fitted is None else fitted.at_risk,
        value_problem=problem,
        groupings=every,
        cohorts_by={name: cohorts(every.get(name, {})) for name in cohorts_by},
    )
