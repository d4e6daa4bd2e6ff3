"""The journey map SVG: well-formed, one group per touchpoint, no overlapping text, escaped."""

from __future__ import annotations

import itertools
import xml.etree.ElementTree as ET
from dataclasses import replace

import pytest

from cxgap.journeys.layout import layout_map
from cxgap.journeys.model import Text
from cxgap.journeys.svg import LABELS, render_journey_svg
from tests.journeys.samples import sample_journey

NS = {"svg": "http://www.w3.org/2000/svg"}


@pytest.mark.parametrize("n", [3, 12, 40])
@pytest.mark.parametrize("locale", ["en", "fr"])
def test_one_group_per_touchpoint(n: int, locale: str) -> None:
    journey = sample_journey(n)
    root = ET.fromstring(render_journey_svg(journey, locale=locale))
    groups = root.findall(".//svg:g[@class='touchpoint']", NS)
    assert [g.get("data-key") for g in groups] == [tp.key for tp in journey.touchpoints]
    assert len(root.findall(".//svg:path[@class='moment']", NS)) == sum(
        tp.moment_of_truth for tp in journey.touchpoints
    )


@pytest.mark.parametrize("n", [3, 7, 40])
@pytest.mark.parametrize("locale", ["en", "fr"])
def test_no_text_boxes_overlap(n: int, locale: str) -> None:
    layout = layout_map(sample_journey(n), LABELS[locale], locale)
    boxes = [t.box for t in layout.texts]
    overlaps = [
        (a, b)
        for a, b in itertools.combinations(boxes, 2)
        if a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]
    ]
    assert overlaps == []
    assert all(box[0] >= 0 and box[2] <= layout.width for box in boxes)
    assert all(box[1] >= 0 and box[3] <= layout.height for box in boxes)


def test_the_overlap_check_can_fail() -> None:
    layout = layout_map(sample_journey(3), LABELS["en"], "en")
    a, b = layout.texts[0].box, replace(layout.texts[0], x=layout.texts[0].x + 5).box
    assert a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def test_card_text_stays_inside_its_column() -> None:
    layout = layout_map(sample_journey(40), LABELS["en"], "en")
    for block in layout.texts:
        if block.owner:
            centre = layout.slots[block.owner]
            left, _, right, _ = block.box
            assert centre - 75 <= left and right <= centre + 75


def test_user_strings_are_escaped() -> None:
    journey = sample_journey(3)
    evil = '<script>alert("x")</script> & co'
    stage = journey.stages[0]
    tp = replace(stage.touchpoints[0], name=Text(evil, evil), key="tp-evil")
    journey = replace(
        journey,
        name=Text(evil, evil),
        stages=(replace(stage, name=Text(evil, evil), touchpoints=(tp,)), *journey.stages[1:]),
    )
    svg = render_journey_svg(journey)
    assert "<script>" not in svg
    root = ET.fromstring(svg)
    texts = ["".join(t.itertext()) for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert any("<script>" in text for text in texts)  # shown as text, not markup


def test_long_names_wrap_within_the_card() -> None:
    layout = layout_map(sample_journey(3), LABELS["fr"], "fr")
    names = [t for t in layout.texts if t.owner == "tp-0-0" and t.weight == "bold"]
    assert len(names[0].lines) > 1
