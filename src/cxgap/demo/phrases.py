"""The shape of a phrase bank for demo verbatims, and which pillars each topic speaks to.

A bank holds *clauses* (lower-case, no final stop) that the composer combines into sentences,
so one clause can open a complaint, end a compliment with a "but", or stand alone. Slots in
braces (``{product_m}``, ``{minutes}``) are filled at random: fixed slots from ``slots``,
numbers (order numbers, durations, prices) by the composer. Each language lives in its own
module, written as customers of that language write, not translated.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

Clauses = tuple[str, ...]

# Topic -> the pillars it is evidence for. The composer picks a pillar from the customer's own
# scores (complaints where they scored low, praise where they scored high), then a topic of
# that pillar, so that what people write agrees with how they rated.
TOPIC_PILLARS: Mapping[str, tuple[str, ...]] = {
    "delivery": ("in_person", "friction"),
    "damage": ("products", "in_person"),
    "phone": ("service", "friction"),
    "email": ("service", "communication"),
    "refund": ("service", "friction"),
    "app": ("digital", "friction"),
    "shop_staff": ("representatives", "in_person"),
    "product": ("products",),
    "invoice": ("communication",),
    "promo": ("advertising",),
    "content": ("content",),
    "brand": ("reputation",),
    "shop": ("in_person",),
}


def topics_by_pillar() -> dict[str, tuple[str, ...]]:
    """The inverse of :data:`TOPIC_PILLARS`: pillar key -> topics that speak to it."""
    inverse: dict[str, list[str]] = {}
    for topic, pillars in TOPIC_PILLARS.items():
        for pillar in pillars:
            inverse.setdefault(pillar, []).append(topic)
    return {pillar: tuple(topics) for pillar, topics in inverse.items()}


@dataclass(frozen=True)
class PhraseBank:
    """Everything the composer needs to write verbatims in one language."""

    language: str
    negative: Mapping[str, Clauses]  # topic -> complaint clauses
    positive: Mapping[str, Clauses]  # topic -> praise clauses
    segment_negative: Mapping[str, Clauses]  # segment key -> whole complaint sentences
    segment_positive: Mapping[str, Clauses]
    mixed: Clauses  # joins with {pos} and {neg}: "{pos}, mais {neg}"
    consequences: Clauses  # whole sentences that follow a complaint
    praise_follow_ups: Clauses  # whole sentences that follow praise
    openers_negative: Clauses
    openers_positive: Clauses
    openers_mixed: Clauses
    closings_negative: Clauses
    closings_positive: Clauses
    closings_mixed: Clauses
    short_negative: Clauses  # a whole comment of a few words
    short_positive: Clauses
    short_mixed: Clauses
    short_tails_negative: Clauses  # a word or two after a short comment: "Dommage."
    short_tails_positive: Clauses
    short_tails_mixed: Clauses
    slots: Mapping[str, Clauses]
    emoji_negative: Clauses = ("😡", "😤", "🙄", "😞", "👎")
    emoji_positive: Clauses = ("😊", "👍", "🙏", "😍", "👌")
