"""Charts of how answers are spread: a 100 % stacked bar (promoters / passives / detractors)
and a histogram of totals. Pure functions returning SVG strings."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from cxgap.reporting.formatting import format_number
from cxgap.reporting.svg import (
    AXIS,
    BLUE,
    GRID,
    INK,
    MUTED,
    SMALL_FONT,
    ChartText,
    Scale,
    document,
    legend,
    line,
    nice_step,
    rect,
    text,
    text_width,
    ticks,
)

WIDTH = 400.0
PAD = 8.0


@dataclass(frozen=True)
class StackPart:
    """One slice of a 100 % stacked bar."""

    label: str
    count: int
    share: float
    color: str
    share_text: str


def stacked_share_chart(parts: Sequence[StackPart], chart: ChartText) -> str:
    """One 100 % bar split into slices (promoters / passives / detractors), with a legend."""
    scale = Scale(0.0, 1.0, PAD, WIDTH - PAD)
    body = []
    start = 0.0
    for part in parts:
        x, end = scale(start), scale(start + part.share)
        body.append(rect(x, 8, end - x, 34, fill=part.color, class_="slice", data_share=part.share))
        if end - x > text_width(part.share_text, SMALL_FONT) + 6:
            body.append(
                text(
                    (x + end) / 2,
                    30,
                    part.share_text,
                    text_anchor="middle",
                    font_size=SMALL_FONT,
                    font_weight="700",
                    fill=_on(part.color),
                )
            )
        start += part.share
    legend_items = [(f"{p.label}: {p.count} ({p.share_text})", p.color) for p in parts]
    keys, legend_end = legend(legend_items, 54.0)
    return document(chart, WIDTH, legend_end + 20, [*body, *keys])


def _on(color: str) -> str:
    """Text colour with at least 4.5:1 contrast on a ``color`` slice."""
    return "#ffffff" if color in (BLUE, INK) else "#000000"


def histogram_chart(
    counts: Sequence[tuple[int, int]],
    chart: ChartText,
    *,
    locale: str,
    x_domain: tuple[int, int],
    x_label: str,
    y_label: str,
) -> str:
    """Vertical bars: how many people scored each value (binned when the range is wide)."""
    binned = _bins(counts, x_domain)
    height, left, bottom = 230.0, PAD + 28, 180.0
    peak = max([count for _, _, count in binned] or [1])
    y_step = max(nice_step(peak, 4), 1.0)
    y_top = -(-peak // y_step) * y_step
    x_scale = Scale(x_domain[0] - 0.5, x_domain[1] + 0.5, left, WIDTH - PAD)
    y_scale = Scale(0.0, y_top, bottom, 24.0)
    body = [text(PAD, 12, y_label, font_size=SMALL_FONT, fill=MUTED)]
    for value in ticks(0.0, y_top, int(y_top / y_step)):
        body.append(line(left, y_scale(value), WIDTH - PAD, y_scale(value), stroke=GRID))
        body.append(
            text(
                left - 6,
                y_scale(value) + 4,
                format_number(value, locale, decimals=0),
                text_anchor="end",
                font_size=SMALL_FONT,
                fill=MUTED,
            )
        )
    for first, last, count in binned:
        x1, x2 = x_scale(first - 0.5), x_scale(last + 0.5)
        body.append(
            rect(
                x1 + 0.5,
                y_scale(count),
                max(x2 - x1 - 1, 1.0),
                bottom - y_scale(count),
                fill=BLUE,
                class_="bar",
                data_count=count,
            )
        )
    for value in ticks(x_domain[0], x_domain[1], 5):
        body.append(
            text(
                x_scale(value),
                bottom + 16,
                format_number(value, locale, decimals=0),
                text_anchor="middle",
                font_size=SMALL_FONT,
                fill=MUTED,
            )
        )
    body.append(line(left, bottom, WIDTH - PAD, bottom, stroke=AXIS, stroke_width=1.5))
    body.append(
        text(
            (left + WIDTH - PAD) / 2,
            bottom + 36,
            x_label,
            text_anchor="middle",
            font_size=SMALL_FONT,
            fill=MUTED,
        )
    )
    return document(chart, WIDTH, height, body)


def _bins(counts: Sequence[tuple[int, int]], domain: tuple[int, int]) -> list[tuple[int, int, int]]:
    """``(first, last, count)`` per bar; one bar per value unless there are more than 41."""
    span = domain[1] - domain[0] + 1
    width = max(1, -(-span // 41))
    totals: dict[int, int] = {}
    for value, count in counts:
        start = domain[0] + (value - domain[0]) // width * width
        totals[start] = totals.get(start, 0) + count
    return [(start, start + width - 1, count) for start, count in sorted(totals.items())]
