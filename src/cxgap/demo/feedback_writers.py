"""Who wrote the demo's feedback: each review, complaint and ticket given to a customer of the
demo survey (its ``customer_ref``), so that what customers said joins what they did (the
paths pages' NPS, sentiment and irritants by path, the retention page's stayed vs left).

The writer is drawn from the customers of the item's segment whose story fits it, the same
story the event log follows (``demo.events``): a complaint, or a review or ticket that
complains, comes from an unhappy customer (NPS 0–6 or CSAT 1–2), praise from a promoter or a
passive one; a customer whose events went through the step the item is about (an
after-sales contact, a rescheduled delivery…) is preferred. Unhappy customers leave more
often, so those who left said more that was negative: their mean sentiment is lower.

Items that carry an NPS (survey comments) keep no writer, so the customers' NPS stays that of
their survey answer; so does a five-star review by a Gen Y writer outside the design lovers,
which the design lovers' segment rule would also take (``services.demo.SEGMENT_RULES``): a
customer's segments stay those of their answer. Pure and deterministic.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import replace

from cxgap.demo.events import mood_of
from cxgap.demo.feedback import DemoFeedback
from cxgap.events.model import Event
from cxgap.schema import CustomerAnswer

UNHAPPY = "unhappy"


def with_writers(
    items: Sequence[DemoFeedback],
    customers: Sequence[CustomerAnswer],
    events: Sequence[Event],
    *,
    seed: int = 2026,
) -> list[DemoFeedback]:
    """``items`` with a ``customer_ref`` where a customer of the story fits (see above)."""
    steps: dict[str, set[str]] = {}
    for event in events:
        if event.touchpoint is not None:
            steps.setdefault(event.case, set()).add(event.touchpoint)
    pools: dict[tuple[str, bool], list[CustomerAnswer]] = {}
    for answer in customers:
        if answer.customer_ref is not None and answer.customer_ref in steps:
            unhappy = mood_of(answer).name == UNHAPPY
            pools.setdefault((answer.segment_key or "", unhappy), []).append(answer)
    return [_written(item, pools, steps, seed) for item in items]


def _written(
    item: DemoFeedback,
    pools: dict[tuple[str, bool], list[CustomerAnswer]],
    steps: dict[str, set[str]],
    seed: int,
) -> DemoFeedback:
    segment = item.attributes.get("segment", "")
    if item.nps is not None or _another_segments_rule(item, segment):
        return item
    pool = pools.get((segment, item.intended_score < 0), [])
    if not pool:
        return item
    rng = random.Random(f"cxgap-demo:{seed}:writer:{item.source_id}")
    went = [c for c in pool if item.about in steps[c.customer_ref or ""]]
    writer = rng.choice(went or pool)
    return replace(item, customer_ref=writer.customer_ref)


def _another_segments_rule(item: DemoFeedback, segment: str) -> bool:
    """A five-star review by a Gen Y writer is a design lover's by the segment rules."""
    gen_y = item.attributes.get("generation") == "Gen Y"
    return gen_y and (item.stars or 0) >= 5 and segment != "design_lover"
