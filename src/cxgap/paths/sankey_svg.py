"""The top paths as a Sankey diagram in plain SVG (no script), for the pages to embed.

Steps are columns, left to right; a node's height is its number of cases and a band joins
two nodes with the cases that go from one to the other. Colours are the Okabe-Ito palette
(distinguishable with the common colour-vision deficiencies), one per activity, and every
node is named in text as well, so colour is never the only cue. The ``<svg role="img">`` is
labelled by its title and description; every node and band carries a ``<title>`` with its
full name and count. Texts come in from the caller (``sankey_text`` reads the catalogue), so
the drawing is in the reader's language. It keeps its natural width (``width``): on a phone,
embed it in a box that scrolls sideways rather than shrinking the labels.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from cxgap.i18n import plural_form, translate
from cxgap.paths.sankey import SankeyNode, TopPaths
from cxgap.reporting.svg import (
    BLUE,
    GREEN,
    GREY,
    LINE_HEIGHT,
    MUTED,
    ORANGE,
    PURPLE,
    SKY,
    SMALL_FONT,
    VERMILLION,
    ChartText,
    document,
    num,
    rect,
    text,
    tooltip,
    wrap_text,
)

PALETTE = (BLUE, ORANGE, GREEN, VERMILLION, PURPLE, SKY)
NODE_WIDTH = 12
GAP = 54  # between two nodes of a step: room for their labels (two lines of name, a count)
TOP, BOTTOM, LEFT, RIGHT = 34, 12, 8, 8
NAME_FONT = 13
FLOW_PER_NODE = 90  # pixels of flow per node in the busiest step


@dataclass(frozen=True)
class SankeyText:
    """The drawing's words in the reader's language."""

    title: str
    desc: str
    other: str  # the node standing for every path not shown
    step: str  # column heading, with ``{step}`` (1-based)
    cases: Callable[[int], str]  # "1 case", "2 cases"


def sankey_text(paths: TopPaths, locale: str) -> SankeyText:
    """The catalogue's texts for ``paths`` in ``locale`` (fr or en)."""

    def cases(count: int) -> str:
        return translate(f"paths.sankey.cases_{plural_form(count, locale)}", locale, count=count)

    return SankeyText(
        title=translate("paths.sankey.title", locale, top=paths.variants_shown),
        desc=translate(
            "paths.sankey.desc",
            locale,
            shown=paths.shown_cases,
            cases=paths.cases,
            top=paths.variants_shown,
            other=paths.other_cases,
        ),
        other=translate("paths.sankey.other", locale),
        step=translate("paths.sankey.step", locale),
        cases=cases,
    )


@dataclass(frozen=True)
class _Box:
    x: float
    y: float
    height: float


def sankey_svg(
    paths: TopPaths, words: SankeyText, *, width: float = 960, chart_id: str = "top-paths"
) -> str:
    """The ``<svg>`` of ``paths``; a drawing with only its title and description when empty."""
    columns = max(paths.steps, 1)
    # Every label sits right of its node, the last column's too: each column is a node and
    # the room for its labels.
    spacing = (width - LEFT - RIGHT + 10) / columns
    label_width = spacing - NODE_WIDTH - 16
    per_step = _per_step(paths)
    busiest = max((len(nodes) for nodes in per_step.values()), default=1)
    total = max(paths.cases, 1)
    flow = FLOW_PER_NODE * max(busiest, 3)
    scale = flow / total
    boxes: dict[tuple[int, str], _Box] = {}
    for step, nodes in per_step.items():
        y = float(TOP)
        for node in nodes:
            height = max(node.cases * scale, 1.5)
            boxes[(step, node.activity)] = _Box(LEFT + step * spacing, y, height)
            y += height + GAP
    other_y = max((b.y + b.height + GAP for (s, _), b in boxes.items() if s == 0), default=TOP)
    height = max([b.y + b.height for b in boxes.values()] + [float(TOP)]) + BOTTOM + 16
    if paths.other_cases:
        height = max(height, other_y + max(paths.other_cases * scale, 1.5) + BOTTOM + 16)
    colours = _colours(paths)
    body = [*_headings(columns, spacing, words), *_bands(paths, boxes, colours, words)]
    for (step, activity), box in boxes.items():
        node = next(n for n in per_step[step] if n.activity == activity)
        body.append(_node(node, box, colours[activity], words, label_width))
    if paths.other_cases:
        other = SankeyNode(0, words.other, paths.other_cases, paths.other_cases)
        box = _Box(LEFT, other_y, max(paths.other_cases * scale, 1.5))
        body.append(_node(other, box, GREY, words, label_width))
    chart = ChartText(chart_id, words.title, words.desc)
    return document(chart, width, height, body)


def _per_step(paths: TopPaths) -> dict[int, list[SankeyNode]]:
    """The nodes of each step, top to bottom: under the node most of their cases come from
    (fewer crossing bands), the larger first among those from the same node."""
    steps: dict[int, list[SankeyNode]] = {}
    for node in paths.nodes:
        steps.setdefault(node.step, []).append(node)
    for step in sorted(steps)[1:]:
        above = {node.activity: rank for rank, node in enumerate(steps[step - 1])}
        source: dict[str, tuple[int, str]] = {}
        for link in paths.links:
            if link.step == step - 1 and link.cases > source.get(link.target, (0, ""))[0]:
                source[link.target] = (link.cases, link.source)
        steps[step].sort(key=lambda n: (above[source[n.activity][1]], -n.cases))
    return steps


def _colours(paths: TopPaths) -> dict[str, str]:
    order: dict[str, int] = {}
    for node in sorted(paths.nodes, key=lambda n: -n.cases):
        order.setdefault(node.activity, len(order))
    return {activity: PALETTE[index % len(PALETTE)] for activity, index in order.items()}


def _headings(columns: int, spacing: float, words: SankeyText) -> list[str]:
    return [
        text(
            LEFT + step * spacing,
            TOP - 14,
            words.step.format(step=step + 1),
            font_size=SMALL_FONT,
            fill=MUTED,
            text_anchor="start",
        )
        for step in range(columns)
    ]


def _bands(
    paths: TopPaths, boxes: dict[tuple[int, str], _Box], colours: dict[str, str], words: SankeyText
) -> list[str]:
    out_used: dict[tuple[int, str], float] = {}
    in_used: dict[tuple[int, str], float] = {}
    scale_of = {key: box.height / _cases(paths, key) for key, box in boxes.items()}
    ordered = sorted(
        paths.links,
        key=lambda link: (boxes[(link.step, link.source)].y, boxes[(link.step + 1, link.target)].y),
    )
    parts = []
    for link in ordered:
        source, target = (link.step, link.source), (link.step + 1, link.target)
        a, b = boxes[source], boxes[target]
        thick_a, thick_b = link.cases * scale_of[source], link.cases * scale_of[target]
        y0 = a.y + out_used.get(source, 0.0)
        y1 = b.y + in_used.get(target, 0.0)
        out_used[source] = out_used.get(source, 0.0) + thick_a
        in_used[target] = in_used.get(target, 0.0) + thick_b
        x0, x1 = a.x + NODE_WIDTH, b.x
        middle = (x0 + x1) / 2
        shape = (
            f"M{num(x0)} {num(y0)}C{num(middle)} {num(y0)} {num(middle)} {num(y1)} "
            f"{num(x1)} {num(y1)}L{num(x1)} {num(y1 + thick_b)}C{num(middle)} "
            f"{num(y1 + thick_b)} {num(middle)} {num(y0 + thick_a)} {num(x0)} "
            f"{num(y0 + thick_a)}Z"
        )
        label = f"{link.source} → {link.target}: {words.cases(link.cases)}"
        parts.append(
            f'<path d="{shape}" fill="{colours[link.source]}" fill-opacity="0.35" '
            f'class="sankey-link">{tooltip(label)}</path>'
        )
    return parts


def _cases(paths: TopPaths, key: tuple[int, str]) -> int:
    return next(n.cases for n in paths.nodes if (n.step, n.activity) == key) or 1


def _node(node: SankeyNode, box: _Box, colour: str, words: SankeyText, width: float) -> str:
    x = box.x + NODE_WIDTH + 6
    lines = wrap_text(node.activity, width, NAME_FONT)
    count = words.cases(node.cases)
    # Centred on the node, but never up into the step headings.
    top = max(box.y + box.height / 2 - (len(lines) * LINE_HEIGHT) / 2 + 4, TOP + 10)
    names = [
        text(x, top + i * LINE_HEIGHT, line, halo=True, font_size=NAME_FONT)
        for i, line in enumerate(lines)
    ]
    below = top + len(lines) * LINE_HEIGHT - 2
    return (
        f'<g class="sankey-node">{tooltip(f"{node.activity}: {count}")}'
        + rect(box.x, box.y, NODE_WIDTH, box.height, fill=colour, rx=2)
        + "".join(names)
        + text(x, below, count, halo=True, font_size=SMALL_FONT, fill=MUTED)
        + "</g>"
    )
