"""The executive report's two charts as a list of shapes, drawn once and rendered twice: as
inline SVG in the HTML report and as PDF vectors (``executive_pdf``), so both show the same
figure and the PDF's labels stay selectable text. Pure.

* the gaps chart: per pillar, the knowledge gap (blue) and the desire gap (orange) as points
  with their 95 % interval, around a zero line;
* the journey chart: per touchpoint, its measured mean sentiment (−1..1) as a bar.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from cxgap.i18n import translate
from cxgap.reporting import svg
from cxgap.reporting.executive_model import PillarGaps, TouchpointItem
from cxgap.reporting.formatting import format_number

WIDTH = 640.0
ROW = 24.0
LABEL_W = 200.0
TOP = 30.0


@dataclass(frozen=True)
class Box:
    x: float
    y: float
    w: float
    h: float
    fill: str


@dataclass(frozen=True)
class Stroke:
    x1: float
    y1: float
    x2: float
    y2: float
    colour: str
    width: float = 1.0


@dataclass(frozen=True)
class Label:
    x: float
    y: float  # baseline
    text: str
    size: float = 11.0
    anchor: str = "start"  # start | middle | end
    colour: str = svg.INK
    bold: bool = False


Shape = Box | Stroke | Label


@dataclass(frozen=True)
class Chart:
    title: str
    width: float
    height: float
    shapes: tuple[Shape, ...]


def _scale(low: float, high: float, left: float, right: float) -> tuple[float, float]:
    """``(a, b)`` such that ``a + b × value`` maps [low, high] onto [left, right]."""
    b = (right - left) / (high - low)
    return left - b * low, b


def _axis(
    low: float, high: float, left: float, right: float, top: float, bottom: float, locale: str
) -> list[Shape]:
    a, b = _scale(low, high, left, right)
    shapes: list[Shape] = []
    for tick in svg.ticks(low, high, 6):
        x = a + b * tick
        colour = svg.AXIS if tick == 0 else svg.GRID
        shapes.append(Stroke(x, top, x, bottom, colour, 1.2 if tick == 0 else 0.6))
        label = format_number(
            tick, locale, decimals=0 if float(tick).is_integer() else 1, signed=True
        )
        shapes.append(Label(x, bottom + 13, label, 9.5, "middle", svg.MUTED))
    return shapes


def gaps_chart(gaps: Sequence[PillarGaps], locale: str) -> Chart:
    bounds = [0.0, 1.0, -1.0]
    for g in gaps:
        for gap in (g.knowledge, g.desire):
            if gap.value is not None:
                bounds.append(gap.value)
            if gap.ci is not None:
                bounds.extend(gap.ci)
    low, high = min(bounds), max(bounds)
    left, right = LABEL_W + 10, WIDTH - 16
    a, b = _scale(low, high, left, right)
    bottom = TOP + ROW * len(gaps)
    shapes: list[Shape] = _axis(low, high, left, right, TOP - 6, bottom, locale)
    for i, g in enumerate(gaps):
        y = TOP + ROW * i + ROW / 2
        name = svg.fit_text(g.name.get(locale), LABEL_W - 12, 11)
        shapes.append(
            Label(LABEL_W, y + 4, name + (" ★" if g.priority else ""), 11, "end", bold=g.priority)
        )
        for gap, colour, dy in ((g.knowledge, svg.BLUE, -4.0), (g.desire, svg.ORANGE, 4.0)):
            if gap.ci is not None:
                shapes.append(
                    Stroke(a + b * gap.ci[0], y + dy, a + b * gap.ci[1], y + dy, colour, 2.0)
                )
            if gap.value is not None:
                x = a + b * gap.value
                shapes.append(Box(x - 3.5, y + dy - 3.5, 7, 7, colour))
    legend_y = 14.0
    shapes.append(Box(left, legend_y - 8, 9, 9, svg.BLUE))
    shapes.append(Label(left + 14, legend_y, translate("executive.gaps.knowledge", locale), 10.5))
    shapes.append(Box(left + 200, legend_y - 8, 9, 9, svg.ORANGE))
    shapes.append(Label(left + 214, legend_y, translate("executive.gaps.desire", locale), 10.5))
    title = translate("executive.chart.gaps", locale)
    return Chart(title, WIDTH, bottom + 22, tuple(shapes))


def journey_chart(touchpoints: Sequence[TouchpointItem], locale: str) -> Chart:
    left, right = LABEL_W + 10, WIDTH - 16
    a, b = _scale(-1.0, 1.0, left, right)
    bottom = TOP + ROW * len(touchpoints)
    shapes: list[Shape] = _axis(-1.0, 1.0, left, right, TOP - 6, bottom, locale)
    for i, tp in enumerate(touchpoints):
        y = TOP + ROW * i
        shapes.append(
            Label(
                LABEL_W,
                y + ROW / 2 + 4,
                svg.fit_text(tp.name.get(locale), LABEL_W - 12, 11),
                11,
                "end",
            )
        )
        if tp.sentiment is None:
            shapes.append(Label(a, y + ROW / 2 + 4, "—", 11, "middle", svg.MUTED))
            continue
        x0, x1 = sorted((a, a + b * tp.sentiment))
        colour = svg.GREEN if tp.sentiment >= 0 else svg.VERMILLION
        shapes.append(Box(x0, y + 5, max(x1 - x0, 1.0), ROW - 10, colour))
    title = translate("executive.chart.journey", locale)
    return Chart(title, WIDTH, bottom + 22, tuple(shapes))


def _svg_shape(shape: Shape) -> str:
    if isinstance(shape, Box):
        return svg.rect(shape.x, shape.y, shape.w, shape.h, fill=shape.fill)
    if isinstance(shape, Stroke):
        return svg.line(
            shape.x1, shape.y1, shape.x2, shape.y2, stroke=shape.colour, stroke_width=shape.width
        )
    return svg.text(
        shape.x,
        shape.y,
        shape.text,
        font_size=shape.size,
        text_anchor=shape.anchor,
        fill=shape.colour,
        font_weight="bold" if shape.bold else None,
    )


def chart_svg(chart: Chart) -> str:
    """The chart as a standalone ``<svg>`` element (scales with its container)."""
    body = "".join(_svg_shape(s) for s in chart.shapes)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {svg.num(chart.width)} '
        f'{svg.num(chart.height)}" font-family="{svg.esc(svg.FONT_FAMILY)}">'
        f"<title>{svg.esc(chart.title)}</title>{body}</svg>"
    )
