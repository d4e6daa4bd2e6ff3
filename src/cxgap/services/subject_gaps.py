"""The action gap beyond pillars and irritants (issue 13 ties actions to touchpoints, drivers,
personas and segments too): for the touchpoints with the worst measured sentiment, the top
drivers of the score, and every touchpoint, driver, persona or segment an action is tied to
or measured on, whether an action exists, whether one is late, whether its metric moved.

- **Worst touchpoints**: the ``WORST_TOUCHPOINTS`` touchpoints of the workspace's first
  current journey (by key) with the lowest mean sentiment in its measured overlay (all the
  feedback, as the journey page).
- **Top drivers**: the ``TOP_DRIVERS`` topics whose mention goes with a lower score (NPS, or
  stars without NPS) with the largest relative weight (Listening's key drivers, topic level,
  no bootstrap: only the ranking is used), on the feedback up to ``as_of`` when given.
- A driver is a topic: the actions tied to the driver or to the topic (or measured on the
  topic) count for it.

With ``as_of``, the actions are read as they were at the end of that day
(``services.action_history``), as for the pillars.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from cxgap.db.tables import ActionRow, PersonaRow, Workspace
from cxgap.journeys.model import Text
from cxgap.reporting.executive_model import SubjectGap
from cxgap.services import action_gaps
from cxgap.services.action_gaps import Outcome

WORST_TOUCHPOINTS = 3
TOP_DRIVERS = 3
KINDS = ("touchpoint", "driver", "persona", "segment")
MIN_DRIVER_ANSWERS = 30


def worst_touchpoints(session: Session, workspace: Workspace) -> list[tuple[str, Text, float]]:
    """``(key, name, mean sentiment)`` of the worst measured touchpoints, worst first."""
    from cxgap.services import journeys
    from cxgap.services.overlay import journey_with_overlay

    rows = [r for r in journeys.list_journeys(session, workspace=workspace)
            if r.version == "current"]  # fmt: skip
    if not rows:
        return []
    journey, _ = journey_with_overlay(session, workspace=workspace, key=rows[0].key)
    measured = [
        (tp.key, tp.name, tp.measured.sentiment_mean)
        for stage in journey.stages
        for tp in stage.touchpoints
        if tp.measured.sentiment_mean is not None
    ]
    return sorted(measured, key=lambda m: m[2])[:WORST_TOUCHPOINTS]


def top_drivers(
    session: Session, workspace: Workspace, until: date | None = None
) -> list[tuple[str, float]]:
    """``(topic key, share of R²)`` of the drivers that lower the score, heaviest first."""
    from cxgap.services.listening import Filters
    from cxgap.services.listening_insights import drivers_view

    filters = Filters({"to": until.isoformat()} if until else {})
    view = drivers_view(session, workspace, filters, level="topic",
                        min_group_size=MIN_DRIVER_ANSWERS, bootstrap=0)  # fmt: skip
    if view.analysis is None:
        return []
    lowering = [d for d in view.analysis.drivers if d.direction < 0]
    return [(d.name, d.share or 0.0) for d in lowering[:TOP_DRIVERS]]


def _acted_on(session: Session, workspace: Workspace) -> list[tuple[str, str]]:
    """The touchpoints, drivers, personas and segments some action (any status) is tied to
    or measured on."""
    query = select(
        ActionRow.subject_kind, ActionRow.subject_key, ActionRow.metric_touchpoint,
        ActionRow.metric_segment,
    ).where(
        ActionRow.workspace_id == workspace.id,
        or_(ActionRow.subject_kind.in_(KINDS), ActionRow.metric_touchpoint.is_not(None),
            ActionRow.metric_segment.is_not(None)),
    )  # fmt: skip
    found: list[tuple[str, str]] = []
    for kind, key, touchpoint, segment in session.execute(query):
        if kind in KINDS and key:
            found.append((kind, key))
        if touchpoint:
            found.append(("touchpoint", touchpoint))
        if segment:
            found.append(("segment", segment))
    return found


def _names(session: Session, workspace: Workspace) -> dict[tuple[str, str], Text]:
    from cxgap.db.listening_queries import topic_rows
    from cxgap.services.workspaces import segments_of

    names: dict[tuple[str, str], Text] = {}
    for topic in topic_rows(session, workspace.id):
        names[("driver", topic.key)] = Text(topic.name_en, topic.name_fr)
    for segment in segments_of(session, workspace):
        names[("segment", segment.key)] = Text(segment.name_en, segment.name_fr)
    personas = select(PersonaRow.key, PersonaRow.name).where(
        PersonaRow.workspace_id == workspace.id
    )
    for key, name in session.execute(personas):
        names[("persona", key)] = Text(name, name)
    return names


def _actions(
    session: Session, workspace: Workspace, kind: str, key: str, as_of: date | None
) -> list[ActionRow]:
    rows = action_gaps.actions_about(session, workspace, kind, key, as_of)
    if kind == "driver":
        seen = {a.id for a in rows}
        rows += [a for a in action_gaps.actions_about(session, workspace, "topic", key, as_of)
                 if a.id not in seen]  # fmt: skip
    return rows


def subject_gaps(
    session: Session,
    workspace: Workspace,
    *,
    outcome: Outcome,
    today: date,
    as_of: date | None = None,
) -> list[SubjectGap]:
    """The worst touchpoints, the top drivers, then the other subjects with actions (those
    with none at ``as_of`` left out)."""
    names = _names(session, workspace)
    chosen: dict[tuple[str, str], tuple[str, float | None]] = {}
    for key, name, sentiment in worst_touchpoints(session, workspace):
        names[("touchpoint", key)] = name
        chosen[("touchpoint", key)] = ("worst_sentiment", sentiment)
    for key, share in top_drivers(session, workspace, as_of):
        chosen.setdefault(("driver", key), ("top_driver", share))
    for subject in _acted_on(session, workspace):
        chosen.setdefault(subject, ("has_actions", None))
    day = as_of or today
    gaps = []
    for (kind, key), (why, figure) in chosen.items():
        rows = _actions(session, workspace, kind, key, as_of)
        if why == "has_actions" and not rows:
            continue
        gap = action_gaps.gap_of(rows, kind, key, outcome, day)
        gaps.append(SubjectGap(gap, names.get((kind, key), Text(key, key)), why, figure))
    return gaps


def workspace_subject_gaps(
    session: Session, workspace: Workspace, *, today: date | None = None, as_of: date | None = None
) -> list[SubjectGap]:
    """``subject_gaps`` with each action's outcome measured from the workspace's data."""
    from cxgap.services.action_outcomes import Outcomes

    day = as_of or today or action_gaps.today_of(session, workspace)
    outcomes = Outcomes(session, workspace, day, as_of)
    return subject_gaps(session, workspace, outcome=outcomes, today=day, as_of=as_of)
