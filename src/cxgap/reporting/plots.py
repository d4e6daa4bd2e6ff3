"""Charts that place items on two axes: the importance–performance scatter and the slope chart
of two rankings. Pure functions returning SVG strings, like :mod:`cxgap.reporting.charts`."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from cxgap.reporting.formatting import format_number
from cxgap.reporting.svg import (
    AXIS,
    BLUE,
    GREY,
    GRID,
    INK,
    MUTED,
    SMALL_FONT,
    VERMILLION,
    ChartText,
    Scale,
    circle,
    document,
    fit_text,
    group,
    line,
    rect,
    text,
    text_width,
    ticks,
    tooltip,
    wrap_text,
)

Box = tuple[float, float, float, float]  # left, top, right, bottom


@dataclass(frozen=True)
class IpaPoint:
    """One pillar on the importance–performance grid (both on the 1–5 scale)."""

    label: str
    full_label: str
    performance: float
    importance: float
    highlighted: bool = False


@dataclass(frozen=True)
class Quadrants:
    """Names of the four quadrants, high importance first."""

    top_left: str
    top_right: str
    bottom_left: str
    bottom_right: str


def importance_performance_chart(
    points: Sequence[IpaPoint],
    chart: ChartText,
    *,
    locale: str,
    x_label: str,
    y_label: str,
    quadrants: Quadrants,
    x_mean: float,
    y_mean: float,
) -> str:
    """Scatter of performance (x) against importance (y), split into quadrants at the means.

    Highlighted points (the priorities) are larger, vermillion and labelled first; each label
    takes the first free spot around its point so labels do not sit on top of one another.
    """
    width, height = 400.0, 400.0
    left, right, top, bottom = 42.0, width - 10, 14.0, height - 46
    x_scale = Scale(*_domain([p.performance for p in points]), left, right)
    y_scale = Scale(*_domain([p.importance for p in points]), bottom, top)
    body = _ipa_axes(x_scale, y_scale, locale, x_label, y_label, (left, right, top, bottom))
    mx, my = x_scale(x_mean), y_scale(y_mean)
    body.append(line(mx, top, mx, bottom, stroke=AXIS, stroke_dasharray="5 4", class_="mean"))
    body.append(line(left, my, right, my, stroke=AXIS, stroke_dasharray="5 4", class_="mean"))
    taken: list[Box] = []
    body += _quadrant_labels(quadrants, (left, right, top, bottom), taken)
    placed = [(p, x_scale(p.performance), y_scale(p.importance)) for p in points]
    taken += [(x - 7, y - 7, x + 7, y + 7) for _, x, y in placed]
    ordered = sorted(placed, key=lambda item: not item[0].highlighted)
    labels = [_point_label(p, x, y, taken, (left, right, top, bottom)) for p, x, y in ordered]
    marks = [_point_mark(p, x, y) for p, x, y in reversed(ordered)]
    return document(chart, width, height, [*body, *marks, *labels])


def _domain(values: Sequence[float]) -> tuple[float, float]:
    """A padded range around ``values``, kept inside the 1–5 scale."""
    low, high = min(values, default=1.0), max(values, default=5.0)
    pad = max((high - low) * 0.15, 0.25)
    return max(1.0, low - pad), min(5.0, high + pad)


def _ipa_axes(
    xs: Scale, ys: Scale, locale: str, x_label: str, y_label: str, frame: Box
) -> list[str]:
    left, right, top, bottom = frame
    parts = [rect(left, top, right - left, bottom - top, fill="none", stroke=GRID)]
    for value in ticks(xs.low, xs.high, 5):
        x = xs(value)
        parts.append(line(x, top, x, bottom, stroke=GRID))
        parts.append(
            text(
                x,
                bottom + 15,
                format_number(value, locale, decimals=1),
                text_anchor="middle",
                font_size=SMALL_FONT,
                fill=MUTED,
            )
        )
    for value in ticks(ys.low, ys.high, 5):
        y = ys(value)
        parts.append(line(left, y, right, y, stroke=GRID))
        parts.append(
            text(
                left - 5,
                y + 4,
                format_number(value, locale, decimals=1),
                text_anchor="end",
                font_size=SMALL_FONT,
                fill=MUTED,
            )
        )
    parts.append(
        text(
            (left + right) / 2,
            bottom + 36,
            x_label,
            text_anchor="middle",
            font_size=SMALL_FONT,
            fill=MUTED,
        )
    )
    parts.append(
        text(
            12,
            (top + bottom) / 2,
            y_label,
            text_anchor="middle",
            font_size=SMALL_FONT,
            fill=MUTED,
            transform=f"rotate(-90 12 {(top + bottom) / 2:.1f})",
        )
    )
    return parts


def _quadrant_labels(names: Quadrants, frame: Box, taken: list[Box]) -> list[str]:
    left, right, top, bottom = frame
    corners = (
        (names.top_left, left + 5, top + 14, "start"),
        (names.top_right, right - 5, top + 14, "end"),
        (names.bottom_left, left + 5, bottom - 6, "start"),
        (names.bottom_right, right - 5, bottom - 6, "end"),
    )
    parts = []
    for name, x, y, anchor in corners:
        shown = wrap_text(name, (right - left) / 2 - 10, SMALL_FONT, max_lines=1)[0]
        w = text_width(shown, SMALL_FONT)
        x0 = x if anchor == "start" else x - w
        taken.append((x0, y - 11, x0 + w, y + 3))
        parts.append(
            text(
                x,
                y,
                shown,
                text_anchor=anchor,
                font_size=SMALL_FONT,
                fill=MUTED,
                font_style="italic",
                class_="quadrant",
            )
        )
    return parts


def _point_mark(point: IpaPoint, x: float, y: float) -> str:
    color, radius = (VERMILLION, 7.0) if point.highlighted else (BLUE, 5.0)
    return circle(
        x,
        y,
        radius,
        fill=color,
        stroke="#ffffff",
        stroke_width="1.5",
        class_="point priority" if point.highlighted else "point",
        data_performance=point.performance,
        data_importance=point.importance,
    )


def _point_label(point: IpaPoint, x: float, y: float, taken: list[Box], frame: Box) -> str:
    w, h = text_width(point.label, SMALL_FONT), 12.0
    candidates = (
        (x + 9, y + 4, "start"),
        (x - 9, y + 4, "end"),
        (x, y - 10, "middle"),
        (x, y + 18, "middle"),
        (x + 7, y - 8, "start"),
        (x - 7, y - 8, "end"),
        (x + 7, y + 16, "start"),
        (x - 7, y + 16, "end"),
    )
    best, best_cost = candidates[0], float("inf")
    for cx, cy, anchor in candidates:
        box = _label_box(cx, cy, anchor, w, h)
        cost = _outside(box, frame) * 10
        for other in taken:
            if other[0] < box[2] and box[0] < other[2] and other[1] < box[3] and box[1] < other[3]:
                cost += _overlap(box, other)
        if cost < best_cost:
            best, best_cost = (cx, cy, anchor), cost
        if cost == 0:
            break
    cx, cy, anchor = best
    taken.append(_label_box(cx, cy, anchor, w, h))
    weight = "700" if point.highlighted else None
    label = text(
        cx,
        cy,
        point.label,
        text_anchor=anchor,
        font_size=SMALL_FONT,
        font_weight=weight,
        fill=INK,
        class_="point-label",
        halo=True,
    )
    return group([tooltip(point.full_label), label])


def _label_box(x: float, y: float, anchor: str, w: float, h: float) -> Box:
    x0 = {"start": x, "end": x - w, "middle": x - w / 2}[anchor]
    return (x0, y - h + 2, x0 + w, y + 3)


def _overlap(a: Box, b: Box) -> float:
    dx = min(a[2], b[2]) - max(a[0], b[0])
    dy = min(a[3], b[3]) - max(a[1], b[1])
    return dx * dy if dx > 0 and dy > 0 else 0.0


def _outside(box: Box, frame: Box) -> float:
    left, right, top, bottom = frame
    return (
        max(left - box[0], 0)
        + max(box[2] - right, 0)
        + max(top - box[1], 0)
        + max(box[3] - bottom, 0)
    )


@dataclass(frozen=True)
class SlopeItem:
    """One item ranked twice (1 = first)."""

    label: str
    full_label: str
    left_rank: int
    right_rank: int


def slope_chart(
    items: Sequence[SlopeItem],
    chart: ChartText,
    *,
    left_title: str,
    right_title: str,
) -> str:
    """Two rankings side by side, each item joined to itself; big moves drawn in vermillion."""
    width, row, top = 440.0, 28.0, 44.0
    count = max(len(items), 1)
    left_x, right_x = 174.0, 266.0
    big_move = max(3, count // 4)
    body = [
        text(left_x + 11, 16, left_title, text_anchor="end", font_weight="700"),
        text(right_x - 11, 16, right_title, font_weight="700"),
    ]
    lines, labels = [], []
    for item in items:
        y1 = top + (item.left_rank - 1) * row
        y2 = top + (item.right_rank - 1) * row
        moved = abs(item.left_rank - item.right_rank) >= big_move
        lines.append(
            line(
                left_x + 11,
                y1,
                right_x - 11,
                y2,
                stroke=VERMILLION if moved else GREY,
                stroke_width="2.5" if moved else "1.5",
                class_="slope",
            )
        )
        labels.append(_slope_end(item, item.left_rank, left_x, y1, "end"))
        labels.append(_slope_end(item, item.right_rank, right_x, y2, "start"))
    height = top + (count - 1) * row + 24
    return document(chart, width, height, [*body, *lines, *labels])


def _slope_end(item: SlopeItem, rank: int, x: float, y: float, side: str) -> str:
    shown = fit_text(item.label, 156, SMALL_FONT)
    text_x = x - 17 if side == "end" else x + 17
    parts = [
        tooltip(item.full_label),
        circle(x, y, 11, fill="#ffffff", stroke=INK, stroke_width="1.5", class_="rank"),
        text(x, y + 4, rank, text_anchor="middle", font_size=SMALL_FONT, font_weight="700"),
        text(text_x, y + 4, shown, text_anchor=side, font_size=SMALL_FONT),
    ]
    return group(parts, class_="slope-end")
