"""Demo feedback for the journey overlay: survey comments, reviews, complaints and tickets.

Each item is written by a customer of one demo segment, in French or English, about one step
of the demo journeys; most name that step's touchpoint key, the others leave it to the text
analysis (a topic mapped to the touchpoint). How customers feel at each step follows the demo
story (seed 004): payment and the delivery-slot SMS irritate, the advisor delights, delivery
splits opinions. Pure and deterministic: the same seed gives the same items.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta

from cxgap.demo.generator import DEMO_TODAY, SEGMENTS
from cxgap.demo.story import DELIVERY_ACTION_START, DELIVERY_TOPICS
from cxgap.demo.verbatims import BANKS, NUMBER_SLOTS

# touchpoint key -> (share of negative items, topics of the phrase banks it is talked about
# with, how strongly people feel there: the range of |sentiment| their texts carry)
STEPS: dict[str, tuple[float, tuple[str, ...], tuple[float, float]]] = {
    "ad": (0.25, ("promo", "brand"), (0.1, 0.35)),
    "catalogue": (0.2, ("content",), (0.1, 0.35)),
    "website": (0.35, ("app", "content"), (0.15, 0.45)),
    "configurator": (0.3, ("app",), (0.2, 0.6)),
    "advisor": (0.15, ("shop_staff", "shop"), (0.45, 1.0)),
    "order": (0.4, ("product", "invoice"), (0.2, 0.6)),
    "payment": (0.75, ("invoice", "refund"), (0.45, 1.0)),
    "confirmation": (0.3, ("email",), (0.1, 0.35)),
    "slot-sms": (0.8, ("delivery",), (0.45, 1.0)),
    "delivery": (0.55, ("delivery", "damage"), (0.5, 1.0)),
    "assembly": (0.45, ("damage", "product"), (0.2, 0.6)),
    "after-sales": (0.7, ("phone", "email", "refund"), (0.45, 1.0)),
    "review": (0.3, ("brand",), (0.1, 0.4)),
}
# Where customers mention each step: the busy steps of the story get more feedback.
STEP_WEIGHTS = {"payment": 3, "slot-sms": 3, "delivery": 4, "after-sales": 3, "advisor": 2}
SOURCES = (  # source type, channel, share
    ("survey", "survey", 0.45),
    ("review", "review-site", 0.25),
    ("complaint", "email", 0.15),
    ("ticket", "helpdesk", 0.15),
)
GENERATIONS = {  # segment -> (generation, birth years)
    "busy_family": ("Gen Y", (1981, 1996)),
    "design_lover": ("Gen Y", (1984, 1999)),
    "pro_buyer": ("Gen X", (1965, 1980)),
    "bargain_hunter": ("Baby boomer", (1948, 1964)),
}
TOUCHPOINT_NAMED_SHARE = 0.7
# The demo's action that worked (demo/story.py): from DELIVERY_ACTION_START, part of the
# complaints about deliveries turn into praise: the topic's share of negative mentions drops.
DELIVERY_FIXED = {"delivery": 0.9, "slot-sms": 0.3}  # step -> share of its complaints fixed


@dataclass(frozen=True)
class DemoFeedback:
    source_type: str
    source_id: str
    channel: str
    collected_at: datetime
    text: str
    language: str
    touchpoint: str | None
    nps: int | None = None
    csat: int | None = None
    stars: int | None = None
    attributes: dict[str, str] = field(default_factory=dict)
    # What the writer meant (for tests and the stand-in enrichment): -1 … +1 and the topic.
    intended_score: float = 0.0
    topic: str = ""
    about: str = ""  # the touchpoint the item is about, named or not
    # The demo customer who wrote it (``demo.feedback_writers``), None: not one of them.
    customer_ref: str | None = None


def demo_feedback(*, seed: int = 2026, n_items: int = 520) -> list[DemoFeedback]:
    """``n_items`` feedback items about the demo journeys."""
    rng = random.Random(f"{seed}:journey-feedback")
    steps = list(STEPS)
    weights = [STEP_WEIGHTS.get(step, 1) for step in steps]
    items = [_item(rng, i, rng.choices(steps, weights=weights)[0]) for i in range(1, n_items + 1)]
    return [_after_the_action(seed, item) for item in items]


def _after_the_action(seed: int, item: DemoFeedback) -> DemoFeedback:
    """A complaint about a delivery (late, missed, damaged) written after the delivery action
    started becomes, for part of them, praise (its own random stream: the other items stay
    exactly as they were)."""
    fixed = DELIVERY_FIXED.get(item.about, 0.0)
    late = item.collected_at.date() >= DELIVERY_ACTION_START
    if item.topic not in DELIVERY_TOPICS or item.intended_score >= 0 or not late:
        return item
    rng = random.Random(f"{seed}:delivery-action:{item.source_id}")
    if rng.random() >= fixed:
        return item
    stars = rng.choice((4, 5)) if item.stars is not None else None
    return replace(
        item,
        text=_text(rng, item.language, item.topic, False),
        nps=_nps(rng, False) if item.nps is not None else None,
        csat=4 if item.csat is not None else None,
        stars=stars,
        intended_score=round(-item.intended_score, 2),
    )


def _item(rng: random.Random, i: int, step: str) -> DemoFeedback:
    negative_share, topics, (weak, strong) = STEPS[step]
    segment = rng.choice(SEGMENTS).key
    generation, (first, last) = GENERATIONS[segment]
    language = "fr" if rng.random() < 0.6 else "en"
    negative = rng.random() < negative_share
    topic = rng.choice(topics)
    source, channel = _source(rng)
    strength = rng.uniform(weak, strong)
    score = round(-strength if negative else strength, 2)
    return DemoFeedback(
        source_type=source,
        source_id=f"demo-{source}-{i:04d}",
        channel=channel,
        collected_at=datetime.combine(DEMO_TODAY, datetime.min.time(), UTC)
        - timedelta(days=rng.randint(0, 120), minutes=rng.randint(0, 1439)),
        text=_text(rng, language, topic, negative),
        language=language,
        touchpoint=step if rng.random() < TOUCHPOINT_NAMED_SHARE else None,
        nps=_nps(rng, negative) if source == "survey" else None,
        csat=(2 if negative else 4) + rng.choice((-1, 0, 0, 1)) if source == "ticket" else None,
        stars=(rng.choice((1, 2)) if negative else rng.choice((4, 5)))
        if source == "review"
        else None,
        attributes={
            "segment": segment,
            "generation": generation,
            "birth_year": str(rng.randint(first, last)),
        },
        intended_score=score,
        topic=topic,
        about=step,
    )


def _source(rng: random.Random) -> tuple[str, str]:
    draw, total = rng.random(), 0.0
    for source, channel, share in SOURCES:
        total += share
        if draw < total:
            return source, channel
    return SOURCES[-1][0], SOURCES[-1][1]


def _nps(rng: random.Random, negative: bool) -> int:
    return rng.randint(0, 6) if negative else rng.choice((7, 8, 9, 9, 10, 10))


def _text(rng: random.Random, language: str, topic: str, negative: bool) -> str:
    bank = BANKS[language]
    clauses = (bank.negative if negative else bank.positive)[topic]
    slots = _Fill(rng, bank.slots)
    first = rng.choice(clauses).format_map(slots)
    text = first[0].upper() + first[1:] + (" !" if language == "fr" and negative else ".")
    if rng.random() < 0.4:
        more = bank.consequences if negative else bank.praise_follow_ups
        text += " " + rng.choice(more).format_map(slots)
    return text


class _Fill(dict[str, str]):
    """``{slot}`` values drawn once per item (one product, one order number per comment)."""

    def __init__(self, rng: random.Random, slots: Mapping[str, tuple[str, ...]]) -> None:
        super().__init__()
        self._rng = rng
        self._slots = slots

    def __missing__(self, key: str) -> str:
        if key in self._slots:
            value = self._rng.choice(self._slots[key])
        else:
            value = NUMBER_SLOTS[key](self._rng)
        self[key] = value
        return value
