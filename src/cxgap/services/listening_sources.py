"""NPS by source: the workspace's survey answers beside each kind of imported feedback.

The overview's NPS comes from the workspace's own customer survey; the Listening trends come
from imported feedback (reviews, tickets, survey exports…). They are different customers,
reached through different channels over different periods, so they rarely agree. This view
puts them side by side, each with its interval, sample size and period, and says whether the
gap between the survey and the imported feedback is larger than chance.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from cxgap.analytics.descriptive import Interval
from cxgap.analytics.nps import compute_nps
from cxgap.analytics.timeseries import count_table
from cxgap.db import listening_queries as q
from cxgap.db import listening_reads, source_queries
from cxgap.db.queries import NONE
from cxgap.db.source_queries import ScoreSource
from cxgap.db.tables import Workspace
from cxgap.services.flagged import flagged_set
from cxgap.services.listening import Filters, feedback_filter


@dataclass(frozen=True)
class NpsSource:
    """One source's NPS: ``source_type`` None is the survey, "" all imported feedback."""

    source_type: str | None
    n: int
    score: float | None
    ci: Interval | None
    first: date | None
    last: date | None

    @property
    def is_survey(self) -> bool:
        return self.source_type is None


@dataclass(frozen=True)
class NpsSources:
    """The survey's NPS, imported feedback's NPS overall and per source type."""

    survey: NpsSource
    feedback: NpsSource
    by_source: list[NpsSource]

    @property
    def comparable(self) -> bool:
        return self.survey.score is not None and self.feedback.score is not None

    @property
    def intervals_overlap(self) -> bool | None:
        """Whether the two intervals overlap (None when one of them is missing)."""
        a, b = self.survey.ci, self.feedback.ci
        if a is None or b is None:
            return None
        return a[0] <= b[1] and b[0] <= a[1]

    @property
    def periods_overlap(self) -> bool | None:
        s, f = self.survey, self.feedback
        if s.first is None or s.last is None or f.first is None or f.last is None:
            return None
        return s.first <= f.last and f.first <= s.last


def nps_source(source: ScoreSource, *, min_group_size: int, confidence: float = 0.95) -> NpsSource:
    """The NPS of one source; below ``min_group_size`` answers only n and the period are kept."""
    table = count_table(source.histogram, "nps")
    result = compute_nps(table, confidence=confidence)
    shown = result.n >= max(min_group_size, 1)
    return NpsSource(
        source.source_type,
        result.n,
        result.score if shown else None,
        result.ci if shown else None,
        source.first.date() if source.first else None,
        source.last.date() if source.last else None,
    )


def nps_sources(
    session: Session,
    workspace: Workspace,
    filters: Filters,
    *,
    min_group_size: int,
    confidence: float = 0.95,
) -> NpsSources:
    """The survey answers' NPS and the imported feedback's, overall and per source type
    (the explorer's filters apply to imported feedback; the survey has no such fields)."""
    where = feedback_filter(
        session, workspace, filters, q.topic_rows(session, workspace.id), estimate=True
    )
    # The survey's own answers without the flagged ones when their comments are left out.
    excluded = flagged_set(session, workspace).response_ids if where.excluded_survey_ids else NONE
    parts = listening_reads.nps_by_source(session, workspace.id, where)
    merged: dict[int, int] = {}
    for part in parts:
        for score, count in part.histogram.items():
            merged[score] = merged.get(score, 0) + count
    firsts = [p.first for p in parts if p.first is not None]
    lasts = [p.last for p in parts if p.last is not None]
    everything = ScoreSource(
        "", merged, min(firsts) if firsts else None, max(lasts) if lasts else None
    )

    def estimate(source: ScoreSource) -> NpsSource:
        return nps_source(source, min_group_size=min_group_size, confidence=confidence)

    return NpsSources(
        survey=estimate(source_queries.survey_nps(session, workspace.id, excluded)),
        feedback=estimate(everything),
        by_source=[estimate(p) for p in parts],
    )
