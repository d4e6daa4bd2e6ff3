"""The journey map as PNG and PDF, offline and identical on any machine.

Both start from the SVG of ``journeys.svg`` drawn in the vendored DejaVu Sans Condensed
(``fonts/``, from the npm package ``dejavu-fonts-ttf`` 2.37.3, with its licence), so text
renders the same on a bare machine, French accents included.

- **PNG**: resvg (``resvg-py``, a Rust renderer in an abi3 wheel), system fonts skipped.
- **PDF**: fpdf2 (pure Python) draws the SVG's shapes as vectors and sets the text from the
  same layout with the font embedded and subset: text stays selectable and searchable. The
  pages are landscape A4 or Letter, the map split by stages, then the overlay table
  (``journeys.pdf``).

Compared before choosing: cairosvg needs the system cairo library; svglib + reportlab are
two packages for what fpdf2 does alone (not tried further); headless Chromium is far heavier
and not always installed; pypdfium2 reads PDFs (the tests use it) but does not draw SVG.
"""

from __future__ import annotations

import json
from pathlib import Path

from cxgap.errors import ConfigError, ValidationError
from cxgap.journeys.document import journey_to_document
from cxgap.journeys.model import Journey
from cxgap.journeys.pdf import check_paper, render_printable_pdf
from cxgap.journeys.svg import render_journey_svg

FONT_DIR = Path(__file__).with_name("fonts")
# The typographic family of the condensed faces (the only ones loaded, so they are used).
FONT_FAMILY = "DejaVu Sans"
FONT_FILES = {"": "DejaVuSansCondensed.ttf", "B": "DejaVuSansCondensed-Bold.ttf"}


def render(
    journey: Journey, format_: str, *, locale: str = "en", paper: str | None = None
) -> bytes:
    """The journey as ``json`` (the contract document), ``svg``, ``png`` or ``pdf`` bytes;
    ``paper`` (``a4`` or ``letter``) for the PDF."""
    if format_ == "json":
        document = journey_to_document(journey, locale=locale)
        return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    if format_ == "svg":
        return render_journey_svg(journey, locale=locale).encode("utf-8")
    if format_ == "png":
        return render_png(journey, locale=locale)
    if format_ == "pdf":
        return render_pdf(journey, locale=locale, paper=paper)
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


def render_pdf(journey: Journey, *, locale: str = "en", paper: str | None = None) -> bytes:
    """The map on landscape ``paper`` pages (``a4`` or ``letter``; by default A4 in French and
    Letter in English), split by stages when needed, then the measured overlay table."""
    font = (FONT_FAMILY, {style: FONT_DIR / name for style, name in FONT_FILES.items()})
    paper = check_paper(paper, locale)
    return render_printable_pdf(journey, locale=locale, paper=paper, font=font)
