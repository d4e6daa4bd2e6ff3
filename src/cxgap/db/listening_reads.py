"""The Listening aggregates the screens read: from the pre-aggregated counts when the
filter and the grain are those of the counts each needs (``listening_cube.serves``: the
common case); dates inside a month as the whole months from the counts and the days at either
end from the rows (``listening_edges``); otherwise from the rows (``listening_queries``). All
give the same figures (tests/db/test_listening_counts.py, test_listening_edges.py).
"""

from __future__ import annotations

from datetime import UTC, date

from sqlalchemy.orm import Session

from cxgap.db import listening_cube as cube
from cxgap.db import listening_edges as edges
from cxgap.db import listening_queries as rows
from cxgap.db import source_queries
from cxgap.db.feedback_filters import FeedbackFilter
from cxgap.db.listening_cube import Need
from cxgap.db.listening_edges import PeriodSplit
from cxgap.db.listening_queries import Grain, ScoreColumn
from cxgap.db.source_queries import ScoreSource


def _split(f: FeedbackFilter, need: Need) -> PeriodSplit | None:
    """``f`` as whole months (weeks) the counts serve plus edge days, when it is one."""
    split = edges.period_split(f, "week" if need == "week" else "month")
    return split if split is not None and cube.serves(split.middle, need) else None


def facet_table(
    session: Session, workspace_id: int, f: FeedbackFilter
) -> list[tuple[str, str | None, str | None, str | None, int]]:
    if cube.serves(f):
        return cube.facet_table(session, workspace_id, f)
    return rows.facet_table(session, workspace_id, f)


def count_verbatims(session: Session, workspace_id: int, f: FeedbackFilter) -> int:
    if cube.serves(f):
        return cube.count_verbatims(session, workspace_id, f)
    return rows.count_verbatims(session, workspace_id, f)


def count_enriched(session: Session, workspace_id: int) -> tuple[int, int]:
    """Records in the workspace and how many are enriched: always from the counts."""
    return cube.count_enriched(session, workspace_id)


def distinct_channels(session: Session, workspace_id: int) -> list[str]:
    """The filter form's channel choices: always from the counts."""
    return cube.distinct_channels(session, workspace_id)


def topic_facet_counts(
    session: Session, workspace_id: int, f: FeedbackFilter
) -> list[tuple[str, int]]:
    if cube.serves(f, "month"):
        return cube.topic_facet_counts(session, workspace_id, f)
    if (split := _split(f, "month")) is not None:
        return edges.summed_pairs(
            [
                cube.topic_facet_counts(session, workspace_id, split.middle),
                *(rows.topic_facet_counts(session, workspace_id, e) for e in split.edges),
            ]
        )
    return rows.topic_facet_counts(session, workspace_id, f)


def day_bounds(session: Session, workspace_id: int, f: FeedbackFilter) -> tuple[date, date] | None:
    """The first and last UTC day with records under the filter."""
    if cube.serves(f):
        return cube.day_bounds(session, workspace_id, f)
    bounds = rows.date_bounds(session, workspace_id, f)
    if bounds is None:
        return None
    return bounds[0].astimezone(UTC).date(), bounds[1].astimezone(UTC).date()


def mention_counts(
    session: Session, workspace_id: int, f: FeedbackFilter, grain: Grain
) -> list[tuple[str, str, str, int, float]]:
    if grain == "month" and cube.serves(f, "month"):
        return cube.mention_counts(session, workspace_id, f)
    if grain == "month" and (split := _split(f, "month")) is not None:
        return edges.summed_mentions(
            [
                cube.mention_counts(session, workspace_id, split.middle),
                *(rows.mention_counts(session, workspace_id, e, grain) for e in split.edges),
            ]
        )
    return rows.mention_counts(session, workspace_id, f, grain)


def score_histograms(
    session: Session, workspace_id: int, f: FeedbackFilter, column: ScoreColumn, grain: Grain
) -> dict[str, dict[int, int]]:
    if grain == "month" and cube.serves(f, "month"):
        return cube.score_histograms(session, workspace_id, f, column)
    if grain == "week" and cube.serves(f, "week"):
        return cube.week_score_histograms(session, workspace_id, f, column)
    if grain == "week" and (split := _split(f, "week")) is not None:
        return edges.summed_histograms(
            [
                cube.week_score_histograms(session, workspace_id, split.middle, column),
                *(
                    rows.score_histograms(session, workspace_id, e, column, grain)
                    for e in split.edges
                ),
            ]
        )
    if grain == "month" and (split := _split(f, "month")) is not None:
        return edges.summed_histograms(
            [
                cube.score_histograms(session, workspace_id, split.middle, column),
                *(
                    rows.score_histograms(session, workspace_id, e, column, grain)
                    for e in split.edges
                ),
            ]
        )
    return rows.score_histograms(session, workspace_id, f, column, grain)


def sentiment_histograms(
    session: Session, workspace_id: int, f: FeedbackFilter, grain: Grain
) -> dict[str, dict[int, int]]:
    if cube.serves(f):
        return cube.sentiment_histograms(session, workspace_id, f, grain)
    return rows.sentiment_histograms(session, workspace_id, f, grain)


def has_scores(session: Session, workspace_id: int, f: FeedbackFilter, column: ScoreColumn) -> bool:
    if cube.serves(f, "month"):
        return cube.has_scores(session, workspace_id, f, column)
    if (split := _split(f, "month")) is not None:
        return cube.has_scores(session, workspace_id, split.middle, column) or any(
            rows.has_scores(session, workspace_id, e, column) for e in split.edges
        )
    return rows.has_scores(session, workspace_id, f, column)


def driver_patterns(
    session: Session, workspace_id: int, f: FeedbackFilter, column: ScoreColumn
) -> list[tuple[frozenset[str], int, int]]:
    if cube.serves(f, "drivers"):
        return cube.driver_patterns(session, workspace_id, f, column)
    if (split := _split(f, "drivers")) is not None:
        return edges.summed_patterns(
            [
                cube.driver_patterns(session, workspace_id, split.middle, column),
                *(rows.driver_patterns(session, workspace_id, e, column) for e in split.edges),
            ]
        )
    return rows.driver_patterns(session, workspace_id, f, column)


def nps_by_source(session: Session, workspace_id: int, f: FeedbackFilter) -> list[ScoreSource]:
    if cube.serves(f, "month"):
        return cube.nps_by_source(session, workspace_id, f)
    if (split := _split(f, "month")) is not None:
        return edges.summed_sources(
            [
                cube.nps_by_source(session, workspace_id, split.middle),
                *(
                    source_queries.feedback_nps_by_source(session, workspace_id, e)
                    for e in split.edges
                ),
            ]
        )
    return source_queries.feedback_nps_by_source(session, workspace_id, f)
