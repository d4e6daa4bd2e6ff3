"""Charts of the Listening screens as inline SVG: a score over time with its confidence band,
and a sparkline for a topic's monthly share of negative mentions.

Built on :mod:`cxgap.reporting.svg` like the results charts; every text is escaped there.
Suppressed periods (too few answers) are never drawn at a value: the line breaks there, the
period's column is lightly hatched (with its figures in a tooltip), and a legend under the
chart says what the hatching means.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from cxgap.reporting.svg import (
    AXIS,
    BLUE,
    GRID,
    MUTED,
    SMALL_FONT,
    VERMILLION,
    ChartText,
    Scale,
    attrs,
    circle,
    document,
    esc,
    line,
    num,
    rect,
    text,
    ticks,
    tooltip,
)

WIDTH = 640.0
HEIGHT = 260.0
LEFT, RIGHT, TOP, BOTTOM = 48.0, 16.0, 16.0, 44.0


@dataclass(frozen=True)
class SeriesPoint:
    """One period: its axis label, value and interval (None when suppressed), and a hover
    text with the figures."""

    label: str
    value: float | None
    low: float | None
    high: float | None
    note: str


def series_chart(
    points: Sequence[SeriesPoint],
    chart: ChartText,
    *,
    domain: tuple[float, float],
    tick_text: dict[float, str] | None = None,
    color: str = BLUE,
    hidden_note: str = "",
) -> str:
    """A line through the periods' values over a shaded confidence band.

    Suppressed periods leave a gap in the line and a hatched column; when there is one,
    ``hidden_note`` (e.g. "period hidden: fewer than 30 answers") is drawn as a legend.
    """
    count = max(len(points), 1)
    x = Scale(0.0, max(count - 1, 1), LEFT + 8, WIDTH - RIGHT - 8)
    if count == 1:
        x = Scale(0.0, 1.0, (LEFT + WIDTH - RIGHT) / 2, (LEFT + WIDTH - RIGHT) / 2 + 1)
    y = Scale(domain[0], domain[1], HEIGHT - BOTTOM, TOP)
    step = (x(1) - x(0)) if count > 1 else 40.0
    hatch = f"{chart.chart_id}-hidden"
    body = [_pattern(hatch)]
    body += [
        _hidden_column(x(i), step, p.note, hatch) for i, p in enumerate(points) if p.value is None
    ]
    body += _grid(y, domain, tick_text or {})
    body += _band(points, x, y, color)
    body += _line(points, x, y, color)
    every = max(1, round(count / 8))
    for index, point in enumerate(points):
        cx = x(index)
        if index % every == 0 or index == count - 1:
            body.append(
                text(
                    cx,
                    HEIGHT - BOTTOM + 18,
                    point.label,
                    text_anchor="middle",
                    font_size=SMALL_FONT,
                    fill=MUTED,
                )
            )
        if point.value is None:
            continue  # a hidden period: its column carries the tooltip, nothing at a value
        mark = circle(
            cx,
            y(point.value),
            4,
            fill=color,
            stroke="#ffffff",
            stroke_width="1.5",
            class_="dot",
            data_value=point.value,
        )
        body.append(mark[:-2] + ">" + tooltip(point.note) + "</circle>")
    if hidden_note and any(p.value is None for p in points):
        body += _hidden_legend(hidden_note, hatch)
    return document(chart, WIDTH, HEIGHT, body)


def _pattern(hatch: str) -> str:
    """Light diagonal hatching: a hidden period, not a value (readable without colour)."""
    return (
        f'<defs><pattern id="{esc(hatch)}" width="6" height="6" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)">'
        '<rect width="6" height="6" fill="#F3F4F6"/>'
        f"{line(0, 0, 0, 6, stroke=GRID, stroke_width=2)}</pattern></defs>"
    )


def _hidden_column(cx: float, step: float, note: str, hatch: str) -> str:
    """The whole height of a suppressed period's column, hatched, with its figures on hover."""
    width = max(min(step, 40.0) * 0.8, 6.0)
    shape = rect(
        cx - width / 2,
        TOP,
        width,
        HEIGHT - BOTTOM - TOP,
        fill=f"url(#{hatch})",
        class_="hidden-period",
    )
    return shape[:-2] + ">" + tooltip(note) + "</rect>"


def _hidden_legend(note: str, hatch: str) -> list[str]:
    base = HEIGHT - 10
    swatch = rect(LEFT, base - 10, 14, 12, fill=f"url(#{hatch})", stroke=GRID, stroke_width=1)
    label = text(LEFT + 20, base, note, font_size=SMALL_FONT, fill=MUTED, class_="hidden-note")
    return [swatch, label]


def _grid(y: Scale, domain: tuple[float, float], names: dict[float, str]) -> list[str]:
    parts = []
    for value in ticks(domain[0], domain[1], 4):
        level = y(value)
        parts.append(line(LEFT, level, WIDTH - RIGHT, level, stroke=GRID, stroke_width=1.0))
        label = names.get(value, num(value))
        parts.append(
            text(LEFT - 6, level + 4, label, text_anchor="end", font_size=SMALL_FONT, fill=MUTED)
        )
    base = HEIGHT - BOTTOM
    parts.append(line(LEFT, base, WIDTH - RIGHT, base, stroke=AXIS, stroke_width=1.0))
    return parts


def _runs(points: Sequence[SeriesPoint]) -> list[list[int]]:
    """Consecutive indexes with a value: a suppressed period breaks the line."""
    runs: list[list[int]] = [[]]
    for index, point in enumerate(points):
        if point.value is None:
            runs.append([])
        else:
            runs[-1].append(index)
    return [run for run in runs if run]


def _band(points: Sequence[SeriesPoint], x: Scale, y: Scale, color: str) -> list[str]:
    parts = []
    for run in _runs(points):
        upper = [(x(i), y(_or(points[i].high, points[i].value))) for i in run]
        lower = [(x(i), y(_or(points[i].low, points[i].value))) for i in reversed(run)]
        if len(run) == 1:
            (cx, top), (_, bottom) = upper[0], lower[0]
            parts.append(
                line(cx, top, cx, bottom, stroke=color, stroke_width=6, stroke_opacity="0.25")
            )
            continue
        outline = " ".join(f"{num(a)},{num(b)}" for a, b in upper + lower)
        parts.append(
            f'<polygon points="{outline}"{attrs(fill=color, fill_opacity="0.15", class_="band")}/>'
        )
    return parts


def _line(points: Sequence[SeriesPoint], x: Scale, y: Scale, color: str) -> list[str]:
    parts = []
    for run in _runs(points):
        if len(run) > 1:
            path = " ".join(f"{num(x(i))},{num(y(_or(points[i].value, 0.0)))}" for i in run)
            parts.append(
                f'<polyline points="{path}"{attrs(fill="none", stroke=color, stroke_width=2)}/>'
            )
    return parts


def _or(value: float | None, default: float | None) -> float:
    if value is not None:
        return value
    return default if default is not None else 0.0


def sparkline(
    shares: Sequence[float | None], label: str, *, width: float = 120.0, height: float = 28.0
) -> str:
    """A small line of shares (0–1) per period; periods without mentions leave a gap."""
    count = len(shares)
    x = Scale(0.0, max(count - 1, 1), 3.0, width - 3.0)
    y = Scale(0.0, 1.0, height - 3.0, 3.0)
    parts = [line(0, height - 3, width, height - 3, stroke=GRID, stroke_width=1.0)]
    segment: list[str] = []
    for index, share in enumerate([*shares, None]):
        if share is None:
            if len(segment) > 1:
                style = attrs(fill="none", stroke=VERMILLION, stroke_width=1.5)
                parts.append(f'<polyline points="{" ".join(segment)}"{style}/>')
            segment = []
            continue
        segment.append(f"{num(x(index))},{num(y(share))}")
        if index == count - 1 or shares[index + 1] is None:
            parts.append(circle(x(index), y(share), 2, fill=VERMILLION))
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{esc(label)}" '
        f'viewBox="0 0 {num(width)} {num(height)}" width="{num(width)}" height="{num(height)}" '
        f'class="sparkline">{"".join(parts)}</svg>'
    )
