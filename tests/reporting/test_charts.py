"""The SVG charts: well-formed, labelled for screen readers, and geometrically honest."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from itertools import combinations

import pytest

from cxgap.pillars import DEFAULT_PILLARS
from cxgap.reporting.charts import (
    GapRow,
    IntervalRow,
    PairRow,
    diverging_bar_chart,
    interval_chart,
    paired_share_chart,
)
from cxgap.reporting.context import short_name
from cxgap.reporting.distributions import StackPart, histogram_chart, stacked_share_chart
from cxgap.reporting.plots import (
    IpaPoint,
    Quadrants,
    SlopeItem,
    importance_performance_chart,
    slope_chart,
)
from cxgap.reporting.svg import SMALL_FONT, ChartText, fit_text, text_width, wrap_text

SVG = "{http://www.w3.org/2000/svg}"
CHART = ChartText("test-chart", "A title", "A description")
EVIL = "<script>alert(1)</script> & \"quotes\" 'single'"


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def by_class(root: ET.Element, tag: str, cls: str) -> list[ET.Element]:
    return [e for e in root.iter(SVG + tag) if cls in (e.get("class") or "").split()]


def x_end(bar: ET.Element, zero: float) -> float:
    """The end of a horizontal bar away from the zero line."""
    x, width = float(bar.get("x", 0)), float(bar.get("width", 0))
    return x if abs(x - zero) > 0.01 else x + width


def gap_chart(rows: list[GapRow]) -> str:
    return diverging_bar_chart(
        rows,
        CHART,
        locale="en",
        negative_label="Customers rate higher",
        positive_label="Colleagues rate higher",
        significance_note="Solid bars are significant.",
    )


GAPS = [
    GapRow("Service", 1.35, 0.97, 1.73, "+1.35 *", True),
    GapRow("In person", -0.18, -0.66, 0.30, "−0.18", False),
    GapRow("Content", 0.35, -0.11, 0.81, "+0.35", False),
    GapRow("Friction", 0.97, 0.52, 1.42, "+0.97 *", True),
]


def all_charts() -> dict[str, str]:
    points = [
        IpaPoint(short_name(p.name_en), p.name_en, 2.7 + i * 0.13, 4.5 - i * 0.15, i < 3)
        for i, p in enumerate(DEFAULT_PILLARS)
    ]
    return {
        "diverging": gap_chart(GAPS),
        "paired": paired_share_chart(
            [PairRow("Service", 0.58, 0.06, "58%", "6%"), PairRow("Friction", None, 0.05)],
            CHART,
            locale="en",
            first_label="Colleagues",
            second_label="Customers",
        ),
        "interval": interval_chart(
            [IntervalRow("Gen X · n = 180", -8.3, -20.2, 3.6, "−8")],
            CHART,
            locale="en",
            domain=(-100.0, 100.0),
            kind="signed",
        ),
        "stacked": stacked_share_chart(
            [StackPart("Promoters", 150, 0.234, "#009E73", "23%")], CHART
        ),
        "histogram": histogram_chart(
            [(33, 1), (38, 2), (46, 1)],
            CHART,
            locale="en",
            x_domain=(10, 50),
            x_label="Total",
            y_label="Colleagues",
        ),
        "scatter": importance_performance_chart(
            points,
            CHART,
            locale="en",
            x_label="Performance",
            y_label="Importance",
            quadrants=Quadrants("Concentrate here", "Keep up", "Low priority", "Overkill"),
            x_mean=3.3,
            y_mean=3.9,
        ),
        "slope": slope_chart(
            [SlopeItem("Service", "Customer service", 7, 1), SlopeItem("Ads", "Ads", 1, 2)],
            CHART,
            left_title="Colleagues",
            right_title="Customers",
        ),
    }


@pytest.mark.parametrize("name", sorted(all_charts()))
def test_every_chart_is_an_accessible_well_formed_svg(name: str) -> None:
    root = parse(all_charts()[name])
    assert root.tag == SVG + "svg"
    assert root.get("role") == "img"
    ids = {e.get("id"): e.text for e in root if e.tag in (SVG + "title", SVG + "desc")}
    assert root.get("aria-labelledby", "").split() == ["test-chart-title", "test-chart-desc"]
    assert ids == {"test-chart-title": "A title", "test-chart-desc": "A description"}
    assert root.get("viewBox", "").startswith("0 0 ")


def test_diverging_chart_draws_one_bar_per_known_value() -> None:
    rows = [*GAPS, GapRow("Unknown", None, None, None, "—")]
    root = parse(gap_chart(rows))
    assert len(by_class(root, "rect", "bar")) == 4
    assert len(by_class(root, "line", "whisker")) == 4
    assert len(by_class(root, "g", "row")) == 5
    assert "—" in "".join(root.itertext())


def test_whiskers_bracket_the_value_and_bars_grow_from_zero() -> None:
    root = parse(gap_chart(GAPS))
    bars = by_class(root, "rect", "bar")
    whiskers = by_class(root, "line", "whisker")
    zero = min(float(b.get("x", 0)) for b in bars if float(b.get("data-value", 0)) > 0)
    ends = []
    for row, bar, whisker in zip(GAPS, bars, whiskers, strict=True):
        end = x_end(bar, zero)
        low, high = float(whisker.get("x1", 0)), float(whisker.get("x2", 0))
        assert low < end < high, row.label
        assert (end > zero) == (row.value is not None and row.value > 0), row.label
        ends.append((row.value, end))
    assert [e for _, e in sorted(ends)] == sorted(e for _, e in ends)  # larger gap, further right


def test_significant_bars_are_solid_and_the_others_pale() -> None:
    root = parse(gap_chart(GAPS))
    pale = [b.get("fill-opacity") is not None for b in by_class(root, "rect", "bar")]
    assert pale == [not row.significant for row in GAPS]


def test_paired_bars_are_proportional_to_the_shares() -> None:
    svg = paired_share_chart(
        [PairRow("Service", 0.6, 0.06, "60%", "6%"), PairRow("Ads", 0.3, 0.0, "30%", "0%")],
        CHART,
        locale="en",
        first_label="Colleagues",
        second_label="Customers",
    )
    widths = [float(b.get("width", 0)) for b in by_class(parse(svg), "rect", "bar")]
    assert len(widths) == 4
    assert widths[0] == pytest.approx(2 * widths[2], rel=0.02)
    assert widths[0] == pytest.approx(10 * widths[1], rel=0.05)
    assert widths[3] == 0


def test_interval_dot_sits_between_its_whisker_ends() -> None:
    rows = [IntervalRow("A", -8.3, -20.2, 3.6, "−8"), IntervalRow("B", 40.0, 30.0, 50.0, "+40")]
    root = parse(interval_chart(rows, CHART, locale="en", domain=(-100.0, 100.0)))
    dots = by_class(root, "circle", "dot")
    whiskers = by_class(root, "line", "whisker")
    for dot, whisker in zip(dots, whiskers, strict=True):
        assert float(whisker.get("x1", 0)) < float(dot.get("cx", 0)) < float(whisker.get("x2", 0))
    assert float(dots[0].get("cx", 0)) < float(dots[1].get("cx", 0))


def test_stacked_slices_fill_the_bar_in_proportion() -> None:
    parts = [
        StackPart("Promoters", 150, 150 / 640, "#009E73", "23%"),
        StackPart("Passives", 260, 260 / 640, "#8C8C8C", "41%"),
        StackPart("Detractors", 230, 230 / 640, "#D55E00", "36%"),
    ]
    slices = by_class(parse(stacked_share_chart(parts, CHART)), "rect", "slice")
    widths = [float(s.get("width", 0)) for s in slices]
    assert len(widths) == 3
    assert widths[1] / widths[0] == pytest.approx(260 / 150, rel=0.02)
    first, last = slices[0], slices[-1]
    assert float(last.get("x", 0)) + widths[-1] - float(first.get("x", 0)) == pytest.approx(384)


def test_histogram_has_one_bar_per_total_and_bins_wide_ranges() -> None:
    counts = [(33, 1), (38, 2), (46, 1)]
    narrow = parse(
        histogram_chart(counts, CHART, locale="en", x_domain=(10, 50), x_label="x", y_label="y")
    )
    bars = by_class(narrow, "rect", "bar")
    assert [int(b.get("data-count", 0)) for b in bars] == [1, 2, 1]
    heights = [float(b.get("height", 0)) for b in bars]
    assert heights[1] == pytest.approx(2 * heights[0], rel=0.01)
    wide_counts = [(total, 1) for total in range(40, 201)]
    wide = parse(
        histogram_chart(
            wide_counts, CHART, locale="en", x_domain=(40, 200), x_label="x", y_label="y"
        )
    )
    wide_bars = by_class(wide, "rect", "bar")
    assert len(wide_bars) <= 41
    assert sum(int(b.get("data-count", 0)) for b in wide_bars) == len(wide_counts)


def test_scatter_places_each_pillar_by_performance_and_importance() -> None:
    root = parse(all_charts()["scatter"])
    points = by_class(root, "circle", "point")
    assert len(points) == len(DEFAULT_PILLARS)
    assert len(by_class(root, "circle", "priority")) == 3
    assert len(by_class(root, "line", "mean")) == 2
    by_perf = sorted(points, key=lambda p: float(p.get("data-performance", 0)))
    xs = [float(p.get("cx", 0)) for p in by_perf]
    assert xs == sorted(xs)
    by_importance = sorted(points, key=lambda p: float(p.get("data-importance", 0)))
    ys = [float(p.get("cy", 0)) for p in by_importance]
    assert ys == sorted(ys, reverse=True)  # more important, higher on the page


def test_scatter_labels_of_the_ten_pillars_do_not_overlap() -> None:
    root = parse(all_charts()["scatter"])
    boxes = []
    for label in by_class(root, "text", "point-label"):
        x, y, width = float(label.get("x", 0)), float(label.get("y", 0)), 0.0
        width = text_width(label.text or "", SMALL_FONT)
        left = {"start": x, "end": x - width, "middle": x - width / 2}[label.get("text-anchor", "")]
        boxes.append((left, y - 10, left + width, y + 2))
    assert len(boxes) == len(DEFAULT_PILLARS)
    overlapping = [
        (a, b)
        for a, b in combinations(boxes, 2)
        if a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]
    ]
    assert overlapping == []


def test_slope_chart_joins_each_item_from_its_left_rank_to_its_right_rank() -> None:
    items = [SlopeItem(f"P{i}", f"Pillar {i}", i, 11 - i) for i in range(1, 11)]
    root = parse(slope_chart(items, CHART, left_title="Colleagues", right_title="Customers"))
    slopes = by_class(root, "line", "slope")
    assert len(slopes) == 10
    starts = [float(s.get("y1", 0)) for s in slopes]
    finishes = [float(s.get("y2", 0)) for s in slopes]
    assert starts == sorted(starts)
    assert finishes == sorted(finishes, reverse=True)


@pytest.mark.parametrize("name", sorted(all_charts()))
def test_user_text_is_escaped_in_every_chart(name: str) -> None:
    evil_chart = ChartText("evil", EVIL, EVIL)
    svg = {
        "diverging": lambda: diverging_bar_chart(
            [GapRow(EVIL, 1.0, 0.5, 1.5, "+1.00")],
            evil_chart,
            locale="en",
            negative_label=EVIL,
            positive_label=EVIL,
            significance_note=EVIL,
        ),
        "paired": lambda: paired_share_chart(
            [PairRow(EVIL, 0.5, 0.1, "50%", "10%")],
            evil_chart,
            locale="en",
            first_label=EVIL,
            second_label=EVIL,
        ),
        "interval": lambda: interval_chart(
            [IntervalRow(EVIL, 1.0, 0.0, 2.0, "1")], evil_chart, locale="en", domain=(0.0, 5.0)
        ),
        "stacked": lambda: stacked_share_chart(
            [StackPart(EVIL, 1, 1.0, "#009E73", "100%")], evil_chart
        ),
        "histogram": lambda: histogram_chart(
            [(3, 1)], evil_chart, locale="en", x_domain=(1, 5), x_label=EVIL, y_label=EVIL
        ),
        "scatter": lambda: importance_performance_chart(
            [IpaPoint(EVIL, EVIL, 3.0, 4.0, True)],
            evil_chart,
            locale="en",
            x_label=EVIL,
            y_label=EVIL,
            quadrants=Quadrants(EVIL, EVIL, EVIL, EVIL),
            x_mean=3.0,
            y_mean=4.0,
        ),
        "slope": lambda: slope_chart(
            [SlopeItem(EVIL, EVIL, 1, 1)], evil_chart, left_title=EVIL, right_title=EVIL
        ),
    }[name]()
    assert "<script" not in svg
    root = parse(svg)  # would raise on a stray & or <
    assert root.find(SVG + "script") is None
    assert any(t.startswith("<script>alert(1)") for t in root.itertext())


def test_wrapped_and_fitted_labels_stay_inside_their_width() -> None:
    name = "Expériences numériques dans lesquelles ils interagissent ou observent"
    lines = wrap_text(name, 200, max_lines=2)
    assert len(lines) == 2
    assert all(text_width(line) <= 200 for line in lines)
    assert lines[-1].endswith("…")
    assert wrap_text("Friction", 200) == ["Friction"]
    assert fit_text("Short", 100) == "Short"
    cut = fit_text("A very long label that cannot fit in a small space", 80)
    assert cut.endswith("…") and text_width(cut) <= 80


def test_short_names_keep_the_head_of_a_pillar_name() -> None:
    shorts = {p.key: short_name(p.name_en) for p in DEFAULT_PILLARS}
    assert shorts["friction"] == "Friction"
    assert shorts["service"] == "Customer service"
    assert shorts["in_person"] == "Non-digital experiences"
    assert short_name("Les produits et services qu'ils achètent") == "Produits et services"
    assert all(len(s) <= 24 for s in shorts.values())
