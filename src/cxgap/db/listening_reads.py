"""The Listening aggregates the screens read: from the pre-aggregated counts when the
filter and the grain are those of the counts each needs (``listening_cube.serves``: the
common case); under a topic or pillar filter, and for the drivers under any filter of the
month counts, from the topic-set counts (``listening_sets.serves``); under a touchpoint
filter from the touchpoint counts plus the topic-set counts of its topics
(``listening_touchpoints``); under a segment or persona filter from the counts per segment
(``listening_segments``), under both from the counts per segment and touchpoint (migration
0053); the drivers under one source, channel, language or sentiment
filter over all time from their counts by dimension (``listening_dimensions``); dates
inside a month as the whole months from the counts and the days at either end from the day
counts (``listening_edges``), under a topic or pillar filter from the day topic-set counts
(migration 0051), under a touchpoint or segment filter from their day counts (migration
0052; both together: 0053); otherwise (a search, two segments) from the rows
(``listening_queries``). All give the same figures (tests/db/test_listening_counts.py,
test_listening_edges.py, test_listening_sets.py, test_listening_day_sets.py,
test_listening_day_scopes.py, test_listening_touchpoints.py, test_listening_segments.py,
test_listening_dimensions.py).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, date
from typing import Literal, TypeVar

from sqlalchemy.orm import Session

from cxgap.db import listening_cube as cube
from cxgap.db import listening_dimensions as dimensions
from cxgap.db import listening_edges as edges
from cxgap.db import listening_queries as rows
from cxgap.db import listening_segments as segments
from cxgap.db import listening_set_families as families
from cxgap.db import listening_sets as sets
from cxgap.db import listening_touchpoints as touch
from cxgap.db import source_queries
from cxgap.db.feedback_filters import FeedbackFilter
from cxgap.db.listening_cube import Need
from cxgap.db.listening_queries import Grain, ScoreColumn
from cxgap.db.source_queries import ScoreSource

T = TypeVar("T")
Kind = Literal["cube", "dims", "sets", "touch", "segment", "both"]
Plan = tuple[Kind, FeedbackFilter, tuple[FeedbackFilter, ...]]
Facets = list[tuple[str, str | None, str | None, str | None, int]]


def _sets_serve(f: FeedbackFilter, need: Need) -> bool:
    """The topic-set counts serve the drivers under any month filter, and the day and month
    readers under a topic filter (at month grain)."""
    if need == "drivers":
        return sets.serves(f)
    return need != "week" and bool(f.topic_sets) and sets.serves(f)


def _touch_serves(f: FeedbackFilter, need: Need) -> bool:
    """The touchpoint counts (with the topic-set counts) serve a touchpoint filter at month
    grain (``listening_touchpoints``)."""
    return need != "week" and touch.serves(f)


def _segment_serves(f: FeedbackFilter, need: Need) -> bool:
    """The counts per segment serve a segment or persona filter at month grain
    (``listening_segments``)."""
    return need != "week" and segments.serves(f)


def _both_serve(f: FeedbackFilter, need: Need) -> bool:
    """The counts by segment and touchpoint (with the segment counts for its topics) serve a
    segment and a touchpoint together at month grain (migration 0053)."""
    return need != "week" and segments.serves_touchpoint(f)


def _cube_serves(f: FeedbackFilter, need: Need) -> bool:
    """``listening_cube.serves`` looked up at each call, as every check here is (a reference
    held since import would not see a later change of it: the benches' rows path)."""
    return cube.serves(f, need)


def _dimensions_serve(f: FeedbackFilter, need: Need) -> bool:
    """The drivers' counts by dimension serve the drivers under one dimension's filter over
    all time (``listening_dimensions``)."""
    return need == "drivers" and dimensions.serves(f)


CHECKS = (
    ("cube", _cube_serves),
    ("dims", _dimensions_serve),
    ("sets", _sets_serve),
    ("touch", _touch_serves),
    ("segment", _segment_serves),
    ("both", _both_serve),
)


def _plan(f: FeedbackFilter, need: Need) -> Plan | None:
    """Which counts serve ``f`` for ``need``, over which filter, with which edge days read
    from the rows; None: the rows."""
    for kind, check in CHECKS:
        if check(f, need):
            return kind, f, ()  # type: ignore[return-value]
    split = edges.period_split(f, "week" if need == "week" else "month")
    if split is None:
        return None
    for kind, check in CHECKS:
        if check(split.middle, need):
            return kind, split.middle, split.edges  # type: ignore[return-value]
    return None


def _days_serve(f: FeedbackFilter, need: Need) -> bool:
    """The day counts (``listening_counts`` and the month tables' day twins, migration 0048)
    serve ``f`` on any whole UTC days: a source, channel, language or sentiment filter (the
    drivers' day counts: none), no topic, touchpoint, segment or search."""
    if not _cube_serves(f, "day"):
        return False
    return need != "drivers" or not (f.source_types or f.channels or f.languages or f.sentiments)


def _day_sets_serve(f: FeedbackFilter, need: Need) -> bool:
    """The day topic-set counts (migration 0051) serve ``f`` on any whole UTC days: a topic
    or pillar filter with a source, channel, language or sentiment, and the drivers under
    those dimensions (the day driver counts have none)."""
    return need != "week" and (bool(f.topic_sets) or need == "drivers") and sets.serves_days(f)


def _day_touch_serves(f: FeedbackFilter, need: Need) -> bool:
    """The day touchpoint counts with the day topic-set counts (migration 0052) serve a
    touchpoint filter on any whole UTC days."""
    return need != "week" and touch.serves_days(f)


def _day_segment_serves(f: FeedbackFilter, need: Need) -> bool:
    """The day segment counts (migration 0052) serve a segment or persona filter on any
    whole UTC days."""
    return need != "week" and segments.serves_days(f)


def _day_both_serve(f: FeedbackFilter, need: Need) -> bool:
    """The day counts by segment and touchpoint (migration 0053) serve a segment and a
    touchpoint together on any whole UTC days."""
    return need != "week" and segments.serves_touchpoint(f, "day")


def _read(
    f: FeedbackFilter,
    need: Need,
    counted: dict[str, Callable[..., T]],
    from_rows: Callable[[FeedbackFilter], T],
    summed: Callable[[Iterable[T]], T],
) -> T:
    """``counted["cube"](filter)`` reads the counts, ``counted["sets"](filter, tables)`` a
    family of topic-set counts (the topic sets', the touchpoints', the segments'),
    ``counted["day"](filter)`` the day counts: the edge days of dates inside months, or a
    range with no whole month in it; under a topic filter (and for the drivers under a
    dimension) those days come from ``counted["sets"](filter, families.DAY_SETS)``, under a
    touchpoint or segment filter from their day tables (``DAY_TOUCH``, ``DAY_SEGMENT``)."""
    by_day = counted.get("day")

    def touched(g: FeedbackFilter, own: families.Tables, of_topics: families.Tables) -> T:
        """Its own touchpoint's records, plus those about its topics (disjoint)."""
        value = counted["sets"](g, own)
        topics = touch.topics_part(g)
        return value if topics is None else summed([value, counted["sets"](topics, of_topics)])

    def edge(g: FeedbackFilter) -> T:
        if by_day is not None and _days_serve(g, need):
            return by_day(g)
        if "sets" in counted and _day_sets_serve(g, need):
            return counted["sets"](g, families.DAY_SETS)
        if "sets" in counted and _day_touch_serves(g, need):
            return touched(g, families.DAY_TOUCH, families.DAY_SETS)
        if "sets" in counted and _day_segment_serves(g, need):
            return counted["sets"](g, families.DAY_SEGMENT)
        if "sets" in counted and _day_both_serve(g, need):
            return touched(g, families.DAY_SEGMENT_TOUCH, families.DAY_SEGMENT)
        return from_rows(g)

    plan = _plan(f, need)
    if plan is None or (plan[0] if plan[0] in ("cube", "dims") else "sets") not in counted:
        return edge(f)
    kind, middle, edge_filters = plan
    if kind in ("cube", "dims"):
        value = counted[kind](middle)
    elif kind == "touch":
        value = touched(middle, families.TOUCH, families.SETS)
    elif kind == "both":  # the segment's members: their own touchpoint, or its topics
        value = touched(middle, families.SEGMENT_TOUCH, families.SEGMENT)
    else:
        value = counted["sets"](middle, families.SEGMENT if kind == "segment" else families.SETS)
    if not edge_filters:
        return value
    return summed([value, *(edge(e) for e in edge_filters)])


def facet_table(session: Session, workspace_id: int, f: FeedbackFilter) -> Facets:
    return _read(
        f,
        "day",
        {
            "cube": lambda g: cube.facet_table(session, workspace_id, g),
            "sets": lambda g, t: sets.facet_table(session, workspace_id, g, tables=t),
        },
        lambda g: rows.facet_table(session, workspace_id, g),
        edges.summed_facets,
    )


def count_verbatims(session: Session, workspace_id: int, f: FeedbackFilter) -> int:
    return _read(
        f,
        "day",
        {
            "cube": lambda g: cube.count_verbatims(session, workspace_id, g),
            "sets": lambda g, t: sets.count_verbatims(session, workspace_id, g, tables=t),
        },
        lambda g: rows.count_verbatims(session, workspace_id, g),
        _total,
    )


def _total(parts: Iterable[int]) -> int:
    return sum(parts)


def count_enriched(session: Session, workspace_id: int) -> tuple[int, int]:
    """Records in the workspace and how many are enriched: always from the counts."""
    return cube.count_enriched(session, workspace_id)


def distinct_channels(session: Session, workspace_id: int) -> list[str]:
    """The filter form's channel choices: always from the counts."""
    return cube.distinct_channels(session, workspace_id)


def topic_facet_counts(
    session: Session, workspace_id: int, f: FeedbackFilter
) -> list[tuple[str, int]]:
    return _read(
        f,
        "month",
        {
            "cube": lambda g: cube.topic_facet_counts(session, workspace_id, g),
            "day": lambda g: cube.topic_facet_counts(session, workspace_id, g, by_day=True),
            "sets": lambda g, t: sets.topic_facet_counts(session, workspace_id, g, tables=t),
        },
        lambda g: rows.topic_facet_counts(session, workspace_id, g),
        edges.summed_pairs,
    )


def _row_bounds(session: Session, workspace_id: int, f: FeedbackFilter) -> tuple[date, date] | None:
    bounds = rows.date_bounds(session, workspace_id, f)
    if bounds is None:
        return None
    return bounds[0].astimezone(UTC).date(), bounds[1].astimezone(UTC).date()


def day_bounds(session: Session, workspace_id: int, f: FeedbackFilter) -> tuple[date, date] | None:
    """The first and last UTC day with records under the filter."""
    if cube.serves(f):
        return cube.day_bounds(session, workspace_id, f)
    return _read(
        f,
        "day",
        {
            "sets": lambda g, t: sets.day_bounds(session, workspace_id, g, tables=t),
        },
        lambda g: _row_bounds(session, workspace_id, g),
        edges.widest,
    )


def mention_counts(
    session: Session, workspace_id: int, f: FeedbackFilter, grain: Grain
) -> list[tuple[str, str, str, int, float]]:
    if grain != "month":
        return rows.mention_counts(session, workspace_id, f, grain)
    return _read(
        f,
        "month",
        {
            "cube": lambda g: cube.mention_counts(session, workspace_id, g),
            "day": lambda g: cube.mention_counts(session, workspace_id, g, by_day=True),
            "sets": lambda g, t: sets.mention_counts(session, workspace_id, g, tables=t),
        },
        lambda g: rows.mention_counts(session, workspace_id, g, grain),
        edges.summed_mentions,
    )


def score_histograms(
    session: Session, workspace_id: int, f: FeedbackFilter, column: ScoreColumn, grain: Grain
) -> dict[str, dict[int, int]]:
    counted: dict[str, Callable[..., dict[str, dict[int, int]]]] = {
        "cube": lambda g: cube.score_histograms(session, workspace_id, g, column),
        "sets": lambda g, t: sets.score_histograms(session, workspace_id, g, column, tables=t),
        "day": lambda g: cube.score_histograms(session, workspace_id, g, column, by_day=True),
    }
    if grain == "week":
        counted = {
            "cube": lambda g: cube.week_score_histograms(session, workspace_id, g, column),
            "day": lambda g: cube.week_score_histograms(
                session, workspace_id, g, column, by_day=True
            ),
        }
    return _read(
        f,
        grain,
        counted,
        lambda g: rows.score_histograms(session, workspace_id, g, column, grain),
        edges.summed_histograms,
    )


def sentiment_histograms(
    session: Session, workspace_id: int, f: FeedbackFilter, grain: Grain
) -> dict[str, dict[int, int]]:
    if cube.serves(f):
        return cube.sentiment_histograms(session, workspace_id, f, grain)
    if grain == "week":
        return rows.sentiment_histograms(session, workspace_id, f, grain)
    return _read(
        f,
        "month",
        {
            "sets": lambda g, t: sets.sentiment_histograms(session, workspace_id, g, tables=t),
        },
        lambda g: rows.sentiment_histograms(session, workspace_id, g, grain),
        edges.summed_histograms,
    )


def has_scores(session: Session, workspace_id: int, f: FeedbackFilter, column: ScoreColumn) -> bool:
    return _read(
        f,
        "month",
        {
            "cube": lambda g: cube.has_scores(session, workspace_id, g, column),
            "day": lambda g: cube.has_scores(session, workspace_id, g, column, by_day=True),
            "sets": lambda g, t: sets.has_scores(session, workspace_id, g, column, tables=t),
        },
        lambda g: rows.has_scores(session, workspace_id, g, column),
        any,
    )


def driver_patterns(
    session: Session, workspace_id: int, f: FeedbackFilter, column: ScoreColumn
) -> list[tuple[frozenset[str], int, int]]:
    """In one order whatever the path (topics sorted, then the score): the drivers'
    bootstrap resamples them by position, so its intervals depend on it."""
    return sorted(_patterns(session, workspace_id, f, column), key=_pattern_order)


def _pattern_order(pattern: tuple[frozenset[str], int, int]) -> tuple[list[str], int]:
    return sorted(pattern[0]), pattern[1]


def _patterns(
    session: Session, workspace_id: int, f: FeedbackFilter, column: ScoreColumn
) -> list[tuple[frozenset[str], int, int]]:
    return _read(
        f,
        "drivers",
        {
            "cube": lambda g: cube.driver_patterns(session, workspace_id, g, column),
            "day": lambda g: cube.driver_patterns(session, workspace_id, g, column, by_day=True),
            "dims": lambda g: dimensions.driver_patterns(session, workspace_id, g, column),
            "sets": lambda g, t: sets.driver_patterns(session, workspace_id, g, column, tables=t),
        },
        lambda g: rows.driver_patterns(session, workspace_id, g, column),
        edges.summed_patterns,
    )


def nps_by_source(session: Session, workspace_id: int, f: FeedbackFilter) -> list[ScoreSource]:
    return _read(
        f,
        "month",
        {
            "cube": lambda g: cube.nps_by_source(session, workspace_id, g),
            "day": lambda g: cube.nps_by_source(session, workspace_id, g, by_day=True),
            "sets": lambda g, t: sets.nps_by_source(session, workspace_id, g, tables=t),
        },
        lambda g: source_queries.feedback_nps_by_source(session, workspace_id, g),
        edges.summed_sources,
    )
