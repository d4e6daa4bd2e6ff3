"""Lateness and the action gap (seed 002): for each priority pillar and each top irritant,
whether an action is tied to it, whether one is late, and whether its metric moved.

Whether a metric moved is the impact analysis's answer, injected as ``outcome`` (the
service that measures it reads the metric's series; this module only gathers the actions).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, datetime

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from cxgap.db.tables import ActionRow, Workspace
from cxgap.impact.gap import ActionGap, Moved, best_outcome
from cxgap.services import action_history
from cxgap.services.action_checks import CLOSED
from cxgap.services.case_sla import zone_of

# How many of the Listening irritants, best ranked first, count as "top irritants".
TOP_IRRITANTS = 5

Outcome = Callable[[ActionRow], Moved]


def today_of(session: Session, workspace: Workspace, now: datetime | None = None) -> date:
    """The day it is in the workspace's time zone (its business calendar's)."""
    zone = zone_of(session, workspace.id)
    return (now.astimezone(zone) if now else datetime.now(zone)).date()


def is_late(action: ActionRow, today: date) -> bool:
    """Past its due date (the day after it, in the workspace's zone) and neither done nor
    cancelled."""
    return action.due_date is not None and action.due_date < today and action.status not in CLOSED


def priority_pillars(session: Session, workspace: Workspace) -> list[str]:
    """The priority pillars of the results page (importance × performance), by key."""
    from cxgap.services.results import results_for

    return list(results_for(session, workspace)["priorities"])


def top_irritants(session: Session, workspace: Workspace, until: date | None = None) -> list[str]:
    """The best-ranked Listening irritants, by topic key (of the feedback up to ``until``
    when given)."""
    from cxgap.services.listening import Filters
    from cxgap.services.listening_insights import topics_view

    view = topics_view(session, workspace, Filters({"to": until.isoformat()} if until else {}))
    return [item.irritant.stats.topic_key for item in view.irritants[:TOP_IRRITANTS]]


_MEASURED_ON = {
    "pillar": ActionRow.metric_pillar,
    "topic": ActionRow.metric_topic,
    "touchpoint": ActionRow.metric_touchpoint,
    "segment": ActionRow.metric_segment,
}


def actions_about(
    session: Session, workspace: Workspace, kind: str, key: str, as_of: date | None = None
) -> list[ActionRow]:
    """The actions tied to a subject (a pillar, topic, touchpoint, driver, persona or
    segment), or whose target metric is measured on it; cancelled ones left out. With
    ``as_of``, those that existed at the end of that day, as they were then (detached
    copies, ``services.action_history``)."""
    tied = and_(ActionRow.subject_kind == kind, ActionRow.subject_key == key)
    measured = _MEASURED_ON.get(kind)
    query = select(ActionRow).where(
        ActionRow.workspace_id == workspace.id,
        tied if measured is None else or_(tied, measured == key),
    )
    if as_of is None:
        query = query.where(ActionRow.status != "cancelled")
        return list(session.scalars(query.order_by(ActionRow.id)))
    rows = session.scalars(query.order_by(ActionRow.id))
    then = action_history.actions_as_of(session, workspace.id, rows, as_of)
    return [a for a in then if a.status != "cancelled"]


def gap_of(
    actions: Iterable[ActionRow], kind: str, key: str, outcome: Outcome, today: date
) -> ActionGap:
    rows = list(actions)
    late = sum(is_late(a, today) for a in rows)
    return ActionGap(kind, key, len(rows), late, best_outcome([outcome(a) for a in rows]))


def action_gaps(
    session: Session,
    workspace: Workspace,
    *,
    outcome: Outcome,
    today: date | None = None,
    as_of: date | None = None,
) -> list[ActionGap]:
    """One :class:`ActionGap` per priority pillar, then per top irritant; with ``as_of``, as
    things stood at the end of that day (the actions then, their lateness on that day, the
    top irritants of the feedback up to it)."""
    day = as_of or today or today_of(session, workspace)
    subjects = [("pillar", k) for k in priority_pillars(session, workspace)]
    subjects += [("topic", k) for k in top_irritants(session, workspace, as_of)]
    return [
        gap_of(actions_about(session, workspace, kind, key, as_of), kind, key, outcome, day)
        for kind, key in subjects
    ]
