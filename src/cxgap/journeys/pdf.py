"""The journey map as a printable PDF: landscape A4 or Letter pages, the map split by stages
when it is too wide for one page, then the measured overlay table on the following pages.

Each map page holds as many whole stages as fit at ``MIN_SCALE`` or more of the map's natural
size (a stage wider than a page alone is cut into parts, "Stage (1/2)", "Stage (2/2)"). The
map is drawn as vectors from the SVG of ``journeys.svg`` and its text set from the same
layout, with the vendored DejaVu font embedded (``journeys.export``), so text stays
selectable and searchable.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from cxgap.errors import ConfigError, ValidationError
from cxgap.i18n import translate
from cxgap.journeys.criticality import disagrees
from cxgap.journeys.layout import TextBlock
from cxgap.journeys.model import Journey, Stage, Text, Touchpoint
from cxgap.journeys.svg import map_layout, render_journey_svg
from cxgap.reporting.formatting import MISSING, format_count, format_number

# Landscape sizes in points (1/72 in).
PAPERS: dict[str, tuple[float, float]] = {"a4": (841.89, 595.28), "letter": (792.0, 612.0)}
MARGIN = 28.35  # 10 mm
FOOTER = 16.0
PX_TO_PT = 0.75  # CSS pixels are 1/96 in, PDF points 1/72 in
MIN_SCALE = 0.8  # smallest share of the map's natural size a page of several stages uses


def default_paper(locale: str) -> str:
    """A4 for French documents, Letter for English ones.

    >>> default_paper("fr"), default_paper("en")
    ('a4', 'letter')
    """
    return "a4" if locale == "fr" else "letter"


def check_paper(paper: str | None, locale: str) -> str:
    """``paper`` lower-cased, the locale's default when empty; anything else is refused."""
    chosen = (paper or default_paper(locale)).strip().lower()
    if chosen not in PAPERS:
        raise ValidationError.single("paper", "must be a4 or letter", paper)
    return chosen


@dataclass(frozen=True)
class MapPage:
    """The stages one page shows, and the scale that fits them on it."""

    journey: Journey
    width: float  # of the map at natural size, in points
    height: float
    scale: float


def _fit(
    journey: Journey, stages: Sequence[Stage], area: tuple[float, float], locale: str
) -> MapPage:
    part = replace(journey, stages=tuple(stages))
    layout = map_layout(part, locale=locale)
    width, height = layout.width * PX_TO_PT, layout.height * PX_TO_PT
    scale = min(area[0] / width, area[1] / height, 1.0)
    return MapPage(part, width, height, scale)


def split_map(journey: Journey, area: tuple[float, float], locale: str = "en") -> list[MapPage]:
    """The map pages of ``journey`` for a printable ``area`` (width, height in points): whole
    stages, in order, as many per page as fit at ``MIN_SCALE`` or more. A stage too wide for
    a page of its own is cut into parts named "Stage (1/2)", "Stage (2/2)"."""
    pages: list[MapPage] = []
    chunk: list[Stage] = []
    for whole in journey.stages:
        for stage in _stage_parts(journey, whole, area, locale):
            if chunk and _fit(journey, [*chunk, stage], area, locale).scale < MIN_SCALE:
                pages.append(_fit(journey, chunk, area, locale))
                chunk = []
            chunk.append(stage)
    if chunk or not pages:
        pages.append(_fit(journey, chunk, area, locale))
    return pages


def _stage_parts(
    journey: Journey, stage: Stage, area: tuple[float, float], locale: str
) -> list[Stage]:
    """``stage``, or its touchpoints in parts that each fit a page at ``MIN_SCALE``."""
    size = len(stage.touchpoints)
    while size > 1:
        part = replace(stage, touchpoints=stage.touchpoints[:size])
        if _fit(journey, [part], area, locale).scale >= MIN_SCALE:
            break
        size -= 1
    if size >= len(stage.touchpoints):
        return [stage]
    runs = [stage.touchpoints[i : i + size] for i in range(0, len(stage.touchpoints), size)]
    return [
        replace(
            stage,
            name=Text(f"{stage.name.en} ({n}/{len(runs)})", f"{stage.name.fr} ({n}/{len(runs)})"),
            touchpoints=run,
        )
        for n, run in enumerate(runs, start=1)
    ]


class _Document:
    """An fpdf2 document with the embedded font and a footer on every page."""

    def __init__(self, journey: Journey, locale: str, paper: str, font: tuple[str, Any]) -> None:
        import fpdf

        family, files = font
        title, footer = journey.name.get(locale), self._footer

        class _PDF(fpdf.FPDF):
            def footer(self) -> None:
                footer(self, family, title, locale)

        self.pdf = _PDF(orientation="landscape", unit="pt", format=paper)
        self.pdf.set_margins(MARGIN, MARGIN, MARGIN)
        self.pdf.set_auto_page_break(True, margin=MARGIN + FOOTER)
        self.pdf.set_title(title)
        self.pdf.set_creator("cxgap")
        self.pdf.set_lang(locale)
        self.family = family
        for style, path in files.items():
            self.pdf.add_font(family, style, str(path))

    @staticmethod
    def _footer(pdf: Any, family: str, title: str, locale: str) -> None:
        pdf.set_y(-(MARGIN + FOOTER) + 4)
        pdf.set_font(family, "", 7.5)
        pdf.set_text_color(107, 114, 128)
        page = translate("layout.journey_pdf.page", locale, n=pdf.page_no(), total="{nb}")
        pdf.cell(0, 10, f"{title} · {page}", align="R")


def render_printable_pdf(
    journey: Journey, *, locale: str, paper: str, font: tuple[str, Any]
) -> bytes:
    """The journey as PDF bytes on ``paper`` (``a4`` or ``letter``) landscape pages; ``font``:
    the family name and ``{style: path}`` of the TrueType files to embed."""
    try:
        import fpdf  # noqa: F401
    except ImportError as exc:  # pragma: no cover - a declared dependency
        raise ConfigError("PDF export needs fpdf2: pip install fpdf2") from exc
    doc = _Document(journey, locale, paper, font)
    page_w, page_h = PAPERS[paper]
    area = (page_w - 2 * MARGIN, page_h - 2 * MARGIN - FOOTER)
    for page in split_map(journey, area, locale):
        _draw_map(doc, page, locale)
    _draw_overlay(doc, journey, locale)
    return bytes(doc.pdf.output())


def _draw_map(doc: _Document, page: MapPage, locale: str) -> None:
    pdf = doc.pdf
    pdf.add_page()
    svg = render_journey_svg(page.journey, locale=locale, font_family=doc.family, with_text=False)
    k = page.scale
    pdf.image(io.BytesIO(svg.encode("utf-8")), x=MARGIN, y=MARGIN, w=page.width * k)
    # The text is set here rather than drawn from the SVG: fpdf2 ignores text-anchor, and
    # this way it sits above every shape.
    for block in map_layout(page.journey, locale=locale).texts:
        _set_text(pdf, doc.family, block, PX_TO_PT * k)


def _set_text(pdf: Any, family: str, block: TextBlock, k: float) -> None:
    """One wrapped text block of the layout, ``k`` points per layout pixel."""
    pdf.set_font(family, "B" if block.weight == "bold" else "", block.size * k)
    colour = block.fill.lstrip("#")
    pdf.set_text_color(*(int(colour[i : i + 2], 16) for i in (0, 2, 4)))
    for i, line in enumerate(block.lines):
        width = pdf.get_string_width(line) / k
        shift = {"start": 0.0, "middle": width / 2, "end": width}[block.anchor]
        baseline = block.y + block.line_height * 0.78 + i * block.line_height
        pdf.text(MARGIN + (block.x - shift) * k, MARGIN + baseline * k, line)


COLUMNS = ("touchpoint", "declared", "measured", "volume", "sentiment", "nps", "csat", "irritants")
WIDTHS = (150, 62, 70, 42, 52, 36, 36, 200)  # relative; the table spans the printable width


def _draw_overlay(doc: _Document, journey: Journey, locale: str) -> None:
    pdf = doc.pdf
    pdf.add_page()
    pdf.set_text_color(31, 41, 55)
    pdf.set_font(doc.family, "B", 14)
    pdf.cell(0, 20, translate("journeys.overlay.title", locale), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(doc.family, "", 8.5)
    measured = any(tp.measured.feedback_count for tp in journey.touchpoints)
    intro = "journeys.overlay.intro" if measured else "journeys.overlay.none"
    pdf.multi_cell(0, 11, translate(intro, locale), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)
    pdf.set_font(doc.family, "", 8.5)
    right = ("volume", "sentiment", "nps", "csat")
    align = tuple("RIGHT" if c in right else "LEFT" for c in COLUMNS)
    with pdf.table(
        col_widths=WIDTHS, text_align=align, line_height=11, padding=3, repeat_headings=1
    ) as table:
        heading = table.row()
        for column in COLUMNS:
            heading.cell(translate(f"journeys.col.{column}", locale))
        for stage in journey.stages:
            for tp in stage.touchpoints:
                row = table.row()
                for text in overlay_row(tp, stage, locale):
                    row.cell(text)


def overlay_row(tp: Touchpoint, stage: Stage, locale: str) -> tuple[str, ...]:
    """The overlay table's cells for one touchpoint, as the reader sees them."""
    m = tp.measured
    declared = tp.declared_criticality.label(locale) if tp.declared_criticality else MISSING
    if m.measured_criticality is not None:
        measured = m.measured_criticality.label(locale)
        if disagrees(tp.declared_criticality, m.measured_criticality):
            measured += f" ≠ {translate('layout.journey_pdf.declared', locale)}"
    elif m.feedback_count:
        measured = translate("journeys.not_measured", locale)
    else:
        measured = MISSING
    irritants = "\n".join(
        f"{i.name.get(locale)} ({format_count(i.count, locale)})" for i in m.top_irritants
    )
    return (
        f"{tp.name.get(locale)}\n{stage.name.get(locale)}",
        declared,
        measured,
        format_count(m.feedback_count, locale),
        format_number(m.sentiment_mean, locale, decimals=2, signed=True),
        format_number(m.nps, locale, decimals=0, signed=True),
        format_number(m.csat, locale, decimals=1),
        irritants or MISSING,
    )
