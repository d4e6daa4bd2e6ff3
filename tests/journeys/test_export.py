"""PNG and PDF exports: real files of the expected size, with the text in them."""

from __future__ import annotations

import itertools
import struct
import xml.etree.ElementTree as ET

import pytest

from cxgap.journeys.export import render_pdf, render_png
from cxgap.journeys.svg import map_layout, render_journey_svg
from tests.journeys.samples import measured_journey

NS = {"svg": "http://www.w3.org/2000/svg"}


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def svg_size(svg: str) -> tuple[int, int]:
    root = ET.fromstring(svg)
    return round(float(root.get("width", 0))), round(float(root.get("height", 0)))


@pytest.mark.parametrize("n", [3, 40])
def test_png_is_a_real_image_the_size_of_the_map(n: int) -> None:
    journey = measured_journey(n)
    png = render_png(journey, locale="fr")
    assert png_size(png) == svg_size(render_journey_svg(journey, locale="fr"))
    assert png_size(render_png(journey, zoom=2))[0] == 2 * png_size(png)[0]


def test_png_has_text_drawn_with_the_vendored_font() -> None:
    # Without the font, resvg draws no glyph: the image then compresses much better.
    import io

    from PIL import Image

    journey = measured_journey(3)
    image = Image.open(io.BytesIO(render_png(journey))).convert("L")
    left_labels = image.crop((0, 150, 140, 400))  # the lane names, text only
    assert left_labels.getextrema()[0] < 100  # dark glyph pixels are there


def test_pdf_has_searchable_french_text() -> None:
    """Page sizes, splitting and the overlay table: tests/journeys/test_pdf.py."""
    pdfium = pytest.importorskip("pypdfium2")
    journey = measured_journey(5)
    data = render_pdf(journey, locale="fr")
    assert data.startswith(b"%PDF-")
    document = pdfium.PdfDocument(data)
    # French puts a narrow no-break space before ":" (extracted as one or as a space).
    text = "".join(page.get_textpage().get_text_range() for page in document).replace("\u202f", " ")
    document.close()
    for expected in (
        "Parcours mesuré",
        "Émotion du",
        "Après l'achat",
        "Très sensible",
        "Avis : 1000",
    ):
        assert expected in text


@pytest.mark.parametrize("n", [3, 40])
@pytest.mark.parametrize("locale", ["en", "fr"])
def test_the_measured_lane_keeps_text_apart(n: int, locale: str) -> None:
    layout = map_layout(measured_journey(n), locale=locale)
    assert "measured" in layout.lanes
    boxes = [t.box for t in layout.texts]
    overlaps = [
        (a, b)
        for a, b in itertools.combinations(boxes, 2)
        if a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]
    ]
    assert overlaps == []


def test_the_map_shows_the_overlay_and_flags_disagreements() -> None:
    journey = measured_journey(3)
    svg = render_journey_svg(journey, locale="en")
    root = ET.fromstring(svg)
    assert len(root.findall(".//svg:rect[@class='sentiment-negative']", NS)) >= 1
    assert "Feedback: 1,000" in svg and "NPS: \u221287" in svg
    # tp-0-0 declared critical, measured sensitive: flagged
    assert "≠ measured: Sensitive" in svg
