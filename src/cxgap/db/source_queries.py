"""Typed read queries for "NPS by source": the NPS answers of the workspace's own survey and
of imported feedback per source type, each with when they were given.

Aggregated by the database (GROUP BY source and score): a few dozen rows whatever the volume.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from cxgap.db.feedback_filters import (
    FeedbackFilter,
    feedback_query,
    filter_conditions,
    needs_enrichment,
)
from cxgap.db.listening_queries import as_aware
from cxgap.db.queries import NONE, Ids, not_in
from cxgap.db.tables import CustomerResponse, Feedback


@dataclass(frozen=True)
class ScoreSource:
    """The NPS answers of one source: a histogram and when they were given."""

    source_type: str | None  # None: the workspace's own survey answers
    histogram: dict[int, int]
    first: datetime | None
    last: datetime | None


def feedback_nps_by_source(
    session: Session, workspace_id: int, f: FeedbackFilter
) -> list[ScoreSource]:
    """The NPS answers of imported feedback under the filter, per source type."""
    query = (
        feedback_query(
            [
                Feedback.source_type,
                Feedback.nps,
                func.count(),
                func.min(Feedback.collected_at),
                func.max(Feedback.collected_at),
            ],
            enrichment=needs_enrichment(f),
        )
        .where(*filter_conditions(workspace_id, f), Feedback.nps.is_not(None))
        .group_by(Feedback.source_type, Feedback.nps)
    )
    histograms: dict[str, dict[int, int]] = defaultdict(dict)
    spans: dict[str, tuple[datetime, datetime]] = {}
    for source_type, score, count, low, high in session.execute(query):
        key = str(source_type)
        histograms[key][int(score)] = int(count)
        first, last = spans.get(key, (None, None))
        spans[key] = (_earliest(first, as_aware(low)), _latest(last, as_aware(high)))
    sources = [ScoreSource(key, h, *spans[key]) for key, h in histograms.items()]
    return sorted(sources, key=lambda s: (-sum(s.histogram.values()), s.source_type or ""))


def survey_nps(session: Session, workspace_id: int, excluded: Ids = NONE) -> ScoreSource:
    """The NPS answers of the workspace's own customer survey (answers and imported answers),
    ``excluded`` answers left out (the flagged ones)."""
    query = (
        select(
            CustomerResponse.nps,
            func.count(),
            func.min(CustomerResponse.submitted_at),
            func.max(CustomerResponse.submitted_at),
        )
        .where(CustomerResponse.workspace_id == workspace_id, CustomerResponse.nps.is_not(None))
        .where(not_in(CustomerResponse.id, excluded))
        .group_by(CustomerResponse.nps)
    )
    histogram: dict[int, int] = {}
    first: datetime | None = None
    last: datetime | None = None
    for score, count, low, high in session.execute(query):
        histogram[int(score or 0)] = int(count)
        first, last = _earliest(first, as_aware(low)), _latest(last, as_aware(high))
    return ScoreSource(None, histogram, first, last)


def _earliest(a: datetime | None, b: datetime) -> datetime:
    return b if a is None or b < a else a


def _latest(a: datetime | None, b: datetime) -> datetime:
    return b if a is None or b > a else a
