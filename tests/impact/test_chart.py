"""The impact chart: well-formed SVG labelled for screen readers, the action's date marked, the
fitted lines where the segmented regression puts them, the control dashed, numbers written the
reader's way."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date

import pytest

from cxgap.impact import measure_impact
from cxgap.impact.chart import LEFT, RIGHT, WIDTH, impact_svg
from cxgap.impact.series import Point
from tests.impact.references import ITS

NS = {"svg": "http://www.w3.org/2000/svg"}


def monthly(values: list[float], n: int | None = None) -> list[Point]:
    return [Point(date(2025 + i // 12, i % 12 + 1, 1), value, n) for i, value in enumerate(values)]


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # raises on anything that is not well-formed XML


def test_title_desc_date_mark_and_fitted_lines() -> None:
    points = monthly(ITS["level_jump"].values, 300)
    when = date(2025, 9, 1)
    impact = measure_impact(points, when)
    root = parse(impact_svg(points, when, locale="en", impact=impact))
    assert root.get("role") == "img"
    title = root.find("svg:title", NS)
    assert title is not None
    assert title.text == "The metric before and after the action of 2025-09-01"
    desc = root.find("svg:desc", NS)
    assert desc is not None and desc.text is not None
    assert desc.text.startswith("16 periods from 2025-01-01 to 2026-04-01")
    assert "Level change at the action: +6.49" in desc.text
    mark = root.find(".//svg:line[@class='action-date']", NS)
    assert mark is not None
    # September is the 9th of 16 periods: index 8 on a scale from LEFT+10 to WIDTH-RIGHT-10
    x8 = LEFT + 10 + 8 / 15 * (WIDTH - RIGHT - 20 - LEFT)
    assert float(mark.get("x1", "0")) == pytest.approx(x8, abs=0.06)
    fits = root.findall(".//svg:line[@class='fit']", NS)
    assert len(fits) == 2  # one line each side
    assert len(root.findall(".//svg:line[@class='trend']", NS)) == 1
    # the jump drawn at the date: the line after starts higher than the one before ends
    before_end, after_start = float(fits[0].get("y2", "0")), float(fits[1].get("y1", "0"))
    assert after_start < before_end - 20  # SVG y grows downwards
    dots = root.findall(".//svg:circle", NS)
    assert len(dots) == 16
    assert dots[0].find("svg:title", NS).text == "2025-01-01: 42.74 (300 answers)"  # type: ignore[union-attr]


def test_control_is_dashed_and_french_numbers() -> None:
    points = monthly([0.31, 0.29, 0.33, 0.3, 0.21, 0.2, 0.22])
    control = monthly([0.28, 0.3, 0.29, 0.31, 0.3, 0.29, 0.31, 0.3])  # one period more
    when = date(2025, 5, 1)
    impact = measure_impact(points, when)
    svg = impact_svg(points, when, locale="fr", control=control, impact=impact)
    root = parse(svg)
    control_line = root.find(".//svg:polyline[@class='control']", NS)
    assert control_line is not None and control_line.get("stroke-dasharray") == "6 4"
    labels = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert "0,2" in labels or "0,20" in labels  # decimal comma on the axis
    assert "témoin" in labels and "action 2025-05-01" in labels
    assert "L'indicateur avant et après l'action du 2025-05-01" in svg.replace("&#x27;", "'")
    # a short series: the before/after means, flat on each side
    fits = root.findall(".//svg:line[@class='fit']", NS)
    assert len(fits) == 2 and all(f.get("y1") == f.get("y2") for f in fits)


def test_an_empty_series_says_so() -> None:
    root = parse(impact_svg([], date(2026, 1, 1), locale="en"))
    desc = root.find("svg:desc", NS)
    assert desc is not None and desc.text == "No period measured yet."


def test_a_share_axis_stays_within_0_and_1_and_the_carried_trend_is_cut_there() -> None:
    # A steep fall before the date: the trend carried on after it goes below 0 (to −0.45).
    points = monthly([0.9, 0.75, 0.6, 0.45, 0.3, 0.32, 0.31, 0.3, 0.33, 0.31])
    when = date(2025, 5, 1)
    impact = measure_impact(points, when)
    free = parse(impact_svg(points, when, locale="en", impact=impact))
    bounded = parse(impact_svg(points, when, locale="en", impact=impact, bounds=(0.0, 1.0)))

    def labels(root: ET.Element) -> list[float]:
        texts = [(t.text or "").replace("−", "-") for t in root.findall(".//svg:text", NS)
                 if t.get("text-anchor") == "end"]  # fmt: skip
        return [float(v) for v in texts if v.lstrip("-").replace(".", "").isdigit()]

    assert min(labels(free)) < 0  # without bounds the axis follows the trend below 0
    assert min(labels(bounded)) >= 0 and max(labels(bounded)) <= 1
    trend = bounded.find(".//svg:line[@class='trend']", NS)
    assert trend is not None
    base = max(float(line.get("y1", "0")) for line in bounded.findall(".//svg:line", NS))
    assert float(trend.get("y2", "0")) <= base + 1e-6  # cut where it meets the axis' 0
    assert float(trend.get("x2", "0")) < WIDTH - RIGHT - 10  # so it ends before the last period
