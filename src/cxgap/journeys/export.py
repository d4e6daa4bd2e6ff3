"""The journey map as PNG and PDF, offline and identical on any machine.

Both start from the SVG of ``journeys.svg`` drawn in the vendored DejaVu Sans Condensed
(``fonts/``, from the npm package ``dejavu-fonts-ttf`` 2.37.3, with its licence), so text
renders the same on a bare machine, French accents included.

- **PNG**: resvg (``resvg-py``, a Rust renderer in an abi3 wheel), system fonts skipped.
- **PDF**: fpdf2 (pure Python) draws the SVG's shapes as vectors and sets the text from the
  same layout with the font embedded and subset: text stays selectable and searchable, and
  the page is the size of the map.

Compared before choosing: cairosvg needs the system cairo library; svglib + reportlab are
two packages for what fpdf2 does alone (not tried further); headless Chromium is far heavier
and not always installed; pypdfium2 reads PDFs (the tests use it) but does not draw SVG.
"""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

from cxgap.errors import ConfigError, ValidationError
from cxgap.journeys.document import journey_to_document
from cxgap.journeys.layout import TextBlock
from cxgap.journeys.model import Journey
from cxgap.journeys.svg import map_layout, render_journey_svg

FONT_DIR = Path(__file__).with_name("fonts")
# The typographic family of the condensed faces (the only ones loaded, so they are used).
FONT_FAMILY = "DejaVu Sans"
FONT_FILES = {"": "DejaVuSansCondensed.ttf", "B": "DejaVuSansCondensed-Bold.ttf"}
PX_TO_PT = 0.75  # CSS pixels are 1/96 in, PDF points 1/72 in


def render(journey: Journey, format_: str, *, locale: str = "en") -> bytes:
    """The journey as ``json`` (the contract document), ``svg``, ``png`` or ``pdf`` bytes."""
    if format_ == "json":
        document = journey_to_document(journey, locale=locale)
        return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    if format_ == "svg":
        return render_journey_svg(journey, locale=locale).encode("utf-8")
    if format_ == "png":
        return render_png(journey, locale=locale)
    if format_ == "pdf":
        return render_pdf(journey, locale=locale)
    raise ValidationError.single("format", "must be json, svg, png or pdf", format_)


def export_svg(journey: Journey, *, locale: str = "en") -> str:
    """The SVG the PNG and PDF are drawn from (the vendored font named)."""
    return render_journey_svg(journey, locale=locale, font_family=FONT_FAMILY)


def render_png(journey: Journey, *, locale: str = "en", zoom: float = 1.0) -> bytes:
    """The map as PNG bytes, ``zoom`` times the SVG's pixel size."""
    try:
        import resvg_py
    except ImportError as exc:  # pragma: no cover - a declared dependency
        raise ConfigError("PNG export needs resvg-py: pip install resvg-py") from exc
    return bytes(
        resvg_py.svg_to_bytes(
            svg_string=export_svg(journey, locale=locale),
            skip_system_fonts=True,
            font_files=[str(FONT_DIR / name) for name in FONT_FILES.values()],
            font_family=FONT_FAMILY,
            sans_serif_family=FONT_FAMILY,
            background="#ffffff",
            zoom=zoom,
            text_rendering="optimize_legibility",
        )
    )


def render_pdf(journey: Journey, *, locale: str = "en") -> bytes:
    """The map as a one-page vector PDF the size of the map."""
    try:
        import fpdf
    except ImportError as exc:  # pragma: no cover - a declared dependency
        raise ConfigError("PDF export needs fpdf2: pip install fpdf2") from exc
    svg = render_journey_svg(journey, locale=locale, font_family=FONT_FAMILY, with_text=False)
    width, height = _svg_size(svg)
    pdf = fpdf.FPDF(unit="pt", format=(width * PX_TO_PT, height * PX_TO_PT))
    pdf.set_margin(0)
    pdf.set_auto_page_break(False)
    pdf.set_title(journey.name.get(locale))
    pdf.set_creator("cxgap")
    for style, name in FONT_FILES.items():
        pdf.add_font(FONT_FAMILY, style, str(FONT_DIR / name))
    pdf.add_page()
    pdf.image(io.BytesIO(svg.encode("utf-8")), x=0, y=0, w=width * PX_TO_PT)
    # Text is set here rather than drawn from the SVG: fpdf2 ignores text-anchor, and this way
    # it sits above every shape.
    for block in map_layout(journey, locale=locale).texts:
        _set_text(pdf, block)
    return bytes(pdf.output())


def _set_text(pdf: Any, block: TextBlock) -> None:
    pdf.set_font(FONT_FAMILY, "B" if block.weight == "bold" else "", block.size * PX_TO_PT)
    colour = block.fill.lstrip("#")
    pdf.set_text_color(*(int(colour[i : i + 2], 16) for i in (0, 2, 4)))
    for i, line in enumerate(block.lines):
        width = pdf.get_string_width(line) / PX_TO_PT
        shift = {"start": 0.0, "middle": width / 2, "end": width}[block.anchor]
        baseline = block.y + block.line_height * 0.78 + i * block.line_height
        pdf.text((block.x - shift) * PX_TO_PT, baseline * PX_TO_PT, line)


def _svg_size(svg: str) -> tuple[float, float]:
    head = svg[: svg.index(">")]
    width = head.split(' width="', 1)[1].split('"', 1)[0]
    height = head.split(' height="', 1)[1].split('"', 1)[0]
    return float(width), float(height)
