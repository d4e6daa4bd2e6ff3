"""The impact chart: a metric's periods with the action's date marked, the lines the analysis
fitted on each side (and the old trend carried on, dotted: where the metric would be without
the action), and the control series dashed. An inline SVG built on
:mod:`cxgap.reporting.svg`, labelled for screen readers by its title and description. Pure."""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date

import numpy as np

from cxgap.i18n import plural_form, translate
from cxgap.i18n.numbers import format_decimal
from cxgap.impact.result import SEGMENTED_REGRESSION, Impact
from cxgap.impact.segmented import design
from cxgap.impact.series import Point
from cxgap.impact.words import sentences
from cxgap.reporting.svg import (
    AXIS,
    BLUE,
    GREY,
    GRID,
    INK,
    MUTED,
    ORANGE,
    SMALL_FONT,
    ChartText,
    Scale,
    attrs,
    circle,
    document,
    line,
    nice_step,
    num,
    text,
    text_width,
    ticks,
    tooltip,
)

WIDTH, HEIGHT = 480.0, 300.0
LEFT, RIGHT, TOP, BOTTOM = 56.0, 16.0, 28.0, 78.0
Segment = tuple[tuple[float, float], tuple[float, float]]  # (period index, value) at each end


def impact_svg(
    points: Sequence[Point],
    when: date,
    *,
    locale: str,
    impact: Impact | None = None,
    control: Sequence[Point] | None = None,
    chart_id: str = "impact-chart",
    bounds: tuple[float, float] | None = None,
) -> str:
    """The series ``points`` (any order) with ``when`` marked; ``impact`` adds its fitted
    lines, ``control`` the untouched series, dashed. ``bounds`` are the metric's possible
    values (a share's 0 and 1): the axis stays within them and the fitted lines (a trend
    carried on can leave them) are cut at its ends."""
    ordered = sorted(points, key=lambda p: p.period)
    others = sorted(control or (), key=lambda p: p.period)
    periods = sorted({p.period for p in ordered} | {p.period for p in others})
    at = {period: i for i, period in enumerate(periods)}
    fitted = _fitted(ordered, impact, at)
    values = [p.value for p in (*ordered, *others)] + [v for s in fitted for _, v in s[1]]
    low, high = _domain(values)
    if bounds is not None:
        low, high = max(low, bounds[0]), min(high, bounds[1])
        fitted = [(kind, cut) for kind, seg in fitted if (cut := _clip(seg, low, high))]
    x = Scale(0.0, max(len(periods) - 1, 1), LEFT + 10, WIDTH - RIGHT - 10)
    y = Scale(low, high, HEIGHT - BOTTOM, TOP)
    body = _grid(y, low, high, locale) + _x_labels(periods, x)
    body += _when_mark(_when_x(periods, when, x), when, locale)
    for kind, (start, end) in fitted:
        body.append(_segment(kind, start, end, x, y))
    if others:
        body += _series(others, at, x, y, ORANGE, dashed=True, locale=locale)
    body += _series(ordered, at, x, y, BLUE, dashed=False, locale=locale)
    body += _legend(locale, bool(others), bool(fitted))
    return document(_text(ordered, when, impact, locale, chart_id), WIDTH, HEIGHT, body)


def _fitted(
    ordered: Sequence[Point], impact: Impact | None, at: dict[date, int]
) -> list[tuple[str, Segment]]:
    """The lines of the analysis, in chart positions: each side's fit and, for the
    segmented regression, the trend before carried on after the date (the counterfactual)."""
    if impact is None or len(ordered) < 2:
        return []
    values = np.array([p.value for p in ordered], dtype=np.float64)
    t0 = impact.n_before
    if t0 <= 0 or t0 >= len(ordered):
        return []
    pos = [float(at[p.period]) for p in ordered]
    first, last, before_end = pos[0], pos[-1], pos[t0 - 1]
    if impact.method != SEGMENTED_REGRESSION:
        mean_before, mean_after = float(values[:t0].mean()), float(values[t0:].mean())
        return [
            ("fit", ((first, mean_before), (before_end, mean_before))),
            ("fit", ((pos[t0], mean_after), (last, mean_after))),
        ]
    x = design(len(values), t0)
    beta, *_ = np.linalg.lstsq(x, values, rcond=None)
    b0, b1, b2, b3 = (float(b) for b in beta)
    n = len(values) - 1
    return [
        ("fit", ((first, b0), (before_end, b0 + b1 * (t0 - 1)))),
        ("trend", ((pos[t0], b0 + b1 * t0), (last, b0 + b1 * n))),
        ("fit", ((pos[t0], b0 + b1 * t0 + b2), (last, b0 + b1 * n + b2 + b3 * (n - t0)))),
    ]


def _clip(segment: Segment, low: float, high: float) -> Segment | None:
    """The part of ``segment`` whose value lies in [low, high], or None."""
    (x1, y1), (x2, y2) = segment
    t0, t1 = 0.0, 1.0
    dy = y2 - y1
    for edge, inside in ((low, dy > 0), (high, dy < 0)):
        if dy == 0:
            if not low <= y1 <= high:
                return None
            continue
        t = (edge - y1) / dy
        if inside:
            t0 = max(t0, t)
        else:
            t1 = min(t1, t)
    if t0 > t1:
        return None
    return (x1 + (x2 - x1) * t0, y1 + dy * t0), (x1 + (x2 - x1) * t1, y1 + dy * t1)


def _domain(values: Sequence[float]) -> tuple[float, float]:
    finite = [v for v in values if math.isfinite(v)] or [0.0]
    low, high = min(finite), max(finite)
    pad = (high - low) * 0.08 or max(abs(high) * 0.1, 1.0)
    step = nice_step(high - low + 2 * pad, 4)
    return math.floor((low - pad) / step) * step, math.ceil((high + pad) / step) * step


def _grid(y: Scale, low: float, high: float, locale: str) -> list[str]:
    step = nice_step(high - low, 4)
    decimals = max(0, -math.floor(math.log10(step) + 1e-9)) if step < 1 else 0
    parts = []
    for value in ticks(low, high, 4):
        level = y(value)
        parts.append(line(LEFT, level, WIDTH - RIGHT, level, stroke=GRID, stroke_width=1.0))
        label = format_decimal(value, locale, decimals=decimals)
        parts.append(
            text(LEFT - 6, level + 4, label, text_anchor="end", font_size=SMALL_FONT, fill=MUTED)
        )
    base = HEIGHT - BOTTOM
    parts.append(line(LEFT, base, WIDTH - RIGHT, base, stroke=AXIS, stroke_width=1.0))
    return parts


def _x_labels(periods: Sequence[date], x: Scale) -> list[str]:
    every = max(1, math.ceil(len(periods) / 5))
    monthly = all(p.day == 1 for p in periods)
    parts = []
    for i, period in enumerate(periods):
        if i % every == 0 or (i == len(periods) - 1 and i % every > every // 2):
            label = period.isoformat()[:7] if monthly else period.isoformat()
            parts.append(
                text(
                    x(i),
                    HEIGHT - BOTTOM + 18,
                    label,
                    text_anchor="middle",
                    font_size=SMALL_FONT,
                    fill=MUTED,
                )
            )
    return parts


def _when_x(periods: Sequence[date], when: date, x: Scale) -> float:
    """Where ``when`` falls between the periods around it (at the first one on or after it)."""
    if not periods:
        return (x.start + x.end) / 2
    index = next((i for i, p in enumerate(periods) if p >= when), len(periods) - 1)
    if index == 0 or periods[index] == when or periods[index] < when:
        return x(index)
    before, after = periods[index - 1], periods[index]
    share = (when - before).days / max((after - before).days, 1)
    return x(index - 1 + share)


def _when_mark(cx: float, when: date, locale: str) -> list[str]:
    label = translate("impact_view.chart.action", locale, date=when.isoformat())
    anchor = "end" if cx > WIDTH * 0.7 else "start"
    shift = -4 if anchor == "end" else 4
    mark = line(
        cx,
        TOP - 6,
        cx,
        HEIGHT - BOTTOM,
        stroke=INK,
        stroke_width=1.5,
        stroke_dasharray="2 3",
        class_="action-date",
    )
    return [mark, text(cx + shift, TOP - 10, label, text_anchor=anchor, font_size=SMALL_FONT)]


def _segment(
    kind: str, start: tuple[float, float], end: tuple[float, float], x: Scale, y: Scale
) -> str:
    style = (
        {"stroke": INK, "stroke_width": 2.0, "class_": "fit"}
        if kind == "fit"
        else {
            "stroke": GREY,
            "stroke_width": 1.5,
            "stroke_dasharray": "1 4",
            "stroke_linecap": "round",
            "class_": "trend",
        }
    )
    return line(x(start[0]), y(start[1]), x(end[0]), y(end[1]), **style)


def _series(
    points: Sequence[Point],
    at: dict[date, int],
    x: Scale,
    y: Scale,
    color: str,
    *,
    dashed: bool,
    locale: str,
) -> list[str]:
    coords = [(x(at[p.period]), y(p.value)) for p in points]
    path = " ".join(f"{num(a)},{num(b)}" for a, b in coords)
    style = attrs(
        fill="none",
        stroke=color,
        stroke_width=2,
        stroke_dasharray="6 4" if dashed else None,
        class_="control" if dashed else "series",
    )
    parts = [f'<polyline points="{path}"{style}/>'] if len(coords) > 1 else []
    for point, (cx, cy) in zip(points, coords, strict=True):
        mark = circle(
            cx, cy, 3.5, fill="#ffffff" if dashed else color, stroke=color, stroke_width="1.5"
        )
        parts.append(mark[:-2] + ">" + tooltip(_note(point, locale)) + "</circle>")
    return parts


def _note(point: Point, locale: str) -> str:
    value = format_decimal(point.value, locale)
    if point.n is None:
        return f"{point.period.isoformat()}: {value}"
    return translate(
        f"impact_view.chart.point_{plural_form(point.n, locale)}",
        locale,
        period=point.period.isoformat(),
        value=value,
        n=format_decimal(point.n, locale, decimals=0),
    )


def _legend(locale: str, control: bool, fitted: bool) -> list[str]:
    items: list[tuple[str, str, str | None]] = [("series", BLUE, None)]
    if control:
        items.append(("control", ORANGE, "6 4"))
    if fitted:
        items += [("fit", INK, None), ("trend", GREY, "1 4")]
    parts: list[str] = []
    cx, cy = LEFT, HEIGHT - 34
    for key, color, dash in items:
        label = translate(f"impact_view.chart.legend.{key}", locale)
        width = 28 + text_width(label, SMALL_FONT)
        if cx + width > WIDTH - RIGHT:
            cx, cy = LEFT, cy + 18
        parts.append(line(cx, cy, cx + 22, cy, stroke=color, stroke_width=2, stroke_dasharray=dash))
        parts.append(text(cx + 28, cy + 4, label, font_size=SMALL_FONT, fill=MUTED))
        cx += width + 12
    return parts


def _text(
    points: Sequence[Point], when: date, impact: Impact | None, locale: str, chart_id: str
) -> ChartText:
    title = translate("impact_view.chart.title", locale, date=when.isoformat())
    if not points:
        return ChartText(chart_id, title, translate("impact_view.chart.empty", locale))
    key = f"impact_view.chart.desc_{plural_form(len(points), locale)}"
    desc = translate(
        key,
        locale,
        n=len(points),
        first=points[0].period.isoformat(),
        last=points[-1].period.isoformat(),
        date=when.isoformat(),
    )
    if impact is not None:
        desc += " " + " ".join(sentences(impact, locale).split("\n")[1:-1])
    return ChartText(chart_id, title, desc)
