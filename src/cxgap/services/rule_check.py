"""The check of a rule nobody saved: exact when the rows answer within the budget, else an
interval from a random sample, said as such, with the exact count one click away.

A saved rule is counted from its materialised members in well under a second at 10 M items;
an unsaved one has nothing materialised and is evaluated on the rows. A small workspace is
counted within the budget; past it (2 to 14 s at 1 M on SQLite, 10 to 63 s at 10 M on
PostgreSQL) the page answers at once with the 95 % Wilson interval of the share of sampled
ids that match, scaled to the span of the workspace's ids (docs/scale.md, "Unsaved rules").
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from cxgap.analytics.descriptive import wilson_interval
from cxgap.db import rule_counts
from cxgap.db.tables import Feedback

# Seconds the exact count may take before the check answers with an interval instead.
EXACT_BUDGET_S = 0.4
# Past this span of ids the rows are not even tried: no rule was counted within the budget
# at 1 M items on SQLite (2.2 to 9.5 s) nor at 10 M on PostgreSQL (9.7 to 53 s).
TRY_EXACT_UP_TO = 500_000
# Ids drawn for the interval: ±1.4 % of the span at a share of one half (0.2 s for the
# lookups at 1 M items on SQLite under load 18; 10,000 took 0.5 s).
SAMPLE_DRAWS = 5_000


@dataclass(frozen=True)
class FeedbackEstimate:
    """The matching items lie between ``low`` and ``high`` (95 %), from ``drawn`` ids."""

    low: int
    high: int
    drawn: int
    matched: int


def count_feedback(
    session: Session,
    workspace_id: int,
    condition: ColumnElement[bool],
    *,
    budget_s: float | None = None,
    draws: int | None = None,
    seed: int | None = None,
) -> tuple[int, FeedbackEstimate | None]:
    """The number of the workspace's items ``condition`` keeps: exact (and no estimate) when
    counted within ``budget_s`` (``EXACT_BUDGET_S``; 0: do not try), else the sample's point
    estimate and its interval. A workspace whose ids span ``TRY_EXACT_UP_TO`` or more goes
    straight to the sample."""
    budget = EXACT_BUDGET_S if budget_s is None else budget_s
    span = rule_counts.id_range(session, workspace_id)
    if span is None:
        return 0, None  # no item: exactly none
    if budget > 0 and span[1] - span[0] < TRY_EXACT_UP_TO:
        query = select(func.count()).where(Feedback.workspace_id == workspace_id, condition)
        exact = rule_counts.count_within(session, query, budget)
        if exact is not None:
            return exact, None
    sample = rule_counts.sample_matches(
        session, workspace_id, condition, span, draws=draws or SAMPLE_DRAWS, seed=seed
    )
    return estimate_of(sample)


def estimate_of(sample: rule_counts.SampleDraw) -> tuple[int, FeedbackEstimate | None]:
    """The point estimate (share of matches times the span) and its 95 % interval.

    >>> estimate_of(rule_counts.SampleDraw(span=1_000_000, draws=10_000, matches=2_500))
    (250000, FeedbackEstimate(low=241610, high=258582, drawn=10000, matched=2500))
    """
    interval = wilson_interval(sample.matches, sample.draws)
    if interval is None:
        return 0, None  # no item at all: exactly none
    point = round(sample.span * sample.matches / sample.draws)
    low, high = (round(sample.span * bound) for bound in interval)
    return point, FeedbackEstimate(low, high, sample.draws, sample.matches)
