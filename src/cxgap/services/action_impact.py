"""Whether an action moved its metric, from the workspace's data: the metric's series since
the data begins (``services.metric_series``), the interrupted time series or before/after
comparison at the action's start (``impact.measure_impact``), a difference-in-differences
against an untouched control when there is one (``impact.did``), and the outcome the action
gap reads (``impact.view.moved_of``). docs/actions.md says how."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

from sqlalchemy.orm import Session

from cxgap.db import metric_series_queries as q
from cxgap.db.tables import Workspace
from cxgap.errors import ValidationError
from cxgap.impact import measure_impact
from cxgap.impact.did import difference_in_differences
from cxgap.impact.gap import Moved
from cxgap.impact.result import Impact
from cxgap.impact.series import Point
from cxgap.impact.target import Metric, MetricTarget
from cxgap.impact.view import ImpactView, moved_of, reason_words
from cxgap.services.metric_series import Period, metric_series
from cxgap.services.workspaces import segments_of

__all__ = ["ImpactView", "control_for", "impact_of", "moved_of"]


def impact_of(
    session: Session,
    workspace: Workspace,
    target: MetricTarget,
    start: date,
    *,
    period: Period = "month",
    control: MetricTarget | None = None,
    today: date | None = None,
    end: date | None = None,
) -> ImpactView:
    """The impact at ``start`` on ``target``'s metric, with a DiD against ``control`` when
    given. ``today`` (UTC by default) tells an action not started yet; ``end`` cuts the
    series after that day (the impact as it could be measured then)."""
    today = today or datetime.now(UTC).date()
    series = metric_series(session, workspace, target, period=period, end=end)
    others = (
        [] if control is None
        else metric_series(session, workspace, control, period=period, end=end)
    )  # fmt: skip
    view = ImpactView(target, start, period, series, others, control=control)
    if start > today:
        return replace(
            view,
            moved=Moved.NOT_STARTED,
            reason=reason_words("not_started", date=start.isoformat()),
        )
    if not series:
        return replace(view, reason=reason_words("no_data"))
    impact, reason = _measured(series, start)
    did = difference_in_differences(series, others, start) if control is not None else None
    moved = moved_of(impact, target)
    if reason is None and moved is Moved.NOT_ENOUGH_DATA and impact is not None:
        reason = reason_words("untested", n_before=impact.n_before, n_after=impact.n_after)
    return replace(view, impact=impact, did=did, moved=moved, reason=reason)


def _measured(series: list[Point], start: date) -> tuple[Impact | None, dict[str, str] | None]:
    if series[0].period >= start:
        return None, reason_words("no_before", date=start.isoformat())
    if series[-1].period < start:
        return None, reason_words("no_after", date=start.isoformat())
    try:
        return measure_impact(series, start), None
    except ValidationError:  # lags out of range cannot happen with the default; be safe
        return None, reason_words("no_data")


def control_for(
    session: Session, workspace: Workspace, target: MetricTarget, touched: set[str]
) -> MetricTarget | None:
    """An untouched comparison for ``target``: for a touchpoint, another touchpoint of the
    same journey stage; otherwise, for a segment, another segment (same metric and subject).
    ``touched``: the segment and touchpoint keys other actions already work on. None when
    nothing untouched is left (a target for everyone has no untouched segment)."""
    if target.metric is Metric.TOUCHPOINT_SENTIMENT and target.touchpoint is not None:
        for key in q.stage_siblings(session, workspace.id, target.touchpoint):
            if key not in touched:
                return MetricTarget(
                    Metric.TOUCHPOINT_SENTIMENT, touchpoint=key, segment=target.segment
                )
        return None
    if target.segment is None:
        return None
    for segment in segments_of(session, workspace):
        if segment.key != target.segment and segment.key not in touched:
            return MetricTarget(
                target.metric, pillar=target.pillar, topic=target.topic, segment=segment.key
            )
    return None
