"""The series of the metric an action targets, one point per month or week: what the impact
analysis reads (docs/actions.md, "Metric series").

Each figure is the one the rest of cxgap shows for it:

- **NPS, CSAT, CES**: from the customer survey answers, as on the results page (NPS
  promoters minus detractors, CSAT the share of 4 and 5, CES the mean effort,
  ``analytics.timeseries.period_point``); a workspace with no survey answer giving the
  score reads its feedback instead, as the Listening trends do;
- **a pillar's performance**: the mean performance score (1–5) of the pillar in the
  customer survey answers;
- **a topic's negative share**: negative mentions over mentions of the topic, from the
  Listening mention counts (pre-aggregated by month when the window allows);
- **a touchpoint's sentiment**: the mean sentiment score of the enriched feedback concerning
  it (the journey overlay's rows, brought up to date first).

A target's ``segment`` narrows through ``services.segments.segment_filter``: the materialised
membership for feedback, the segment's rule for survey answers. Periods without data are
absent, never zero; ``n`` is the answers, mentions or items behind each point.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from datetime import UTC, date, datetime, time, timedelta
from typing import Literal

from sqlalchemy import ColumnElement
from sqlalchemy.orm import Session

from cxgap.analytics.timeseries import period_point
from cxgap.db import listening_reads
from cxgap.db import metric_series_queries as q
from cxgap.db.feedback_filters import FeedbackFilter
from cxgap.db.tables import Workspace
from cxgap.errors import ValidationError
from cxgap.impact.series import Point
from cxgap.impact.target import Metric, MetricTarget
from cxgap.services.overlay import refresh_overlay_index
from cxgap.services.segments import segment_filter

Period = Literal["week", "month"]
_SCORES: Mapping[Metric, q.AnswerColumn] = {
    Metric.NPS: "nps",
    Metric.CSAT: "csat",
    Metric.CES: "ces",
}


def metric_series(
    session: Session,
    workspace: Workspace,
    target: MetricTarget,
    *,
    period: Period = "month",
    start: date | None = None,
    end: date | None = None,
) -> list[Point]:
    """The target's metric per ``period`` (months start on the 1st, weeks on Monday, UTC),
    from ``start`` to ``end`` inclusive (whole days), in date order."""
    if period not in ("week", "month"):
        raise ValidationError.single("period", "week or month", period)
    since = _moment(start)
    until = _moment(end + timedelta(days=1)) if end is not None else None
    if target.metric in _SCORES:
        return _scores(session, workspace, target, period, since, until)
    if target.metric is Metric.PILLAR:
        return _pillar(session, workspace, target, period, since, until)
    if target.metric is Metric.TOPIC_NEGATIVE_SHARE:
        return _topic(session, workspace, target, period, since, until)
    return _touchpoint(session, workspace, target, period, since, until)


def _moment(day: date | None) -> datetime | None:
    return None if day is None else datetime.combine(day, time(), tzinfo=UTC)


def _scores(
    session: Session,
    workspace: Workspace,
    target: MetricTarget,
    period: Period,
    since: datetime | None,
    until: datetime | None,
) -> list[Point]:
    column = _SCORES[target.metric]
    if q.has_answers(session, workspace.id, column):
        who = _who(session, workspace, target, "answers")
        histograms = q.answer_histograms(session, workspace.id, column, period, who, since, until)
    else:
        f = _feedback_filter(session, workspace, target, since, until)
        histograms = listening_reads.score_histograms(session, workspace.id, f, column, period)
    return _points(histograms, column)


def _pillar(
    session: Session,
    workspace: Workspace,
    target: MetricTarget,
    period: Period,
    since: datetime | None,
    until: datetime | None,
) -> list[Point]:
    key = target.pillar or ""
    pillar = q.pillar_id(session, workspace.id, key)
    if pillar is None:
        raise ValidationError.single("pillar", "no pillar of this key in the workspace", key)
    who = _who(session, workspace, target, "answers")
    histograms = q.pillar_histograms(session, pillar, period, who, since, until)
    return [
        Point(_day(p), sum(s * c for s, c in h.items()) / sum(h.values()), sum(h.values()))
        for p, h in sorted(histograms.items())
        if sum(h.values())
    ]


def _topic(
    session: Session,
    workspace: Workspace,
    target: MetricTarget,
    period: Period,
    since: datetime | None,
    until: datetime | None,
) -> list[Point]:
    f = _feedback_filter(session, workspace, target, since, until)
    mentions: dict[str, list[int]] = defaultdict(lambda: [0, 0])  # [negative, all]
    for topic, key, sentiment, n, _ in listening_reads.mention_counts(
        session, workspace.id, f, period
    ):
        if topic == target.topic:
            mentions[key][0] += n if sentiment == "negative" else 0
            mentions[key][1] += n
    return [
        Point(_day(key), negative / total, total)
        for key, (negative, total) in sorted(mentions.items())
        if total
    ]


def _touchpoint(
    session: Session,
    workspace: Workspace,
    target: MetricTarget,
    period: Period,
    since: datetime | None,
    until: datetime | None,
) -> list[Point]:
    refresh_overlay_index(session, workspace=workspace)
    who = _who(session, workspace, target, "feedback")
    sums = q.touchpoint_sentiments(
        session, workspace.id, target.touchpoint or "", period, who, since, until
    )
    return [Point(_day(key), total / n, n) for key, (total, n) in sorted(sums.items())]


def _who(
    session: Session,
    workspace: Workspace,
    target: MetricTarget,
    rows: Literal["answers", "feedback"],
) -> ColumnElement[bool]:
    return segment_filter(session, workspace=workspace, segment=target.segment, target=rows)


def _feedback_filter(
    session: Session,
    workspace: Workspace,
    target: MetricTarget,
    since: datetime | None,
    until: datetime | None,
) -> FeedbackFilter:
    segment = None if target.segment is None else _who(session, workspace, target, "feedback")
    return FeedbackFilter(date_from=since, date_to=until, segment=segment)


def _points(histograms: Mapping[str, Mapping[int, int]], column: q.AnswerColumn) -> list[Point]:
    points = []
    for key in sorted(histograms):
        figure = period_point(key, histograms[key], column, min_group_size=1)
        if figure.value is not None:
            points.append(Point(_day(key), figure.value, figure.n))
    return points


def _day(key: str) -> date:
    return date.fromisoformat(key[:10])
