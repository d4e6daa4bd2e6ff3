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
    markup = series_chart(
        _points(), chart, domain=(-100.0, 100.0), hidden_note="period hidden: fewer than 30"
    )
    root = ET.fromstring(markup)
    assert root.get("role") == "img" and root.find(f"{NS}title").text == "NPS"
    dots = root.findall(f".//{NS}circle[@class='dot']")
    assert [d.get("data-value") for d in dots] == ["20", "25", "30"]
    # The hidden period is drawn at no value: no mark of any kind on the axis or elsewhere.
    assert len(root.findall(f".//{NS}circle")) == 3
    hidden = root.findall(f".//{NS}rect[@class='hidden-period']")
    assert len(hidden) == 1 and hidden[0].find(f"{NS}title").text == "Feb: too few <answers>"
    assert float(hidden[0].get("height")) > 150  # the whole plot height, not a point
    legend = root.findall(f".//{NS}text[@class='hidden-note']")
    assert [t.text for t in legend] == ["period hidden: fewer than 30"]
    # One line through March and April only; January stands alone with its interval.
    lines = root.findall(f".//{NS}polyline")
    assert len(lines) == 1 and len(lines[0].get("points").split()) == 2
    assert len(root.findall(f".//{NS}polygon[@class='band']")) == 1


def test_series_chart_without_hidden_periods_has_no_legend() -> None:
    points = [p for p in _points() if p.value is not None]
    markup = series_chart(
        points, ChartText("t", "NPS", "d"), domain=(-100.0, 100.0), hidden_note="hidden"
    )
    assert "hidden-note" not in markup and 'hidden-period"' not in markup


def test_sparkline_leaves_gaps_and_is_labelled() -> None:
    root = ET.fromstring(sparkline([0.2, 0.4, None, 0.1], "Negative share of Delivery"))
    assert root.get("aria-label") == "Negative share of Delivery"
    assert len(root.findall(f"{NS}polyline")) == 1
    assert len(root.findall(f"{NS}circle")) == 2  # the ends of both runs
