"""Dates inside a month (or a week): the whole months (weeks) from the counts, the days at
either end from the rows (docs/scale.md, "Listening under filters at 10 M").

``from`` 2025-03-15 ``to`` 2025-09-10 is read as 15-31 March from the rows, April to August
from ``listening_*_counts`` and 1-10 September from the rows: three disjoint sets of records
whose counts add up to exactly what the rows give for the whole range. The rows then read
at most two partial months (through ``ix_feedback_ws_collected_at``), not every month of the
range. The same for weeks (Monday to Sunday, UTC) and the week counts.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta

from cxgap.db.feedback_filters import FeedbackFilter
from cxgap.db.listening_queries import Grain
from cxgap.db.source_queries import ScoreSource


@dataclasses.dataclass(frozen=True)
class PeriodSplit:
    """``middle``: the same filter over the whole periods inside the range; ``edges``: over
    the days before and after them (one or two filters)."""

    middle: FeedbackFilter
    edges: tuple[FeedbackFilter, ...]


def _start(moment: datetime, grain: Grain) -> datetime:
    """The start of the month or week (Monday) ``moment`` falls in, UTC."""
    day = moment.astimezone(UTC).date()
    first = day.replace(day=1) if grain == "month" else day - timedelta(days=day.weekday())
    return datetime.combine(first, time(0), UTC)


def _next(moment: datetime, grain: Grain) -> datetime:
    start = _start(moment, grain)
    if grain == "week":
        return start + timedelta(days=7)
    year, month = (start.year + 1, 1) if start.month == 12 else (start.year, start.month + 1)
    return start.replace(year=year, month=month)


def _midnight(moment: datetime | None) -> bool:
    return moment is None or moment.astimezone(UTC).timetz() == time(0, tzinfo=UTC)


def period_split(f: FeedbackFilter, grain: Grain = "month") -> PeriodSplit | None:
    """The split of ``f``'s dates into whole periods and edge days; None when the dates are
    not whole UTC days, are whole periods already, or hold no whole period."""
    low, high = f.date_from, f.date_to
    if not (_midnight(low) and _midnight(high)):
        return None
    first = None if low is None else low if _start(low, grain) == low else _next(low, grain)
    last = None if high is None else _start(high, grain)
    if first == low and last == high:
        return None  # whole periods: the counts serve it as it is
    if first is not None and last is not None and first >= last:
        return None  # inside one period (or two partial ones): the rows, a few days of them
    edges = []
    if low is not None and first != low:
        edges.append(dataclasses.replace(f, date_from=low, date_to=first))
    if high is not None and last != high:
        edges.append(dataclasses.replace(f, date_from=last, date_to=high))
    return PeriodSplit(dataclasses.replace(f, date_from=first, date_to=last), tuple(edges))


def summed_pairs(parts: Iterable[list[tuple[str, int]]]) -> list[tuple[str, int]]:
    """Counts per key added up, most frequent first (as ``topic_facet_counts`` orders)."""
    total: dict[str, int] = defaultdict(int)
    for part in parts:
        for key, n in part:
            total[key] += n
    return sorted(total.items(), key=lambda item: (-item[1], item[0]))


def summed_mentions(
    parts: Iterable[list[tuple[str, str, str, int, float]]],
) -> list[tuple[str, str, str, int, float]]:
    """Mentions and score sums per (topic, period, sentiment) added up."""
    total: dict[tuple[str, str, str], list[float]] = {}
    for part in parts:
        for topic, period, sentiment, n, score in part:
            cell = total.setdefault((topic, period, sentiment), [0, 0.0])
            cell[0] += n
            cell[1] += score
    return [(*key, int(n), float(score)) for key, (n, score) in total.items()]


def summed_histograms(parts: Iterable[dict[str, dict[int, int]]]) -> dict[str, dict[int, int]]:
    """period -> value -> count, added up."""
    total: dict[str, dict[int, int]] = defaultdict(dict)
    for part in parts:
        for period, histogram in part.items():
            cell = total[period]
            for value, n in histogram.items():
                cell[value] = cell.get(value, 0) + n
    return dict(total)


def summed_patterns(
    parts: Iterable[list[tuple[frozenset[str], int, int]]],
) -> list[tuple[frozenset[str], int, int]]:
    """Driver patterns' counts per (topic set, score) added up."""
    total: dict[tuple[frozenset[str], int], int] = defaultdict(int)
    for part in parts:
        for topics, value, n in part:
            total[(topics, value)] += n
    return [(topics, value, n) for (topics, value), n in total.items()]


def _day_start(moment: datetime | None) -> datetime | None:
    if moment is None:
        return None
    return datetime.combine(moment.astimezone(UTC).date(), time(0), UTC)


def summed_sources(parts: Iterable[list[ScoreSource]]) -> list[ScoreSource]:
    """NPS sources merged: histograms added, first and last day the earliest and latest (at
    their day's midnight, as the counts give them); largest source first."""
    histograms: dict[str | None, dict[int, int]] = defaultdict(dict)
    days: dict[str | None, list[datetime]] = defaultdict(list)
    for part in parts:
        for source in part:
            cell = histograms[source.source_type]
            for value, n in source.histogram.items():
                cell[value] = cell.get(value, 0) + n
            days[source.source_type] += [
                d for d in (_day_start(source.first), _day_start(source.last)) if d is not None
            ]
    merged = [
        ScoreSource(key, histogram, min(days[key], default=None), max(days[key], default=None))
        for key, histogram in histograms.items()
    ]
    return sorted(merged, key=lambda s: (-sum(s.histogram.values()), s.source_type or ""))


def summed_facets(
    parts: Iterable[list[tuple[str, str | None, str | None, str | None, int]]],
) -> list[tuple[str, str | None, str | None, str | None, int]]:
    """Facet rows' counts per (source, channel, language, sentiment) added up."""
    total: dict[tuple[str, str | None, str | None, str | None], int] = defaultdict(int)
    for part in parts:
        for source, channel, language, sentiment, n in part:
            total[(source, channel, language, sentiment)] += n
    return [(*key, n) for key, n in total.items()]


def widest(parts: Iterable[tuple[date, date] | None]) -> tuple[date, date] | None:
    """The first and last day over the parts that have records."""
    found = [part for part in parts if part is not None]
    if not found:
        return None
    return min(low for low, _ in found), max(high for _, high in found)
