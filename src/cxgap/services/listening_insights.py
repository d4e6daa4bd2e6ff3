"""Listening insights: topics and irritants, NPS / CSAT / CES over time, key drivers.

Each function gathers aggregates with ``db.listening_queries`` and hands them to the pure
statistics in ``analytics``; the filters are those of the explorer
(:func:`cxgap.services.listening.parse_filters`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import numpy as np
from numpy.typing import NDArray
from sqlalchemy.orm import Session

from cxgap.analytics.drivers import DriverAnalysis, analyse_drivers, weighted_rows
from cxgap.analytics.irritants import (
    Irritant,
    MentionCount,
    TopicStats,
    rank_irritants,
    topic_stats,
)
from cxgap.analytics.timeseries import (
    Metric,
    MetricSeries,
    metric_series,
    period_range,
    period_start,
)
from cxgap.db import listening_queries as q
from cxgap.db import listening_reads as counts_of
from cxgap.db.feedback_filters import FeedbackFilter
from cxgap.db.listening_examples import ExampleRow, worst_examples
from cxgap.db.tables import Workspace
from cxgap.services.listening import Coverage, Filters, Grain, coverage, feedback_filter
from cxgap.services.listening_sources import NpsSources, nps_sources
from cxgap.services.search_estimate import SearchEstimate, estimate_of

MAX_IRRITANTS = 10
EXAMPLES_PER_IRRITANT = 3
Level = Literal["topic", "pillar"]
SERIES: tuple[Metric, ...] = ("nps", "csat", "ces", "stars", "negative")


@dataclass(frozen=True)
class IrritantView:
    irritant: Irritant
    examples: list[ExampleRow]


@dataclass(frozen=True)
class TopicsView:
    coverage: Coverage
    periods: list[str]
    topics: list[TopicStats]
    irritants: list[IrritantView]
    # A broad search from a page sample: the mentions (and so the scores) are the sample's,
    # shown times ``estimate.factor``; shares, means and trends are the sample's as they are.
    estimate: SearchEstimate | None = None


@dataclass(frozen=True)
class TrendsView:
    coverage: Coverage
    grain: Grain
    periods: list[str]
    series: list[MetricSeries]
    min_group_size: int
    confidence: float
    sources: NpsSources
    estimate: SearchEstimate | None = None  # the intervals are the sample's own

    @property
    def shown(self) -> list[MetricSeries]:
        """The series with answers, in the order of ``SERIES``."""
        return [s for s in self.series if s.total]

    @property
    def missing(self) -> list[str]:
        """The metrics nobody answered under the filter."""
        return [s.metric for s in self.series if not s.total]


@dataclass(frozen=True)
class DriversView:
    coverage: Coverage
    outcome: str | None  # nps | stars, None when neither was collected
    level: Level
    n: int
    analysis: DriverAnalysis | None
    too_few: bool
    min_group_size: int
    # Per driver: its mentions (one per finding) and the share of them that are negative.
    mentions: dict[str, int] = field(default_factory=dict)
    negative_shares: dict[str, float] = field(default_factory=dict)
    estimate: SearchEstimate | None = None  # ``n`` and the weights are the sample's


def _periods(
    session: Session, workspace: Workspace, where: FeedbackFilter, grain: Grain
) -> list[str]:
    bounds = counts_of.day_bounds(session, workspace.id, where)
    if bounds is None:
        return []
    first = period_start(bounds[0], grain)
    last = period_start(bounds[1], grain)
    return period_range(first.isoformat(), last.isoformat(), grain)


def topics_view(session: Session, workspace: Workspace, filters: Filters) -> TopicsView:
    """Per topic volume, share negative, mean score and monthly trend; the irritants ranked
    with their last-month change and most negative verbatims."""
    topics = q.topic_rows(session, workspace.id)
    where = feedback_filter(session, workspace, filters, topics, estimate=True)
    periods = _periods(session, workspace, where, "month")
    counts = [
        MentionCount(*row)
        for row in counts_of.mention_counts(session, workspace.id, where, "month")
    ]
    stats = topic_stats(counts, periods)
    levels = q.touchpoint_levels(session, workspace.id)
    criticality = {
        t.key: [level for tp in t.touchpoint_keys for level in levels.get(tp, [None])]
        for t in topics
    }
    ranked = rank_irritants(stats, criticality)[:MAX_IRRITANTS]
    irritants = [
        IrritantView(
            item,
            worst_examples(
                session,
                workspace.id,
                where,
                item.stats.topic_key,
                EXAMPLES_PER_IRRITANT,
                # the read stops once every negative finding under the filter is found (a
                # broad search's counts are a sample's estimate: not a bound)
                negative=item.stats.negative if where.sample is None else None,
            ),
        )
        for item in ranked
    ]
    return TopicsView(coverage(session, workspace), periods, stats, irritants, estimate_of(where))


def trends_view(
    session: Session,
    workspace: Workspace,
    filters: Filters,
    *,
    grain: Grain,
    min_group_size: int,
    confidence: float = 0.95,
) -> TrendsView:
    """NPS, CSAT (top-2-box), CES (mean), mean stars and the share of negative verbatims
    per month or week with their intervals, and the NPS of every source side by side."""
    where = feedback_filter(
        session, workspace, filters, q.topic_rows(session, workspace.id), estimate=True
    )
    periods = _periods(session, workspace, where, grain)
    series = []
    for metric in SERIES:
        histograms = (
            counts_of.sentiment_histograms(session, workspace.id, where, grain)
            if metric == "negative"
            else counts_of.score_histograms(session, workspace.id, where, metric, grain)
        )
        series.append(
            metric_series(
                histograms, metric, periods, min_group_size=min_group_size, confidence=confidence
            )
        )
    sources = nps_sources(
        session, workspace, filters, min_group_size=min_group_size, confidence=confidence
    )
    return TrendsView(
        coverage(session, workspace),
        grain,
        periods,
        series,
        min_group_size,
        confidence,
        sources,
        estimate_of(where),
    )


def drivers_view(
    session: Session,
    workspace: Workspace,
    filters: Filters,
    *,
    level: Level,
    min_group_size: int,
    bootstrap: int = 200,
) -> DriversView:
    """Relative weights of topic (or pillar) mentions on NPS, or on stars without NPS."""
    topics = q.topic_rows(session, workspace.id)
    where = feedback_filter(session, workspace, filters, topics, estimate=True)
    outcome: q.ScoreColumn | None = None
    for column in ("nps", "stars"):
        if counts_of.has_scores(session, workspace.id, where, column):
            outcome = column
            break
    state = coverage(session, workspace)
    estimate = estimate_of(where)
    if outcome is None:
        return DriversView(state, None, level, 0, None, True, min_group_size, estimate=estimate)
    patterns = counts_of.driver_patterns(session, workspace.id, where, outcome)
    names, groups = _predictors(topics, level)
    x = _presence(patterns, groups)
    y = np.array([value for _, value, _ in patterns], dtype=np.float64)
    w = np.array([count for _, _, count in patterns], dtype=np.float64)
    n = int(w.sum())
    scores_vary = len(set(y.tolist())) > 1
    if n < max(min_group_size, 3) or not scores_vary or not names:
        return DriversView(state, outcome, level, n, None, True, min_group_size, estimate=estimate)
    analysis = analyse_drivers(weighted_rows(x, y, w), names, bootstrap=bootstrap)
    mentions, negative = _mention_sentiment(session, workspace, where, names, groups)
    return DriversView(
        state, outcome, level, n, analysis, False, min_group_size, mentions, negative, estimate
    )


def _presence(
    patterns: list[tuple[frozenset[str], int, int]], groups: list[frozenset[str]]
) -> NDArray[np.float64]:
    """1 where a pattern mentions one of a predictor's topics (patterns × predictors): each
    pattern's few topics looked up, not every predictor tested against every pattern."""
    columns: dict[str, list[int]] = {}
    for j, members in enumerate(groups):
        for key in members:
            columns.setdefault(key, []).append(j)
    x = np.zeros((len(patterns), len(groups)))
    for i, (found, _, _) in enumerate(patterns):
        for key in found:
            x[i, columns.get(key, [])] = 1.0
    return x


def _mention_sentiment(
    session: Session,
    workspace: Workspace,
    where: FeedbackFilter,
    names: list[str],
    groups: list[frozenset[str]],
) -> tuple[dict[str, int], dict[str, float]]:
    """Each predictor's mentions under the filter and the share of them that are negative
    (a pillar's are those of its topics)."""
    total: dict[str, int] = {}
    negative: dict[str, int] = {}
    for topic, _period, sentiment, count, _score in counts_of.mention_counts(
        session, workspace.id, where, "month"
    ):
        total[topic] = total.get(topic, 0) + count
        if sentiment == "negative":
            negative[topic] = negative.get(topic, 0) + count
    mentions = {
        name: sum(total.get(t, 0) for t in group) for name, group in zip(names, groups, strict=True)
    }
    shares = {
        name: sum(negative.get(t, 0) for t in group) / mentions[name]
        for name, group in zip(names, groups, strict=True)
        if mentions[name]
    }
    return mentions, shares


def _predictors(topics: list[q.TopicRow], level: Level) -> tuple[list[str], list[frozenset[str]]]:
    """Predictor names and, for each, the topic keys whose mention makes it present."""
    if level == "topic":
        return [t.key for t in topics], [frozenset({t.key}) for t in topics]
    pillars: dict[str, set[str]] = {}
    for topic in topics:
        for pillar in topic.pillar_keys:
            pillars.setdefault(pillar, set()).add(topic.key)
    keys = sorted(pillars)
    return keys, [frozenset(pillars[k]) for k in keys]
