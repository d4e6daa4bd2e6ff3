"""The most frequent paths folded for a Sankey diagram.

The ``top`` most frequent variants are laid step by step: a node is a step position and the
activity there (``(0, "visit")``), a link joins a node to the next step's node with the
number of those cases that go through both. Two variants that share their first steps share
those nodes and links. The cases of every other variant are one "other paths" figure; paths
longer than ``max_steps`` are cut there (``cut`` counts the cases concerned).
"""

from __future__ import annotations

import itertools
from collections import Counter
from dataclasses import dataclass

from cxgap.paths.stream import positive
from cxgap.paths.variants import Variants


@dataclass(frozen=True, slots=True)
class SankeyNode:
    """``cases`` of the shown paths are at ``activity`` on step ``step`` (0-based);
    ``ends`` of them stop there."""

    step: int
    activity: str
    cases: int
    ends: int

    def as_json(self) -> dict[str, object]:
        return {
            "step": self.step,
            "activity": self.activity,
            "cases": self.cases,
            "ends": self.ends,
        }


@dataclass(frozen=True, slots=True)
class SankeyLink:
    """``cases`` go from ``source`` on step ``step`` to ``target`` on step ``step + 1``."""

    step: int
    source: str
    target: str
    cases: int

    def as_json(self) -> dict[str, object]:
        return {
            "step": self.step,
            "source": self.source,
            "target": self.target,
            "cases": self.cases,
        }


@dataclass(frozen=True, slots=True)
class TopPaths:
    """The nodes (by step, most cases first) and links of the ``top`` paths, and the rest."""

    cases: int
    shown_cases: int
    other_cases: int
    variants_shown: int
    variants_other: int
    cut: int
    steps: int
    nodes: tuple[SankeyNode, ...]
    links: tuple[SankeyLink, ...]

    def as_json(self) -> dict[str, object]:
        return {
            "cases": self.cases,
            "shown_cases": self.shown_cases,
            "other_cases": self.other_cases,
            "variants_shown": self.variants_shown,
            "variants_other": self.variants_other,
            "cut": self.cut,
            "steps": self.steps,
            "nodes": [node.as_json() for node in self.nodes],
            "links": [link.as_json() for link in self.links],
        }


def top_paths(variants: Variants, *, top: int = 10, max_steps: int = 8) -> TopPaths:
    """Fold the ``top`` most frequent of ``variants`` into Sankey nodes and links."""
    positive("top", top)
    positive("max_steps", max_steps)
    shown = [v for v in variants.variants[:top] if v.activities]
    nodes: Counter[tuple[int, str]] = Counter()
    ends: Counter[tuple[int, str]] = Counter()
    links: Counter[tuple[int, str, str]] = Counter()
    cut = 0
    for variant in shown:
        path = variant.activities[:max_steps]
        cut += variant.cases if len(variant.activities) > max_steps else 0
        for step, activity in enumerate(path):
            nodes[(step, activity)] += variant.cases
        if len(variant.activities) <= max_steps:
            ends[(len(path) - 1, path[-1])] += variant.cases
        for step, (a, b) in enumerate(itertools.pairwise(path)):
            links[(step, a, b)] += variant.cases
    shown_cases = sum(v.cases for v in shown)
    ordered_nodes = sorted(nodes.items(), key=lambda item: (item[0][0], -item[1]))
    return TopPaths(
        cases=variants.cases,
        shown_cases=shown_cases,
        other_cases=variants.cases - shown_cases,
        variants_shown=len(shown),
        variants_other=len(variants.variants) - len(shown),
        cut=cut,
        steps=max((step + 1 for step, _ in nodes), default=0),
        nodes=tuple(SankeyNode(s, a, n, ends[(s, a)]) for (s, a), n in ordered_nodes),
        links=tuple(SankeyLink(s, a, b, n) for (s, a, b), n in links.items()),
    )
