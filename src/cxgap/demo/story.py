"""Dates of the demo's story that more than one part of it follows.

The demo's action that worked (services/action_demo.py) is a new delivery partner that books
the slot with the customer, from ``DELIVERY_ACTION_START``, two and a half months before the
demo's last day. Everything customers write after it says so: the journey feedback
(demo/feedback.py) and the comments of the customer survey (demo/customers.py) complain
about deliveries far less from that day on.
"""

from __future__ import annotations

from datetime import date

from cxgap.demo.verbatims import Slant

DELIVERY_ACTION_START = date(2026, 9, 1)
# The phrase-bank topics (demo/phrases.py) a delivery partner answers for.
DELIVERY_TOPICS = frozenset({"delivery", "damage"})


def delivery_slant(day: date) -> Slant:
    """How the customers who answer the survey on ``day`` write about deliveries: before
    the new partner, praise of the pillars deliveries belong to goes to their other topics
    (nobody praised the old one); from its first day, complaints about those pillars go to
    their other topics, and praise of them is about the delivery."""
    if day < DELIVERY_ACTION_START:
        return Slant(avoided={"positive": DELIVERY_TOPICS})
    return Slant(
        preferred={"positive": frozenset({"delivery"})},
        avoided={"negative": DELIVERY_TOPICS},
    )
