"""Topics and irritants: per-topic statistics from mention counts, and the irritant ranking.

A *mention* is one clause of one verbatim about a topic (a finding), counted once for every
feedback record that carries the text. Everything here starts from counts per topic, period
and sentiment that the database aggregated, so a million verbatims cost nothing more.

Irritant score (seed 004: remove the irritants of the critical moments first)::

    score = mentions × share of negative mentions × criticality weight
          = negative mentions × criticality weight

The criticality weight is the declared criticality of the journey touchpoints the topic maps
to: critical 1.0, sensitive 0.6, low / neutral 0.3, and 0.5 when the topic maps to no
touchpoint with a declared criticality. A topic mapped to several touchpoints takes the most
critical one: an irritant matters as much as the worst moment it spoils.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from cxgap.errors import ValidationError

CRITICALITY_WEIGHTS: Mapping[str, float] = {
    "critical": 1.0,
    "sensitive": 0.6,
    "low_neutral": 0.3,
}
UNKNOWN_CRITICALITY_WEIGHT = 0.5
SENTIMENTS = ("positive", "neutral", "negative")


@dataclass(frozen=True)
class MentionCount:
    """Mentions of one topic in one period with one sentiment, and the sum of their scores."""

    topic_key: str
    period: str
    sentiment: str
    count: int
    score_sum: float


@dataclass(frozen=True)
class PeriodShare:
    """One period of a topic: mentions, negative mentions and their share."""

    period: str
    mentions: int
    negative: int

    @property
    def share_negative(self) -> float | None:
        return self.negative / self.mentions if self.mentions else None


@dataclass(frozen=True)
class ShareChange:
    """Share negative in the last period against the one before, with a two-sided z test."""

    last: PeriodShare
    previous: PeriodShare
    difference: float | None
    p_value: float | None

    def significant(self, alpha: float = 0.05) -> bool:
        return self.p_value is not None and self.p_value < alpha


@dataclass(frozen=True)
class TopicStats:
    """What customers say about one topic."""

    topic_key: str
    mentions: int
    negative: int
    positive: int
    mean_score: float | None
    periods: tuple[PeriodShare, ...]

    @property
    def share_negative(self) -> float | None:
        return self.negative / self.mentions if self.mentions else None


@dataclass(frozen=True)
class Irritant:
    """A topic with negative mentions, scored for the ranking."""

    stats: TopicStats
    criticality: str | None
    weight: float
    score: float
    change: ShareChange | None


def criticality_weight(levels: Iterable[str | None]) -> tuple[str | None, float]:
    """The most critical declared level among a topic's touchpoints, and its weight.

    >>> criticality_weight(["low_neutral", "critical", None])
    ('critical', 1.0)
    >>> criticality_weight([None])
    (None, 0.5)
    """
    known = [level for level in levels if level is not None]
    for level in known:
        if level not in CRITICALITY_WEIGHTS:
            raise ValidationError.single("criticality", "unknown criticality level", level)
    if not known:
        return None, UNKNOWN_CRITICALITY_WEIGHT
    best = max(known, key=lambda level: CRITICALITY_WEIGHTS[level])
    return best, CRITICALITY_WEIGHTS[best]


def topic_stats(counts: Iterable[MentionCount], periods: Sequence[str]) -> list[TopicStats]:
    """Per topic: mentions, negative and positive mentions, mean score and the share negative
    of every period in ``periods`` (periods without mentions included), by mentions descending.

    >>> rows = [MentionCount("delivery", "2026-01-01", "negative", 3, -2.1),
    ...         MentionCount("delivery", "2026-02-01", "positive", 1, 0.8)]
    >>> s = topic_stats(rows, ["2026-01-01", "2026-02-01"])[0]
    >>> s.mentions, s.negative, round(s.mean_score, 3), [p.negative for p in s.periods]
    (4, 3, -0.325, [3, 0])
    """
    by_topic: dict[str, list[MentionCount]] = {}
    for row in counts:
        if row.sentiment not in SENTIMENTS:
            raise ValidationError.single("sentiment", "unknown sentiment", row.sentiment)
        if row.count < 0:
            raise ValidationError.single("count", "must not be negative", row.count)
        by_topic.setdefault(row.topic_key, []).append(row)
    stats = [_one_topic(key, rows, periods) for key, rows in by_topic.items()]
    return sorted(stats, key=lambda s: (-s.mentions, s.topic_key))


def _one_topic(key: str, rows: list[MentionCount], periods: Sequence[str]) -> TopicStats:
    mentions = sum(r.count for r in rows)
    per_period = {p: [0, 0] for p in periods}
    for row in rows:
        slot = per_period.setdefault(row.period, [0, 0])
        slot[0] += row.count
        slot[1] += row.count if row.sentiment == "negative" else 0
    return TopicStats(
        topic_key=key,
        mentions=mentions,
        negative=sum(r.count for r in rows if r.sentiment == "negative"),
        positive=sum(r.count for r in rows if r.sentiment == "positive"),
        mean_score=sum(r.score_sum for r in rows) / mentions if mentions else None,
        periods=tuple(PeriodShare(p, m, n) for p, (m, n) in sorted(per_period.items())),
    )


def share_change(previous: PeriodShare, last: PeriodShare) -> ShareChange:
    """Two-proportion z test (pooled variance) of the share negative between two periods.

    Examples
    --------
    >>> change = share_change(PeriodShare("jan", 200, 40), PeriodShare("feb", 200, 60))
    >>> round(change.difference, 3), round(change.p_value, 4)  # z = 0.1 / 0.0433 = 2.309
    (0.1, 0.0209)
    """
    from scipy import special

    if not previous.mentions or not last.mentions:
        return ShareChange(last, previous, None, None)
    difference = last.negative / last.mentions - previous.negative / previous.mentions
    pooled = (last.negative + previous.negative) / (last.mentions + previous.mentions)
    variance = pooled * (1 - pooled) * (1 / last.mentions + 1 / previous.mentions)
    if variance == 0:
        return ShareChange(last, previous, difference, None)
    z = difference / math.sqrt(variance)
    return ShareChange(last, previous, difference, float(2 * special.ndtr(-abs(z))))


def rank_irritants(
    stats: Iterable[TopicStats], criticality: Mapping[str, Sequence[str | None]]
) -> list[Irritant]:
    """Topics with negative mentions, by score descending (see the module docstring).

    ``criticality`` maps a topic key to the declared levels of the touchpoints it maps to.

    >>> a = TopicStats("price", 100, 20, 50, 0.1, ())
    >>> b = TopicStats("delivery", 60, 30, 10, -0.3, ())
    >>> ranked = rank_irritants([a, b], {"price": ["critical"]})  # delivery: unknown, 0.5
    >>> [(i.stats.topic_key, i.score) for i in ranked]
    [('price', 20.0), ('delivery', 15.0)]
    """
    irritants = []
    for item in stats:
        if not item.negative:
            continue
        level, weight = criticality_weight(criticality.get(item.topic_key, ()))
        change = share_change(*item.periods[-2:]) if len(item.periods) >= 2 else None
        score = item.mentions * (item.negative / item.mentions) * weight
        irritants.append(Irritant(item, level, weight, score, change))
    return sorted(irritants, key=lambda i: (-i.score, i.stats.topic_key))
