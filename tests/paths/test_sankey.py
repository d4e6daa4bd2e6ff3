import xml.etree.ElementTree as ET

import pytest

from cxgap.errors import ValidationError
from cxgap.paths.sankey import top_paths
from cxgap.paths.sankey_svg import PALETTE, SankeyText, sankey_svg, sankey_text
from cxgap.paths.variants import count_variants

SVG = "{http://www.w3.org/2000/svg}"
PATHS = [["a", "b", "c"]] * 5 + [["a", "c"]] * 3 + [["a", "b", "d", "e"]] * 2 + [["z"]] * 1


def test_top_variants_fold_into_nodes_and_links() -> None:
    folded = top_paths(count_variants(PATHS), top=3, max_steps=3)
    # a,b,c (5), a,c (3), a,b,d,e (2, cut after d); z (1) is "other"
    assert (folded.cases, folded.shown_cases, folded.other_cases) == (11, 10, 1)
    assert (folded.variants_shown, folded.variants_other, folded.cut, folded.steps) == (3, 1, 2, 3)
    nodes = {(n.step, n.activity): (n.cases, n.ends) for n in folded.nodes}
    assert nodes == {
        (0, "a"): (10, 0),
        (1, "b"): (7, 0),
        (1, "c"): (3, 3),
        (2, "c"): (5, 5),
        (2, "d"): (2, 0),
    }
    links = {(k.step, k.source, k.target): k.cases for k in folded.links}
    assert links == {(0, "a", "b"): 7, (0, "a", "c"): 3, (1, "b", "c"): 5, (1, "b", "d"): 2}
    assert [(n.step, n.activity) for n in folded.nodes][:3] == [(0, "a"), (1, "b"), (1, "c")]
    assert folded.as_json()["other_cases"] == 1


def test_flows_are_conserved_at_every_node() -> None:
    folded = top_paths(count_variants(PATHS), top=10, max_steps=10)
    for node in folded.nodes:
        inflow = sum(
            k.cases for k in folded.links if (k.step + 1, k.target) == (node.step, node.activity)
        )
        outflow = sum(
            k.cases for k in folded.links if (k.step, k.source) == (node.step, node.activity)
        )
        assert node.cases == (inflow if node.step else node.cases)
        assert node.cases == outflow + node.ends


def test_bad_parameters_are_named() -> None:
    with pytest.raises(ValidationError, match="'top'"):
        top_paths(count_variants(PATHS), top=0)


def _words(locale: str) -> SankeyText:
    return sankey_text(top_paths(count_variants(PATHS), top=3), locale)


@pytest.mark.parametrize("locale", ["en", "fr"])
def test_the_drawing_is_accessible_well_formed_svg(locale: str) -> None:
    folded = top_paths(count_variants(PATHS), top=3)
    words = sankey_text(folded, locale)
    root = ET.fromstring(sankey_svg(folded, words))
    assert root.get("role") == "img"
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert title is not None and desc is not None
    assert root.get("aria-labelledby") == "top-paths-title top-paths-desc"
    expected = {
        "en": ("The 3 most frequent paths", "10 of 11 cases follow one of the 3"),
        "fr": ("Les 3 parcours les plus fréquents", "10 cas sur 11 suivent l'un des 3"),
    }[locale]
    assert title.text == expected[0]
    assert (desc.text or "").startswith(expected[1])
    texts = [t.text for t in root.iter(f"{SVG}text")]
    step = {"en": "Step", "fr": "Étape"}[locale]
    assert [t for t in texts if t and t.startswith(step)] == [f"{step} {i}" for i in (1, 2, 3, 4)]
    assert {"en": "Other paths", "fr": "Autres parcours"}[locale] in texts
    bands = root.findall(f".//{SVG}path")
    assert len(bands) == len(folded.links)
    assert {"en": "a → b: 7 cases", "fr": "a → b: 7 cas"}[locale] in [
        b.find(f"{SVG}title").text
        for b in bands  # type: ignore[union-attr]
    ]


def test_node_heights_follow_cases_and_colours_are_the_safe_palette() -> None:
    folded = top_paths(count_variants(PATHS), top=3)
    root = ET.fromstring(sankey_svg(folded, _words("en")))
    nodes = {}
    for group in root.iter(f"{SVG}g"):
        name = group.find(f"{SVG}title").text  # type: ignore[union-attr]
        box = group.find(f"{SVG}rect")
        assert box is not None
        nodes[name] = (float(box.get("height", 0)), box.get("fill"))
    a, b, c = nodes["a: 10 cases"], nodes["b: 7 cases"], nodes["c: 3 cases"]
    assert a[0] / b[0] == pytest.approx(10 / 7, rel=0.02)
    assert b[0] / c[0] == pytest.approx(7 / 3, rel=0.02)
    assert {fill for _, fill in nodes.values()} - {"#8C8C8C"} <= set(PALETTE)
    assert a[1] != b[1]


def test_names_are_escaped_and_long_ones_shortened_with_the_full_name_in_a_tooltip() -> None:
    long = "Ask for a refund through the very long customer-care form of the website after delivery"
    folded = top_paths(count_variants([["<script>", long]] * 2), top=1)
    svg = sankey_svg(folded, _words("en"), width=500)
    assert "<script>" not in svg
    root = ET.fromstring(svg)
    texts = [t.text or "" for t in root.iter(f"{SVG}text")]
    assert "&lt;script&gt;" in svg and "<script>" in texts
    first = texts.index(next(t for t in texts if t.startswith("Ask for")))
    shown = texts[first : first + 2]  # the name on two lines, the second cut
    assert " ".join(shown).startswith("Ask for a refund") and shown[1].endswith("…")
    assert len(" ".join(shown)) < len(long)
    assert f"{long}: 2 cases" in [t.text for t in root.iter(f"{SVG}title")]


def test_an_empty_log_draws_only_its_title() -> None:
    folded = top_paths(count_variants([]), top=5)
    root = ET.fromstring(sankey_svg(folded, _words("en")))
    assert root.findall(f".//{SVG}rect") == []


def test_nodes_sit_under_the_node_their_cases_come_from() -> None:
    # step 1: v (8, from z), y (5, from x), w (1, from z): w goes up next to v, above y
    paths = [["z", "v"]] * 8 + [["x", "y"]] * 5 + [["z", "w"]]
    folded = top_paths(count_variants(paths), top=3)
    root = ET.fromstring(sankey_svg(folded, _words("en")))
    top_of = {}
    for group in root.iter(f"{SVG}g"):
        name = (group.find(f"{SVG}title").text or "").split(":")[0]  # type: ignore[union-attr]
        top_of[name] = float(group.find(f"{SVG}rect").get("y", 0))  # type: ignore[union-attr]
    assert top_of["z"] < top_of["x"]
    assert top_of["v"] < top_of["w"] < top_of["y"]
