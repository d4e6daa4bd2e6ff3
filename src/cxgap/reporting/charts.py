"""Bar-type charts as inline SVG strings: pure functions from rows of numbers to markup.

Rows are laid out for narrow screens first: each row's label sits on its own line above its
bar, with the figure right-aligned on that line, so a 40-character pillar name stays readable
at 320 px. Text passed in is escaped here; numbers are already formatted by the caller
(``value_text``) except axis ticks, which are formatted for ``locale``.

Scatter and slope charts live in :mod:`cxgap.reporting.plots`, the stacked bar and the
histogram in :mod:`cxgap.reporting.distributions`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from cxgap.reporting.formatting import MISSING, format_number, format_percent
from cxgap.reporting.svg import (
    AXIS,
    BLUE,
    GRID,
    INK,
    LINE_HEIGHT,
    MUTED,
    ORANGE,
    SMALL_FONT,
    VERMILLION,
    ChartText,
    Scale,
    circle,
    document,
    group,
    legend,
    line,
    nice_step,
    rect,
    text,
    text_width,
    ticks,
    tooltip,
    wrap_text,
)

WIDTH = 400.0
PAD = 8.0
BAR_HEIGHT = 14.0
ROW_GAP = 12.0


@dataclass(frozen=True)
class GapRow:
    """One bar of a diverging chart: a value with its confidence interval."""

    label: str
    value: float | None
    low: float | None = None
    high: float | None = None
    value_text: str = MISSING
    significant: bool = False


@dataclass(frozen=True)
class PairRow:
    """Two shares (0–1) side by side for one item, e.g. colleagues vs customers."""

    label: str
    first: float | None
    second: float | None
    first_text: str = MISSING
    second_text: str = MISSING


@dataclass(frozen=True)
class IntervalRow:
    """A point estimate with its interval, drawn as a dot and whisker."""

    label: str
    value: float | None
    low: float | None = None
    high: float | None = None
    value_text: str = MISSING


def _row_header(label: str, figure: str, y: float, bold: bool = False) -> tuple[list[str], float]:
    """The label (wrapped, left) and figure (right) of a row; returns markup and new ``y``."""
    figure_width = text_width(figure) + 10
    lines = wrap_text(label, WIDTH - 2 * PAD - figure_width)
    weight = "700" if bold else None
    parts = [text(WIDTH - PAD, y, figure, text_anchor="end", font_weight=weight, halo=True)]
    for index, content in enumerate(lines):
        parts.append(text(PAD, y + index * LINE_HEIGHT, content, halo=True))
    if lines[-1].endswith("…"):
        parts.append(tooltip(label))
    return parts, y + len(lines) * LINE_HEIGHT - 8


def _axis(scale: Scale, top: float, bottom: float, locale: str, kind: str) -> list[str]:
    """Vertical grid lines and tick labels under the plot."""
    step = nice_step(scale.high - scale.low, 4)
    parts = []
    for value in ticks(scale.low, scale.high, 4):
        x = scale(value)
        parts.append(line(x, top, x, bottom, stroke=GRID, stroke_width=1.0))
        parts.append(
            text(
                x,
                bottom + 14,
                _tick(value, step, locale, kind),
                text_anchor="middle",
                font_size=SMALL_FONT,
                fill=MUTED,
            )
        )
    return parts


def _tick(value: float, step: float, locale: str, kind: str) -> str:
    if kind == "percent":
        return format_percent(value, locale)
    decimals = 0 if float(step).is_integer() else (1 if (step * 10).is_integer() else 2)
    return format_number(value, locale, decimals=decimals, signed=kind == "signed")


def _whisker(scale: Scale, low: float, high: float, y: float) -> list[str]:
    x1, x2 = scale(low), scale(high)
    return [
        line(x1, y, x2, y, stroke=INK, stroke_width=1.5, class_="whisker"),
        line(x1, y - 5, x1, y + 5, stroke=INK, stroke_width=1.5, class_="cap"),
        line(x2, y - 5, x2, y + 5, stroke=INK, stroke_width=1.5, class_="cap"),
    ]


def diverging_bar_chart(
    rows: Sequence[GapRow],
    chart: ChartText,
    *,
    locale: str,
    negative_label: str,
    positive_label: str,
    significance_note: str,
    positive_color: str = VERMILLION,
    negative_color: str = BLUE,
) -> str:
    """Bars left or right of zero with confidence-interval whiskers.

    Significant rows are drawn solid with a bold figure; the others pale with an outline, so
    the distinction does not rely on colour alone.
    """
    scale = Scale(*_gap_domain(rows), PAD + 4, WIDTH - PAD - 4)
    zero = scale(0.0)
    top = 44.0
    body: list[str] = [
        text(PAD, 16, "◀ " + negative_label, fill=MUTED, font_size=SMALL_FONT),
        text(
            WIDTH - PAD,
            16,
            positive_label + " ▶",
            fill=MUTED,
            font_size=SMALL_FONT,
            text_anchor="end",
        ),
    ]
    y = top
    rows_markup: list[str] = []
    for row in rows:
        header, y = _row_header(row.label, row.value_text, y, bold=row.significant)
        rows_markup.append(
            group(
                [*header, *_gap_bar(row, scale, zero, y, positive_color, negative_color)],
                class_="row",
            )
        )
        y += BAR_HEIGHT + ROW_GAP + LINE_HEIGHT
    bottom = y - LINE_HEIGHT - ROW_GAP + 4
    body += _axis(scale, top - 14, bottom, locale, "signed")
    body.append(line(zero, top - 14, zero, bottom, stroke=AXIS, stroke_width=1.5))
    body += rows_markup
    note = wrap_text(significance_note, WIDTH - 2 * PAD, SMALL_FONT, max_lines=3)
    for index, content in enumerate(note):
        body.append(text(PAD, bottom + 36 + index * 14, content, fill=MUTED, font_size=SMALL_FONT))
    return document(chart, WIDTH, bottom + 44 + (len(note) - 1) * 14, body)


def _gap_domain(rows: Sequence[GapRow]) -> tuple[float, float]:
    """From the lowest to the highest bound, rounded out to 0.5, always showing both sides of
    zero so that both legend directions keep their meaning."""
    values = [v for r in rows for v in (r.value, r.low, r.high) if v is not None]
    step = 0.5 if max([abs(v) for v in values] or [0.0]) <= 3 else 1.0
    low = min([-0.5, *values])
    high = max([0.5, *values])
    return math.floor(low / step) * step, math.ceil(high / step) * step


def _gap_bar(
    row: GapRow, scale: Scale, zero: float, y: float, positive: str, negative: str
) -> list[str]:
    if row.value is None:
        return []
    end = scale(row.value)
    color = positive if row.value >= 0 else negative
    style: dict[str, object] = {"fill": color, "class_": "bar"}
    if not row.significant:
        style.update(fill_opacity="0.28", stroke=color, stroke_width="1.5")
    parts = [rect(min(zero, end), y, abs(end - zero), BAR_HEIGHT, data_value=row.value, **style)]
    if row.low is not None and row.high is not None:
        parts += _whisker(scale, row.low, row.high, y + BAR_HEIGHT / 2)
    return parts


def paired_share_chart(
    rows: Sequence[PairRow],
    chart: ChartText,
    *,
    locale: str,
    first_label: str,
    second_label: str,
    first_color: str = BLUE,
    second_color: str = ORANGE,
) -> str:
    """Two horizontal bars per item on a 0–100 % scale, each with its figure at its end."""
    scale = Scale(0.0, 1.0, PAD, WIDTH - PAD - 48)
    body, legend_end = legend([(first_label, first_color), (second_label, second_color)], 8.0)
    top = legend_end + 36
    y = top
    rows_markup = []
    for row in rows:
        header, y = _row_header(row.label, "", y)
        parts = [*header]
        for offset, share, figure, color in (
            (0.0, row.first, row.first_text, first_color),
            (BAR_HEIGHT + 2, row.second, row.second_text, second_color),
        ):
            parts += _share_bar(scale, share, figure, color, y + offset)
        rows_markup.append(group(parts, class_="row"))
        y += 2 * BAR_HEIGHT + 2 + ROW_GAP + LINE_HEIGHT
    bottom = y - LINE_HEIGHT - ROW_GAP + 4
    body += _axis(scale, top - 14, bottom, locale, "percent")
    body.append(line(scale(0.0), top - 14, scale(0.0), bottom, stroke=AXIS, stroke_width=1.5))
    body += rows_markup
    return document(chart, WIDTH, bottom + 24, body)


def _share_bar(scale: Scale, share: float | None, figure: str, color: str, y: float) -> list[str]:
    if share is None:
        return [text(scale(0.0) + 4, y + BAR_HEIGHT - 3, figure, font_size=SMALL_FONT)]
    end = scale(share)
    return [
        rect(
            scale(0.0), y, end - scale(0.0), BAR_HEIGHT, fill=color, class_="bar", data_value=share
        ),
        text(end + 4, y + BAR_HEIGHT - 3, figure, font_size=SMALL_FONT, font_weight="600"),
    ]


def interval_chart(
    rows: Sequence[IntervalRow],
    chart: ChartText,
    *,
    locale: str,
    domain: tuple[float, float],
    kind: str = "number",
    color: str = BLUE,
) -> str:
    """A dot per row at its value with a whisker over its interval (``kind``: number,
    signed or percent, for the axis ticks)."""
    scale = Scale(domain[0], domain[1], PAD + 6, WIDTH - PAD - 6)
    top = 24.0
    y = top
    rows_markup = []
    for row in rows:
        header, y = _row_header(row.label, row.value_text, y, bold=True)
        parts = [*header]
        middle = y + BAR_HEIGHT / 2
        if row.low is not None and row.high is not None:
            parts += _whisker(scale, row.low, row.high, middle)
        if row.value is not None:
            parts.append(
                circle(
                    scale(row.value),
                    middle,
                    6,
                    fill=color,
                    stroke="#ffffff",
                    stroke_width="1.5",
                    class_="dot",
                    data_value=row.value,
                )
            )
        rows_markup.append(group(parts, class_="row"))
        y += BAR_HEIGHT + ROW_GAP + LINE_HEIGHT
    bottom = y - LINE_HEIGHT - ROW_GAP + 4
    body = _axis(scale, top - 14, bottom, locale, kind)
    if domain[0] < 0 < domain[1]:
        body.append(line(scale(0.0), top - 14, scale(0.0), bottom, stroke=AXIS, stroke_width=1.5))
    body += rows_markup
    return document(chart, WIDTH, bottom + 24, body)


__all__ = [
    "GapRow",
    "IntervalRow",
    "PairRow",
    "diverging_bar_chart",
    "interval_chart",
    "paired_share_chart",
]
