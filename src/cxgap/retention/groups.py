"""Case → group mappings for the tables by group when the group is the path itself.

A customer's path is the sequence of steps of their case in time order (``in_case_order``):
each event's touchpoint, or its activity when it has none (a step the journey map does not
have), a step repeated in a row written once. Paths are many; only the ``top`` most frequent
keep their own name (ties: the path of the first case by name), every other case is ``other``.
Over a long customer history almost every path is unique: group customers by a feature of
their path instead (``step_count_groups``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from cxgap.events.model import Event, cases, in_case_order

ARROW = " → "


def path_of(events: list[Event]) -> str:
    steps: list[str] = []
    for event in events:
        step = event.touchpoint or event.activity
        if not steps or steps[-1] != step:
            steps.append(step)
    return ARROW.join(steps)


def path_groups(events: Iterable[Event], *, top: int = 5, other: str = "other") -> dict[str, str]:
    """``{case: path}``, the paths beyond the ``top`` most frequent named ``other``."""
    paths = {case: path_of(path) for case, path in cases(in_case_order(events))}
    counts = Counter(paths.values())  # insertion order: first seen first, kept on ties
    named = {path for path, _ in counts.most_common(top)}
    return {case: path if path in named else other for case, path in paths.items()}


def step_count_groups(events: Iterable[Event], step: str, *, most: int = 3) -> dict[str, str]:
    """``{case: how many times the case went through step}`` (a touchpoint key or an activity
    name) as ``"0"``, ``"1"``, … and ``"{most}+"``: e.g. customers by after-sales contacts."""
    counts: Counter[str] = Counter()
    for event in events:
        counts[event.case] += (event.touchpoint or event.activity) == step
    return {case: f"{most}+" if n >= most else str(n) for case, n in counts.items()}
