"""The Listening charts are well-formed, labelled SVG, and never draw a suppressed value."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from cxgap.reporting.listening_charts import SeriesPoint, series_chart, sparkline
from cxgap.reporting.svg import ChartText

NS = "{http://www.w3.org/2000/svg}"


def _points() -> list[SeriesPoint]:
    return [
        SeriesPoint("Jan 26", 20.0, 10.0, 30.0, "Jan: 20"),
        SeriesPoint("Feb 26", None, None, None, "Feb: too few <answers>"),
        SeriesPoint("Mar 26", 25.0, 15.0, 35.0, "Mar: 25"),
        SeriesPoint("Apr 26", 30.0, 22.0, 38.0, "Apr: 30"),
    ]


def test_series_chart_breaks_the_line_at_suppressed_periods() -> None:
    chart = ChartText("trend-nps", "NPS", "NPS per month")
    markup = series_chart(_points(), chart, domain=(-100.0, 100.0))
    root = ET.fromstring(markup)
    assert root.get("role") == "img" and root.find(f"{NS}title").text == "NPS"
    dots = root.findall(f".//{NS}circle[@class='dot']")
    rings = root.findall(f".//{NS}circle[@class='suppressed']")
    assert [d.get("data-value") for d in dots] == ["20", "25", "30"]
    assert len(rings) == 1 and rings[0].find(f"{NS}title").text == "Feb: too few <answers>"
    # One line through March and April only; January stands alone with its interval.
    lines = root.findall(f".//{NS}polyline")
    assert len(lines) == 1 and len(lines[0].get("points").split()) == 2
    assert len(root.findall(f".//{NS}polygon[@class='band']")) == 1


def test_sparkline_leaves_gaps_and_is_labelled() -> None:
    root = ET.fromstring(sparkline([0.2, 0.4, None, 0.1], "Negative share of Delivery"))
    assert root.get("aria-label") == "Negative share of Delivery"
    assert len(root.findall(f"{NS}polyline")) == 1
    assert len(root.findall(f"{NS}circle")) == 2  # the ends of both runs
