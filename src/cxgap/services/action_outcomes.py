"""Whether each action of a workspace moved its metric, and the action gap that follows.

``action_impact`` measures one action: the impact analysis (``services.action_impact``) of
its target metric from its start date, against an untouched control when there is one (the
segments and touchpoints the workspace's other actions work on are touched), with the
pillar, topic, touchpoint and segment named in both languages. ``outcome_of`` is its
verdict; ``workspace_action_gaps`` is the action gap (``services.action_gaps``) with it.
An ``Outcomes`` object keeps each action's verdict, so an action that counts for a pillar
and for a topic is measured once per request."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from cxgap.db.journey_tables import JourneyRow, JourneyStageRow, JourneyTouchpointRow
from cxgap.db.tables import ActionRow, Workspace
from cxgap.impact.gap import ActionGap, Moved
from cxgap.impact.target import MetricTarget
from cxgap.impact.view import reason_words
from cxgap.reporting.executive_period import Period as ExecutivePeriod
from cxgap.services import action_gaps
from cxgap.services.action_impact import ImpactView, control_for, impact_of
from cxgap.services.action_plans import target_of
from cxgap.services.metric_series import Period

__all__ = [
    "Outcomes", "action_impact", "impact_json", "outcome_of", "report_action_gaps", "report_day",
    "touched_by_others", "workspace_action_gaps",
]  # fmt: skip


def touched_by_others(session: Session, workspace: Workspace, action: ActionRow) -> set[str]:
    """The segment and touchpoint keys the workspace's other actions (not cancelled) work on:
    tied to, or measured on."""
    query = select(ActionRow).where(
        ActionRow.workspace_id == workspace.id,
        ActionRow.id != action.id,
        ActionRow.status != "cancelled",
    )
    touched: set[str] = set()
    for other in session.scalars(query):
        if other.subject_kind in ("segment", "touchpoint") and other.subject_key:
            touched.add(other.subject_key)
        touched.update(k for k in (other.metric_segment, other.metric_touchpoint) if k)
    return touched


def action_impact(
    session: Session,
    workspace: Workspace,
    action: ActionRow,
    *,
    today: date | None = None,
    end: date | None = None,
    grain: Period = "month",
) -> ImpactView | None:
    """The impact of ``action`` on its target metric from its start date, per ``grain``, with
    a control when one is untouched (the series cut after ``end`` when given); None when
    the action has no target metric or no start date."""
    target = target_of(action)
    if target is None or action.start_date is None:
        return None
    day = today or action_gaps.today_of(session, workspace)
    control = control_for(session, workspace, target, touched_by_others(session, workspace, action))
    view = impact_of(
        session, workspace, target, action.start_date, control=control, today=day, end=end,
        period=grain,
    )  # fmt: skip
    return replace(view, names=names_of(session, workspace, [target, control]))


def outcome_of(
    session: Session,
    workspace: Workspace,
    action: ActionRow,
    *,
    today: date | None = None,
    end: date | None = None,
) -> Moved:
    """NOT_STARTED for an action not started (its status, or its start date after today);
    NOT_ENOUGH_DATA without a target metric or a start date, and for a cancelled action (the
    action gap leaves those out); otherwise the impact analysis's verdict (on the metric's
    series up to ``end`` when given)."""
    day = today or action_gaps.today_of(session, workspace)
    if action.status == "not_started" or (action.start_date and action.start_date > day):
        return Moved.NOT_STARTED
    if action.status == "cancelled":
        return Moved.NOT_ENOUGH_DATA
    view = action_impact(session, workspace, action, today=day, end=end)
    return Moved.NOT_ENOUGH_DATA if view is None else view.moved


class Outcomes:
    """``outcome_of`` for one workspace and one day, each action measured once."""

    def __init__(
        self, session: Session, workspace: Workspace, today: date, end: date | None = None
    ) -> None:
        self.session, self.workspace, self.today, self.end = session, workspace, today, end
        self._seen: dict[int, Moved] = {}

    def __call__(self, action: ActionRow) -> Moved:
        if action.id not in self._seen:
            self._seen[action.id] = outcome_of(
                self.session, self.workspace, action, today=self.today, end=self.end
            )
        return self._seen[action.id]


def workspace_action_gaps(
    session: Session,
    workspace: Workspace,
    *,
    today: date | None = None,
    as_of: date | None = None,
) -> list[ActionGap]:
    """The action gap of the priority pillars, then of the other active pillars that have
    actions, then of the top irritants; each action's outcome measured from the workspace's
    data (``outcome_of``). With ``as_of`` (a past day), as things stood at the end of it:
    the actions that existed then, their status and lateness then, the metric's movement up
    to that day (``services.action_history``)."""
    from cxgap.services.workspaces import pillars_of

    day = as_of or today or action_gaps.today_of(session, workspace)
    outcomes = Outcomes(session, workspace, day, as_of)
    gaps = action_gaps.action_gaps(session, workspace, outcome=outcomes, today=day, as_of=as_of)
    shown = {g.subject for g in gaps if g.kind == "pillar"}
    others = []
    for pillar in pillars_of(session, workspace):
        if pillar.key in shown:
            continue
        rows = action_gaps.actions_about(session, workspace, "pillar", pillar.key, as_of)
        if rows:
            others.append(action_gaps.gap_of(rows, "pillar", pillar.key, outcomes, day))
    first_topic = next((i for i, g in enumerate(gaps) if g.kind == "topic"), len(gaps))
    return gaps[:first_topic] + others + gaps[first_topic:]


def report_action_gaps(
    session: Session, workspace: Workspace, period: ExecutivePeriod
) -> list[ActionGap]:
    """The action gap an executive report of ``period`` shows: as of the period's last day
    when it is over, as of today otherwise."""
    today, as_of = report_day(session, workspace, period)
    return workspace_action_gaps(session, workspace, today=today, as_of=as_of)


def report_day(
    session: Session, workspace: Workspace, period: ExecutivePeriod
) -> tuple[date, date | None]:
    """The workspace's today, and the period's last day when it is over (else None)."""
    today = action_gaps.today_of(session, workspace)
    return today, (period.last if period.last < today else None)


def names_of(
    session: Session, workspace: Workspace, targets: list[MetricTarget | None]
) -> dict[str, dict[str, str]]:
    """``{"<field>:<key>": {"en": …, "fr": …}}`` for the pillars, topics, touchpoints and
    segments the targets name (what the impact partial's heading shows)."""
    from cxgap.services.taxonomy import list_topics
    from cxgap.services.workspaces import pillars_of, segments_of

    wanted = {
        (name, getattr(t, name))
        for t in targets
        if t is not None
        for name in ("pillar", "topic", "touchpoint", "segment")
        if getattr(t, name)
    }
    kinds = {name for name, _ in wanted}
    found: dict[str, dict[str, str]] = {}

    def put(kind: str, key: str, name_en: str, name_fr: str) -> None:
        if (kind, key) in wanted and f"{kind}:{key}" not in found:
            found[f"{kind}:{key}"] = {"en": name_en, "fr": name_fr}

    if "pillar" in kinds:
        for p in pillars_of(session, workspace):
            put("pillar", p.key, p.name_en, p.name_fr)
    if "topic" in kinds:
        for topic in list_topics(session, workspace):
            put("topic", topic.key, topic.name_en, topic.name_fr)
    if "segment" in kinds:
        for s in segments_of(session, workspace):
            put("segment", s.key, s.name_en, s.name_fr)
    if "touchpoint" in kinds:
        query = (
            select(
                JourneyTouchpointRow.key, JourneyTouchpointRow.name_en, JourneyTouchpointRow.name_fr
            )
            .join(JourneyStageRow, JourneyStageRow.id == JourneyTouchpointRow.stage_id)
            .join(JourneyRow, JourneyRow.id == JourneyStageRow.journey_id)
            .where(JourneyRow.workspace_id == workspace.id)
            .order_by(JourneyRow.version != "current", JourneyRow.id)
        )
        for key, name_en, name_fr in session.execute(query):
            put("touchpoint", key, name_en, name_fr)
    return found


def impact_json(
    session: Session,
    workspace: Workspace,
    action: ActionRow,
    *,
    today: date | None = None,
    grain: Period | None = None,
) -> dict[str, object]:
    """``ImpactView.as_json()`` of the action per ``grain`` (None: the grain with enough
    periods, ``services.impact_grain``), or, without a target metric or a start date, the
    same keys empty with the reason (for the CLI and the API)."""
    from cxgap.services.impact_grain import impact_by_grain

    view = impact_by_grain(session, workspace, action, today=today, grain=grain)
    if view is not None:
        return view.as_json()
    target = target_of(action)
    return {
        "target": None if target is None else target.as_json(),
        "start": None if action.start_date is None else action.start_date.isoformat(),
        "period": grain or "month", "series": [], "control": None, "control_series": [],
        "impact": None, "did": None, "moved": Moved.NOT_ENOUGH_DATA.value,
        "reason": reason_words("no_target"),
    }  # fmt: skip
