"""The figures behind worsening alerts and team digests: per owned subject (a pillar or a
touchpoint, as a Listening filter) the sufficient statistics of a window and its baseline in
one aggregate query, the window's top irritant and its most negative verbatims."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, case, func, select
from sqlalchemy.orm import Session

from cxgap.analytics.worsening import PeriodStats
from cxgap.db.feedback_filters import (
    FeedbackFilter,
    enrichment_of_feedback,
    feedback_query,
    filter_conditions,
)
from cxgap.db.tables import Feedback, TextEnrichment, TextFinding

SENTIMENTS = ("positive", "neutral", "negative")


def _count_if(condition: ColumnElement[bool]) -> ColumnElement[Any]:
    return func.sum(case((condition, 1), else_=0))


def period_stats(
    session: Session,
    workspace_id: int,
    subject: FeedbackFilter,
    *,
    baseline_start: datetime,
    window_start: datetime,
    window_end: datetime,
) -> tuple[PeriodStats, PeriodStats]:
    """(window, baseline): baseline is [baseline_start, window_start), window
    [window_start, window_end)."""
    score = TextEnrichment.sentiment_score
    in_window = case((Feedback.collected_at >= window_start, 1), else_=0).label("w")
    columns = [
        in_window,
        func.count(score),
        func.coalesce(func.sum(score), 0.0),
        func.coalesce(func.sum(score * score), 0.0),
        _count_if(TextEnrichment.sentiment.in_(SENTIMENTS)),
        _count_if(TextEnrichment.sentiment == "negative"),
        func.count(Feedback.nps),
        _count_if(Feedback.nps >= 9),
        _count_if(Feedback.nps <= 6),
    ]
    dated = replace(subject, date_from=baseline_start, date_to=window_end)
    query = feedback_query(columns).where(*filter_conditions(workspace_id, dated)).group_by("w")
    periods = {0: PeriodStats(), 1: PeriodStats()}
    for row in session.execute(query):
        periods[int(row[0])] = PeriodStats(
            sentiment_n=int(row[1]),
            sentiment_sum=float(row[2] or 0.0),
            sentiment_sum_sq=float(row[3] or 0.0),
            enriched=int(row[4] or 0),
            negative=int(row[5] or 0),
            nps_n=int(row[6] or 0),
            promoters=int(row[7] or 0),
            detractors=int(row[8] or 0),
        )
    return periods[1], periods[0]


def top_irritant(
    session: Session, workspace_id: int, subject: FeedbackFilter, start: datetime, end: datetime
) -> tuple[str, int] | None:
    """The topic of the most verbatims with a negative finding in [start, end), and how many."""
    dated = replace(subject, date_from=start, date_to=end)
    items = func.count(func.distinct(Feedback.id))
    query = (
        select(TextFinding.topic_key, items)
        .select_from(Feedback)
        .join(TextEnrichment, enrichment_of_feedback())
        .join(TextFinding, TextFinding.enrichment_id == TextEnrichment.id)
        .where(
            *filter_conditions(workspace_id, dated),
            TextFinding.sentiment == "negative",
            TextFinding.topic_key.is_not(None),
        )
        .group_by(TextFinding.topic_key)
        .order_by(items.desc(), TextFinding.topic_key)
        .limit(1)
    )
    row = session.execute(query).first()
    return None if row is None else (str(row[0]), int(row[1]))


def most_negative_verbatims(
    session: Session,
    workspace_id: int,
    subject: FeedbackFilter,
    start: datetime,
    end: datetime,
    limit: int = 3,
) -> list[tuple[str, float, datetime]]:
    """The texts of the window's most negative verbatims: (text, sentiment score, when)."""
    dated = replace(subject, date_from=start, date_to=end)
    query = (
        feedback_query([Feedback.text, TextEnrichment.sentiment_score, Feedback.collected_at])
        .where(
            *filter_conditions(workspace_id, dated),
            TextEnrichment.sentiment_score.is_not(None),
            Feedback.text != "",
        )
        .order_by(TextEnrichment.sentiment_score, Feedback.id)
        .limit(limit * 10)
    )
    found: dict[str, tuple[str, float, datetime]] = {}  # the same text once (shared reviews)
    for text, score, at in session.execute(query):
        found.setdefault(str(text), (str(text), float(score), at))
    return list(found.values())[:limit]
