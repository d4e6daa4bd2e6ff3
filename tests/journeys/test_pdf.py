"""The printable journey PDF, read back with pypdfium2: landscape A4 or Letter pages, the map
split by whole stages, every touchpoint's measured figures in the overlay table."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from typing import Any

import pytest

from cxgap.demo.journeys import demo_journeys
from cxgap.errors import ValidationError
from cxgap.journeys.export import render_pdf
from cxgap.journeys.model import Journey
from cxgap.journeys.pdf import MIN_SCALE, PAPERS, split_map
from tests.journeys.samples import measured_journey, sample_journey

pdfium = pytest.importorskip("pypdfium2")

A4 = (841.89, 595.28)  # landscape, points: 297 × 210 mm
LETTER = (792.0, 612.0)  # 11 × 8.5 in


@contextmanager
def opened(data: bytes) -> Iterator[Any]:
    document = pdfium.PdfDocument(data)
    try:
        yield document
    finally:
        document.close()


def page_texts(document: Any) -> list[str]:
    return [page.get_textpage().get_text_range() for page in document]


def flat(text: str) -> str:
    """Text as pdfium returns it, with its line breaks folded into spaces."""
    return " ".join(text.split())


@pytest.mark.parametrize(
    ("locale", "paper", "size"),
    [("fr", None, A4), ("en", None, LETTER), ("en", "a4", A4), ("fr", "LETTER", LETTER)],
)
def test_pages_are_landscape_a4_or_letter(
    locale: str, paper: str | None, size: tuple[float, float]
) -> None:
    with opened(render_pdf(measured_journey(13), locale=locale, paper=paper)) as document:
        sizes = [page.get_size() for page in document]
    assert len(sizes) >= 2
    for width, height in sizes:
        assert (width, height) == pytest.approx(size, abs=0.5)


def test_an_unknown_paper_is_refused_with_its_value() -> None:
    with pytest.raises(ValidationError) as caught:
        render_pdf(sample_journey(3), paper="a3")
    problem = caught.value.problems[0]
    assert (problem.field, problem.value) == ("paper", "a3")


def test_the_demo_map_is_split_by_stages_then_the_overlay_table_follows() -> None:
    """The demo's 13 touchpoints in 6 stages (one 1,587 × 439 pt strip before) print as
    several map pages, each with whole stages, then the table."""
    journey = demo_journeys()[0]
    assert len(journey.touchpoints) == 13
    with opened(render_pdf(journey, locale="fr")) as document:
        texts = page_texts(document)
    map_pages = [t for t in texts if "Émotion du" in t]
    assert 2 <= len(map_pages) < len(texts)
    stage_names = [stage.name.fr for stage in journey.stages]
    # Each stage's name is on exactly one map page, in the journey's order.
    where = [next(i for i, t in enumerate(map_pages) if name in flat(t)) for name in stage_names]
    assert where == sorted(where) and where[0] == 0 and where[-1] == len(map_pages) - 1
    for name in stage_names:
        assert sum(name in flat(t) for t in map_pages) == 1, name
    table = flat(" ".join(texts[len(map_pages) :]))
    assert "Mesures superposées" in table and "Point de contact" in table
    for tp in journey.touchpoints:
        assert tp.name.fr in table, tp.name.fr
    assert f"page 1 sur {len(texts)}" in flat(texts[0])


def test_the_overlay_table_holds_each_touchpoints_measured_figures() -> None:
    journey = measured_journey(13)
    with opened(render_pdf(journey, locale="en", paper="a4")) as document:
        texts = page_texts(document)
    first_table = next(i for i, t in enumerate(texts) if "Measured overlay" in t)
    table = flat(" ".join(texts[first_table:]))
    for heading in ("Touchpoint", "Declared", "Measured", "Feedback", "Sentiment", "NPS"):
        assert heading in table
    assert "Top irritants" in table and "Late delivery (12)" in table
    first, last = journey.touchpoints[0], journey.touchpoints[-1]
    # Figures formatted for the reader: thousands separators, signs, a true minus.
    assert first.measured.feedback_count == 1000 and "1,000" in table
    assert last.measured.feedback_count == 1444 and "1,444" in table
    assert first.measured.nps == -87 and "\u221287" in table
    assert "\u22120.90" in table  # the first touchpoint's sentiment, -0.9
    # tp-0-0 is declared critical and measured sensitive: the table flags it.
    assert "Sensitive ≠ declared" in table


def test_french_figures_use_a_decimal_comma() -> None:
    with opened(render_pdf(measured_journey(3), locale="fr")) as document:
        table = flat(page_texts(document)[-1])
    assert "\u22120,90" in table and "3,4" in table and "Livraison en retard (12)" in table


@pytest.mark.parametrize("n", [1, 5, 13, 40])
@pytest.mark.parametrize("paper", sorted(PAPERS))
def test_every_page_keeps_whole_stages_at_a_readable_scale(n: int, paper: str) -> None:
    journey = measured_journey(n)
    width, height = PAPERS[paper]
    area = (width - 60, height - 80)
    pages = split_map(journey, area)
    shown = [stage.key for page in pages for stage in page.journey.stages]
    assert shown == [stage.key for stage in journey.stages]
    for page in pages:
        assert page.width * page.scale <= area[0] + 0.01
        assert page.height * page.scale <= area[1] + 0.01
        assert page.scale >= MIN_SCALE
    # No two neighbouring pages could have shared one at a readable scale.
    for before, after in itertools.pairwise(pages):
        merged = Journey(
            key="m", name=journey.name, stages=before.journey.stages + after.journey.stages
        )
        assert split_map(merged, area)[0].journey.stages != merged.stages


def test_an_empty_journey_still_prints_its_title_and_table() -> None:
    journey = Journey(key="empty", name=sample_journey(1).name)
    with opened(render_pdf(journey, locale="en")) as document:
        texts = page_texts(document)
    assert len(texts) == 2
    assert "Sample journey" in texts[0] and "Measured overlay" in texts[1]


@pytest.mark.parametrize("paper", sorted(PAPERS))
def test_a_stage_too_wide_for_a_page_is_cut_into_named_parts(paper: str) -> None:
    many = sample_journey(20)
    stage = replace(many.stages[0], touchpoints=tuple(many.touchpoints))
    journey = replace(many, stages=(stage,))
    width, height = PAPERS[paper]
    pages = split_map(journey, (width - 60, height - 80))
    assert len(pages) >= 3
    assert all(page.scale >= MIN_SCALE for page in pages)
    shown = [tp.key for page in pages for tp in page.journey.touchpoints]
    assert shown == [tp.key for tp in journey.touchpoints]
    names = [s.name.en for page in pages for s in page.journey.stages]
    assert names == [f"{stage.name.en} ({n}/{len(pages)})" for n in range(1, len(pages) + 1)]
    with opened(render_pdf(journey, locale="fr", paper=paper)) as document:
        first = flat(page_texts(document)[0])
    assert f"{stage.name.fr} (1/{len(pages)})" in first
