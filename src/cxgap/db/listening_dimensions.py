"""The drivers' patterns under one filter dimension, from counts without the month
(``listening_dimension_driver_counts``, migration 0049; docs/scale.md, "The drivers page").

Under a source, channel, language or sentiment filter the drivers read the topic-set score
counts (``listening_sets``), keyed by the month and every dimension: at 10 M the filter's
slice of that table is millions of rows, read on every page. Without a date filter (the
page's default: all time) the patterns only need the dimension's value, the score and the
stored topics: at most 12 dimension values × 11 scores × the stored topic lists, a few
thousand rows per value whatever the volume. Each enriched record counts once per dimension,
so one dimension's values (several: an OR) add up exactly; two dimensions at once, or dates,
read the topic-set counts as before.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import func, insert, literal, select
from sqlalchemy.orm import Session

from cxgap.db import listening_cube as cube
from cxgap.db.feedback_filters import FeedbackFilter
from cxgap.db.listening_count_tables import ListeningDimensionDriverCount, ListeningSetScoreCount
from cxgap.db.listening_queries import ScoreColumn

# The filter's attribute for each dimension of the counts.
BY = {
    "source_type": "source_types",
    "channel": "channels",
    "language": "languages",
    "sentiment": "sentiments",
}
OUTCOMES = ("nps", "stars")


def _chosen(f: FeedbackFilter) -> list[str]:
    return [dimension for dimension, attribute in BY.items() if getattr(f, attribute)]


def serves(f: FeedbackFilter) -> bool:
    """One dimension filtered (any of its values), no date, nothing the day counts do not
    hold (a topic, touchpoint, segment, search)."""
    if f.date_from is not None or f.date_to is not None:
        return False
    return cube.serves(f, "day") and len(_chosen(f)) == 1


def driver_patterns(
    session: Session, workspace_id: int, f: FeedbackFilter, column: ScoreColumn
) -> list[tuple[frozenset[str], int, int]]:
    """As ``listening_queries.driver_patterns`` under a filter :func:`serves`."""
    m = ListeningDimensionDriverCount
    (dimension,) = _chosen(f)
    values = list(getattr(f, BY[dimension]))
    total = func.sum(m.n)
    query = (
        select(m.topics, m.value, total)
        .where(
            m.workspace_id == workspace_id,
            m.dimension == dimension,
            m.dim_value.in_(values),
            m.metric == column,
        )
        .group_by(m.topics, m.value)
        .having(total != 0)
    )
    merged: dict[tuple[frozenset[str], int], int] = defaultdict(int)
    parsed: dict[str, frozenset[str]] = {}
    for keys, value, n in session.execute(query):
        merged[(cube.topic_set(keys, parsed), int(value))] += int(n)
    return [(topics, value, n) for (topics, value), n in merged.items()]


def fill_from_sets(db: Any) -> None:
    """Every workspace's counts summed from the topic-set score counts (0040), which hold
    the same records (enriched, with the score) by month and every dimension: one grouped
    pass over a count table per dimension, not over the rows (migration 0049)."""
    s, m = ListeningSetScoreCount, ListeningDimensionDriverCount
    for dimension in BY:
        by = getattr(s, dimension)
        total = func.sum(s.n)
        keys = [s.workspace_id, by, s.metric, s.value, s.topics]
        summed = (
            select(s.workspace_id, literal(dimension), by, s.metric, s.value, s.topics, total)
            .where(s.metric.in_(OUTCOMES))
            .group_by(*keys)
            .having(total != 0)
        )
        columns = ["workspace_id", "dimension", "dim_value", "metric", "value", "topics", "n"]
        db.execute(insert(m).from_select(columns, summed))
