"""What a target journey changes compared with the current one (seed 004: remove irritants,
secure the essentials, add WOW effects).

Changes come from two sources: what the team flagged on the target's touchpoints
(``Touchpoint.change``) and what the two versions show — touchpoints added or removed (by
key), channels that differ. A touchpoint flagged *new* that did not exist is listed once.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from cxgap.journeys.model import Change, Journey, Touchpoint


class Difference(StrEnum):
    """The kinds of change listed side by side, in reading order."""

    IRRITANT_REMOVED = "irritant_removed"
    ESSENTIAL_SECURED = "essential_secured"
    WOW = "wow"
    CHANNEL_CHANGE = "channel_change"
    ADDED = "added"
    REMOVED = "removed"


_FLAGGED = {
    Change.IRRITANT_REMOVED: Difference.IRRITANT_REMOVED,
    Change.ESSENTIAL_SECURED: Difference.ESSENTIAL_SECURED,
    Change.WOW: Difference.WOW,
    Change.CHANNEL_CHANGE: Difference.CHANNEL_CHANGE,
    Change.NEW: Difference.ADDED,
}


@dataclass(frozen=True)
class TouchpointDifference:
    kind: Difference
    key: str
    current: Touchpoint | None  # None for an added touchpoint
    target: Touchpoint | None  # None for a removed one


def compare_journeys(
    current: Journey, target: Journey
) -> dict[Difference, list[TouchpointDifference]]:
    """Every change, grouped by kind (kinds without changes are left out), in map order.

    >>> from cxgap.demo.journeys import demo_journeys
    >>> now, then = demo_journeys()[:2]
    >>> {kind.value: [d.key for d in found] for kind, found in compare_journeys(now, then).items()}
    ... # doctest: +NORMALIZE_WHITESPACE
    {'irritant_removed': ['payment', 'slot-sms'], 'essential_secured': ['order', 'delivery'],
     'wow': ['advisor', 'follow-up-call'], 'channel_change': ['slot-sms', 'after-sales'],
     'added': ['follow-up-call']}
    """
    before = {tp.key: tp for tp in current.touchpoints}
    after = {tp.key: tp for tp in target.touchpoints}
    found: dict[Difference, list[TouchpointDifference]] = {kind: [] for kind in Difference}
    for tp in target.touchpoints:
        old = before.get(tp.key)
        kinds = [_FLAGGED[tp.change]] if tp.change is not None else []
        if old is None:
            kinds.append(Difference.ADDED)
        elif old.channel != tp.channel:
            kinds.append(Difference.CHANNEL_CHANGE)
        for kind in dict.fromkeys(kinds):
            found[kind].append(TouchpointDifference(kind, tp.key, old, tp))
    for tp in current.touchpoints:
        if tp.key not in after:
            found[Difference.REMOVED].append(
                TouchpointDifference(Difference.REMOVED, tp.key, tp, None)
            )
    return {kind: items for kind, items in found.items() if items}
