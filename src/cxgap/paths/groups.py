"""Any path analysis per persona or segment: one accumulator per group, one pass.

``group_of`` maps a case to its group (a persona key, a segment key; the one shared segment
definition is evaluated by the service), or None to leave the case out. ``make`` builds a
fresh accumulator, e.g. ``lambda: DirectlyFollows()`` or
``lambda: DropOff(["visit", "cart", "pay"])``. Memory stays bounded by the groups' aggregates.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from cxgap.paths.stream import CaseAccumulator, CaseEvents, R, check_in_order


def per_group(
    stream: Iterable[CaseEvents],
    group_of: Callable[[str], str | None],
    make: Callable[[], CaseAccumulator[R]],
) -> dict[str, R]:
    """Each group's result, groups in first-seen order; a case in no group is skipped."""
    groups: dict[str, CaseAccumulator[R]] = {}
    for case, events in stream:
        group = group_of(case)
        if group is None:
            continue
        check_in_order(case, events)
        accumulator = groups.get(group)
        if accumulator is None:
            accumulator = groups[group] = make()
        accumulator.add(case, events)
    return {group: accumulator.result() for group, accumulator in groups.items()}
