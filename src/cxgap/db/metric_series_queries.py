"""Per-period aggregates of the metrics an action can target, read from the survey answers
and the journey overlay's rows (``services.metric_series`` turns them into a series; the
Listening figures come from ``db.listening_reads``). Grouped by the database: histograms
and sums per period, never rows.

``who`` is a condition on the rows' table (``CustomerResponse`` or ``Feedback``), as
``services.segments.segment_filter`` builds it; ``since`` and ``until`` bound the moment the
answer was given or the feedback collected (``until`` exclusive).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from typing import Any, Literal

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from cxgap.db.listening_queries import Grain, period_of
from cxgap.db.tables import (
    CustomerPillarScore,
    CustomerResponse,
    Feedback,
    JourneyRow,
    JourneyStageRow,
    JourneyTouchpointRow,
    Pillar,
)
from cxgap.db.tables import TouchpointFeedback as TF

AnswerColumn = Literal["nps", "csat", "ces"]
Histograms = dict[str, dict[int, int]]


def has_answers(session: Session, workspace_id: int, column: AnswerColumn) -> bool:
    """Whether any survey answer of the workspace gives ``column``."""
    value = getattr(CustomerResponse, column)
    query = select(CustomerResponse.id).where(
        CustomerResponse.workspace_id == workspace_id, value.is_not(None)
    )
    return session.scalar(query.limit(1)) is not None


def answer_histograms(
    session: Session,
    workspace_id: int,
    column: AnswerColumn,
    grain: Grain,
    who: ColumnElement[bool],
    since: datetime | None,
    until: datetime | None,
) -> Histograms:
    """period -> score -> answers, for NPS, CSAT or CES in the customer survey answers."""
    value = getattr(CustomerResponse, column)
    period = period_of(session, CustomerResponse.submitted_at, grain)
    query = (
        select(period, value, func.count())
        .where(CustomerResponse.workspace_id == workspace_id, value.is_not(None), who)
        .where(*_bounds(CustomerResponse.submitted_at, since, until))
        .group_by(period, value)
    )
    return _histograms(session.execute(query))


def pillar_histograms(
    session: Session,
    pillar_id: int,
    grain: Grain,
    who: ColumnElement[bool],
    since: datetime | None,
    until: datetime | None,
) -> Histograms:
    """period -> performance score (1–5) -> answers, for one pillar."""
    score = CustomerPillarScore.performance
    period = period_of(session, CustomerResponse.submitted_at, grain)
    query = (
        select(period, score, func.count())
        .select_from(CustomerPillarScore)
        .join(CustomerResponse, CustomerResponse.id == CustomerPillarScore.response_id)
        .where(CustomerPillarScore.pillar_id == pillar_id, score.is_not(None), who)
        .where(*_bounds(CustomerResponse.submitted_at, since, until))
        .group_by(period, score)
    )
    return _histograms(session.execute(query))


def pillar_id(session: Session, workspace_id: int, key: str) -> int | None:
    query = select(Pillar.id).where(Pillar.workspace_id == workspace_id, Pillar.key == key)
    return session.scalar(query)


def touchpoint_sentiments(
    session: Session,
    workspace_id: int,
    touchpoint: str,
    grain: Grain,
    who: ColumnElement[bool],
    since: datetime | None,
    until: datetime | None,
) -> dict[str, tuple[float, int]]:
    """period -> (sum of sentiment scores, enriched items) of the feedback concerning a
    touchpoint, from the overlay's rows (named by the item or through a mapped topic)."""
    period = period_of(session, Feedback.collected_at, grain)
    query = (
        select(period, func.sum(TF.sentiment_score), func.count(TF.sentiment_score))
        .select_from(TF)
        .join(Feedback, Feedback.id == TF.feedback_id)
        .where(
            TF.workspace_id == workspace_id,
            TF.touchpoint_key == touchpoint,
            TF.sentiment_score.is_not(None),
            who,
        )
        .where(*_bounds(Feedback.collected_at, since, until))
        .group_by(period)
    )
    return {str(p): (float(total or 0.0), int(n)) for p, total, n in session.execute(query) if n}


def _bounds(column: Any, since: datetime | None, until: datetime | None) -> list[Any]:
    bounds = []
    if since is not None:
        bounds.append(column >= since)
    if until is not None:
        bounds.append(column < until)
    return bounds


def _histograms(rows: Any) -> Histograms:
    result: Histograms = defaultdict(dict)
    for period, value, count in rows:
        cell = result[str(period)]
        cell[int(value)] = cell.get(int(value), 0) + int(count)
    return dict(result)


def stage_siblings(session: Session, workspace_id: int, touchpoint: str) -> list[str]:
    """The other touchpoint keys of the journey stages that hold ``touchpoint`` (current
    journeys first, then by stage and position): the candidates for a control."""
    stages = (
        select(JourneyTouchpointRow.stage_id)
        .join(JourneyStageRow, JourneyStageRow.id == JourneyTouchpointRow.stage_id)
        .join(JourneyRow, JourneyRow.id == JourneyStageRow.journey_id)
        .where(JourneyRow.workspace_id == workspace_id, JourneyTouchpointRow.key == touchpoint)
    )
    query = (
        select(JourneyTouchpointRow.key)
        .join(JourneyStageRow, JourneyStageRow.id == JourneyTouchpointRow.stage_id)
        .join(JourneyRow, JourneyRow.id == JourneyStageRow.journey_id)
        .where(JourneyTouchpointRow.stage_id.in_(stages), JourneyTouchpointRow.key != touchpoint)
        .order_by(
            (JourneyRow.version != "current"),
            JourneyRow.id,
            JourneyStageRow.position,
            JourneyTouchpointRow.position,
        )
    )
    found: list[str] = []
    for key in session.scalars(query):
        if key not in found:
            found.append(key)
    return found
