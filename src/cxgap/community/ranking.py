"""The board's orders: trending, most voted, newest.

Trending is Fider's order: an idea's activity of the last 30 days (a vote counts 5, a comment
3, less one) over its age in hours plus two, raised to 1.4. A new idea with a few votes rises
above an old one with many; an idea nobody touched for a month sinks below every active one.
Ties fall back on the most votes, then the newest, then the lowest id, so an order is the
same on every page load.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal, get_args

from cxgap.errors import FieldProblem, ValidationError

Order = Literal["trending", "most_voted", "newest"]
ORDERS: tuple[Order, ...] = get_args(Order)
RECENT = timedelta(days=30)
GRAVITY = 1.4


@dataclass(frozen=True)
class Activity:
    """What the orders need of one idea: its id, when it was posted, its votes and, for the
    last 30 days, its new votes and comments."""

    idea_id: int
    created_at: datetime
    votes: int
    recent_votes: int = 0
    recent_comments: int = 0


def trending_score(item: Activity, now: datetime) -> float:
    """Fider's trending score.

    >>> from datetime import datetime
    >>> posted = datetime(2026, 12, 1, 10)
    >>> round(trending_score(Activity(1, posted, 10, 4, 1), datetime(2026, 12, 1, 12)), 4)
    3.1589
    >>> round(trending_score(Activity(1, posted, 10, 4, 1), datetime(2026, 12, 3, 10)), 4)
    0.092
    """
    hours = max((now - item.created_at).total_seconds() / 3600, 0.0)
    activity = item.recent_votes * 5 + item.recent_comments * 3 - 1
    return float(activity / (hours + 2) ** GRAVITY)


def check_order(value: str | None) -> Order:
    """The board's order from a query string: trending when absent."""
    if value is None or value == "":
        return "trending"
    for order in ORDERS:
        if order == value:
            return order
    allowed = ", ".join(ORDERS)
    problem = FieldProblem(
        "sort", f"must be one of {allowed}", value, code="choice_of", params={"allowed": allowed}
    )
    raise ValidationError([problem], summary="Invalid order")


def ordered(items: Sequence[Activity], order: Order, now: datetime) -> list[int]:
    """The ideas' ids in ``order``."""
    if order == "newest":
        return [
            i.idea_id for i in sorted(items, key=lambda i: (-i.created_at.timestamp(), i.idea_id))
        ]
    if order == "most_voted":
        return [
            i.idea_id
            for i in sorted(items, key=lambda i: (-i.votes, -i.created_at.timestamp(), i.idea_id))
        ]
    return [
        i.idea_id
        for i in sorted(
            items,
            key=lambda i: (-trending_score(i, now), -i.votes, -i.created_at.timestamp(), i.idea_id),
        )
    ]
