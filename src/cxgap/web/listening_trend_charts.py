"""The trends page's charts and the Listening pages' period and day labels, in the
reader's language."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from cxgap.i18n import translate
from cxgap.reporting.formatting import format_nps, format_number, format_percent
from cxgap.reporting.listening_charts import SeriesPoint, series_chart
from cxgap.reporting.svg import ChartText


def value_text(metric: str, value: float | None, locale: str) -> str:
    if metric == "nps":
        return format_nps(value, locale)
    if metric in ("csat", "negative"):
        return format_percent(value, locale)
    return format_number(value, locale, decimals=2)


DOMAINS: Mapping[str, tuple[float, float]] = {
    "nps": (-100.0, 100.0),
    "csat": (0.0, 1.0),
    "ces": (1.0, 7.0),
    "stars": (1.0, 5.0),
    "negative": (0.0, 1.0),
}


def trend_chart(series: Any, grain: str, locale: str, min_group_size: int) -> str:
    points = []
    for point in series.points:
        label = period_label(point.period, grain, locale)
        if point.suppressed:
            note = translate(
                "listening.trends.suppressed_point",
                locale,
                period=label,
                n=point.n,
                size=min_group_size,
            )
        else:
            low, high = point.ci or (None, None)
            note = translate(
                "listening.trends.point",
                locale,
                period=label,
                value=value_text(series.metric, point.value, locale),
                low=value_text(series.metric, low, locale),
                high=value_text(series.metric, high, locale),
                n=point.n,
            )
        low, high = point.ci or (None, None)
        points.append(SeriesPoint(label, point.value, low, high, note))
    metric_name = translate(f"listening.trends.{series.metric}", locale)
    chart = ChartText(
        f"trend-{series.metric}",
        metric_name,
        translate("listening.trends.chart_desc", locale, metric=metric_name),
    )
    ticks = None
    if series.metric in ("csat", "negative"):
        ticks = {v / 4: format_percent(v / 4, locale) for v in range(5)}
    hidden = translate("listening.trends.hidden_note", locale, size=min_group_size)
    return series_chart(
        points, chart, domain=DOMAINS[series.metric], tick_text=ticks, hidden_note=hidden
    )


def period_label(period: str, grain: str, locale: str) -> str:
    day = datetime.fromisoformat(period)
    month = translate(f"listening.month.{day.month}", locale)
    if grain == "week":
        return f"{day.day} {month}"
    return f"{month} {day.year % 100:02d}"


def format_day(moment: datetime, locale: str) -> str:
    """``12 Jan 2026`` / ``12 janv. 2026``."""
    month = translate(f"listening.month.{moment.month}", locale)
    return f"{moment.day} {month} {moment.year}"
