"""Small helpers to write inline SVG by hand: escaping, shapes, text, scales and label fitting.

Every piece of text goes through :func:`esc`, so a pillar named ``<script>`` stays text. The
output is well-formed XML (no HTML-only entities), so it also works as a standalone ``.svg``.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

FONT_FAMILY = (
    "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, "
    "'Noto Sans', 'Liberation Sans', sans-serif"
)
FONT_SIZE = 14
SMALL_FONT = 12.5
LINE_HEIGHT = 17

# Okabe-Ito palette: distinguishable with the common colour-vision deficiencies.
BLUE = "#0072B2"
ORANGE = "#E69F00"
SKY = "#56B4E9"
GREEN = "#009E73"
VERMILLION = "#D55E00"
PURPLE = "#CC79A7"
GREY = "#8C8C8C"
INK = "#1F2937"
MUTED = "#4B5563"
GRID = "#D9DDE3"
AXIS = "#6B7280"
_HALO = ' paint-order="stroke" stroke="#ffffff" stroke-width="3" stroke-linejoin="round"'


_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#x27;"})


def esc(text: object) -> str:
    """Text or attribute value made safe for XML and HTML (like ``html.escape``, faster)."""
    return str(text).translate(_ESCAPES)


def num(value: float) -> str:
    """A coordinate, short and stable (``12.5``, ``40``)."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


_NAMES: dict[str, str] = {"class_": "class"}


def attrs(**values: object) -> str:
    """`` key="value"`` pairs (leading space); ``class_`` becomes ``class``, ``_`` becomes ``-``."""
    out = ""
    for key, value in values.items():
        if value is None:
            continue
        name = _NAMES.get(key)
        if name is None:
            name = _NAMES.setdefault(key, key.replace("_", "-"))
        shown = num(value) if type(value) is float else str(value).translate(_ESCAPES)
        out += f' {name}="{shown}"'
    return out


def rect(x: float, y: float, width: float, height: float, **extra: object) -> str:
    size = f'width="{num(max(width, 0.0))}" height="{num(max(height, 0.0))}"'
    return f'<rect x="{num(x)}" y="{num(y)}" {size}{attrs(**extra)}/>'


def line(x1: float, y1: float, x2: float, y2: float, **extra: object) -> str:
    ends = f'x1="{num(x1)}" y1="{num(y1)}" x2="{num(x2)}" y2="{num(y2)}"'
    return f"<line {ends}{attrs(**extra)}/>"


def circle(cx: float, cy: float, r: float, **extra: object) -> str:
    return f'<circle cx="{num(cx)}" cy="{num(cy)}" r="{num(r)}"{attrs(**extra)}/>'


def text(x: float, y: float, content: object, *, halo: bool = False, **extra: object) -> str:
    """A text element; ``halo`` paints a white outline under the glyphs so that grid lines
    never cross a label."""
    outline = _HALO if halo else ""
    position = f'x="{num(x)}" y="{num(y)}"'
    return f"<text {position}{attrs(**extra)}{outline}>{esc(content)}</text>"


def group(children: Iterable[str], **extra: object) -> str:
    return f"<g{attrs(**extra)}>{''.join(children)}</g>"


def tooltip(content: object) -> str:
    """A ``<title>`` child: the full text on hover when the label had to be shortened."""
    return f"<title>{esc(content)}</title>"


@dataclass(frozen=True)
class ChartText:
    """What a screen reader announces for a chart: a title and a one-sentence description."""

    chart_id: str
    title: str
    desc: str


def document(chart: ChartText, width: float, height: float, body: Iterable[str]) -> str:
    """The ``<svg role="img">`` wrapper, labelled by its own ``<title>`` and ``<desc>``."""
    cid = esc(chart.chart_id)
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {num(width)} '
        f'{num(height)}" width="{num(width)}" height="{num(height)}" '
        f'aria-labelledby="{cid}-title {cid}-desc" class="chart-svg" '
        f'font-family="{esc(FONT_FAMILY)}" font-size="{FONT_SIZE}" fill="{INK}">'
        f'<title id="{cid}-title">{esc(chart.title)}</title>'
        f'<desc id="{cid}-desc">{esc(chart.desc)}</desc>'
    )
    return head + "".join(body) + "</svg>"


def _glyph_widths() -> dict[str, float]:
    # Advance widths of DejaVu Sans, the widest common fallback, as a share of the font size:
    # an estimate from it never underestimates the fonts a reader is likely to have.
    table: dict[str, float] = {}
    for chars, width in (
        (" .,'’:;!|·iIjl", 0.32),
        ("frt()-/*[]", 0.4),
        ('–"', 0.5),
        ("ABCDEFGHJKLNOPQRSTUVXYZ&", 0.72),
        ("+−#<>=±", 0.84),
        ("mwMW%—…", 1.0),
    ):
        table.update(dict.fromkeys(chars, width))
    return table


_WIDTHS = _glyph_widths()
_DEFAULT_WIDTH = 0.64  # lowercase letters, digits, accented letters


@lru_cache(maxsize=4096)
def _em_width(content: str) -> float:
    return sum(_WIDTHS.get(char, _DEFAULT_WIDTH) for char in content)


def text_width(content: str, size: float = FONT_SIZE) -> float:
    """Rendered width of ``content`` in a wide sans-serif font, good enough to avoid overlaps."""
    return size * _em_width(content)


def fit_text(content: str, width: float, size: float = FONT_SIZE) -> str:
    """``content`` cut with an ellipsis so that it fits in ``width``."""
    if text_width(content, size) <= width:
        return content
    budget = width / size - _em_width("…")
    used = 0.0
    for index, char in enumerate(content):
        used += _WIDTHS.get(char, _DEFAULT_WIDTH)
        if used > budget:
            return content[: max(index, 1)].rstrip() + "…"
    return content


def wrap_text(content: str, width: float, size: float = FONT_SIZE, max_lines: int = 2) -> list[str]:
    """``content`` broken on spaces into at most ``max_lines`` lines that fit in ``width``;
    the last line ends with an ellipsis when the text does not fit."""
    limit = width / size
    space = _WIDTHS[" "]
    lines: list[str] = []
    current, used = "", 0.0
    for word in content.split():
        word_width = _em_width(word)
        if current and used + space + word_width > limit:
            lines.append(current)
            current, used = "", 0.0
        current, used = (
            (f"{current} {word}", used + space + word_width)
            if current
            else (
                word,
                word_width,
            )
        )
    if current:
        lines.append(current)
    if len(lines) > max_lines:
        lines = [*lines[: max_lines - 1], " ".join(lines[max_lines - 1 :])]
    return [fit_text(item, width, size) for item in lines] or [""]


@dataclass(frozen=True)
class Scale:
    """A linear map from a data domain onto a pixel range."""

    low: float
    high: float
    start: float
    end: float

    def __call__(self, value: float) -> float:
        span = self.high - self.low or 1.0
        clamped = min(max(value, self.low), self.high)
        return self.start + (clamped - self.low) / span * (self.end - self.start)


def nice_step(span: float, target_ticks: int = 5) -> float:
    """A round tick step (1, 2, 2.5 or 5 times a power of ten) giving about ``target_ticks``."""
    if span <= 0:
        return 1.0
    raw = span / max(target_ticks, 1)
    # An int for steps of 1 and up, a float below: both are floats to the caller.
    power: float = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 2.5, 5, 10):
        if raw <= factor * power:
            return factor * power
    return 10 * power


def ticks(low: float, high: float, target: int = 5) -> list[float]:
    """Round values between ``low`` and ``high`` inclusive, for axis labels and grid lines."""
    step = nice_step(high - low, target)
    first = math.ceil(low / step - 1e-9) * step
    values = []
    value = first
    while value <= high + 1e-9:
        values.append(round(value, 10))
        value += step
    return values


def legend(
    items: Sequence[tuple[str, str]], y: float, *, left: float = 8.0, right: float = 392.0
) -> tuple[list[str], float]:
    """Colour keys laid out left to right, wrapping onto a new line when the width runs out;
    returns the markup and the ``y`` of its last line."""
    parts = []
    x = left
    for label, color in items:
        width = 18 + text_width(label, SMALL_FONT)
        if x + width > right and x > left:
            x, y = left, y + LINE_HEIGHT
        parts.append(rect(x, y, 11, 11, fill=color, rx=2))
        parts.append(text(x + 16, y + 10, label, font_size=SMALL_FONT))
        x += width + 16
    return parts, y
