"""The measured overlay: what customers' feedback says about each touchpoint of a journey.

``services.overlay`` asks the database for sums and counts per touchpoint
(``TouchpointTally``) and for the negative topics with a few verbatims; this module turns
them into ``Measured`` values (mean sentiment, NPS, CSAT, measured criticality next to the
declared one) and lays them over the journey. Pure: numbers in, values out.

A feedback item *concerns* a touchpoint when its ``touchpoint`` field names the touchpoint's
key, or when one of the findings of its text has a topic mapped to that touchpoint
(``topics.touchpoint_keys``). Strong feedback is a text whose sentiment score is at least
``STRONG`` away from neutral (scores run from −1 to +1).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

from cxgap.errors import ValidationError
from cxgap.journeys.criticality import disagrees, measured_criticality
from cxgap.journeys.model import Irritant, Journey, Measured, Touchpoint

STRONG = 0.8  # |sentiment score| from which a text counts as strongly negative / positive
TOP_IRRITANTS = 3
VERBATIMS_PER_IRRITANT = 2


@dataclass(frozen=True)
class TouchpointTally:
    """Sums and counts over the feedback items concerning one touchpoint (one SQL row)."""

    feedback_count: int = 0
    enriched_count: int = 0  # items with a sentiment score
    sentiment_sum: float = 0.0
    intensity_sum: float = 0.0  # emotional intensity, 0-1 per item
    strong_negative: int = 0  # score <= -STRONG
    strong_positive: int = 0  # score >= +STRONG
    promoters: int = 0  # NPS 9-10
    detractors: int = 0  # NPS 0-6
    nps_count: int = 0
    csat_sum: float = 0.0
    csat_count: int = 0

    def __post_init__(self) -> None:
        counts = (self.enriched_count, self.nps_count, self.csat_count)
        if min((*counts, self.feedback_count)) < 0 or max(counts) > self.feedback_count:
            raise ValidationError.single("tally", "counts must be within 0…feedback_count", self)
        if self.strong_negative + self.strong_positive > self.enriched_count:
            raise ValidationError.single("tally", "more strong items than enriched ones", self)
        if self.promoters + self.detractors > self.nps_count:
            raise ValidationError.single("tally", "more NPS answers than were counted", self)


def measure(tally: TouchpointTally, irritants: Sequence[Irritant] = ()) -> Measured:
    """The overlay of one touchpoint.

    >>> m = measure(TouchpointTally(feedback_count=20, enriched_count=20, sentiment_sum=-8.0,
    ...     intensity_sum=12.0, strong_negative=9, strong_positive=1, promoters=2,
    ...     detractors=12, nps_count=20, csat_sum=45.0, csat_count=20))
    >>> m.sentiment_mean, m.nps, m.csat, m.measured_criticality.value
    (-0.4, -50.0, 2.25, 'critical')
    """
    enriched = tally.enriched_count
    level = None
    if enriched:
        level = measured_criticality(
            feedback_count=enriched,
            # rounded: a sum of floats depends on the order the database added them in,
            # and a mean exactly on a threshold must not flip with it
            emotional_intensity=min(1.0, max(0.0, round(tally.intensity_sum / enriched, 9))),
            strong_negative_share=tally.strong_negative / enriched,
            strong_positive_share=tally.strong_positive / enriched,
        )
    return Measured(
        feedback_count=tally.feedback_count,
        sentiment_mean=_rounded(tally.sentiment_sum / enriched) if enriched else None,
        nps=_rounded(100 * (tally.promoters - tally.detractors) / tally.nps_count, 1)
        if tally.nps_count
        else None,
        measured_criticality=level,
        top_irritants=tuple(irritants),
        csat=_rounded(tally.csat_sum / tally.csat_count, 2) if tally.csat_count else None,
        enriched_count=enriched,
    )


def top_irritants(
    counts: Iterable[tuple[str, int]], limit: int = TOP_IRRITANTS
) -> list[tuple[str, int]]:
    """The ``limit`` negative topics with the most feedback, ties by topic key.

    >>> top_irritants([("price", 4), ("delay", 9), ("app", 4), ("staff", 1)], limit=3)
    [('delay', 9), ('app', 4), ('price', 4)]
    """
    return sorted(counts, key=lambda item: (-item[1], item[0]))[:limit]


def topic_touchpoints(
    journey: Journey, topics: Mapping[str, Sequence[str]]
) -> list[tuple[str, str]]:
    """(topic key, touchpoint key) pairs for the journey's touchpoints, in a stable order.

    >>> from cxgap.journeys.model import Phase, Stage, Text
    >>> tp = Touchpoint("delivery", Text("D", "L"), "delivery", False)
    >>> j = Journey("j", Text("J", "J"), stages=(Stage("s", Text("S", "S"), Phase.AFTER, (tp,)),))
    >>> topic_touchpoints(j, {"late": ["delivery", "other"], "price": []})
    [('late', 'delivery')]
    """
    keys = {tp.key for tp in journey.touchpoints}
    return sorted(
        (topic, tp) for topic, tps in topics.items() for tp in dict.fromkeys(tps) if tp in keys
    )


def lay_over(journey: Journey, measured: Mapping[str, Measured]) -> Journey:
    """The journey with each touchpoint's ``measured`` filled (empty where nothing is known)."""
    return replace(
        journey,
        stages=tuple(
            replace(
                stage,
                touchpoints=tuple(
                    replace(tp, measured=measured.get(tp.key, Measured()))
                    for tp in stage.touchpoints
                ),
            )
            for stage in journey.stages
        ),
    )


def disagreements(journey: Journey) -> list[Touchpoint]:
    """Touchpoints where the declared and the measured criticality differ."""
    return [
        tp
        for tp in journey.touchpoints
        if disagrees(tp.declared_criticality, tp.measured.measured_criticality)
    ]


def _rounded(value: float, digits: int = 3) -> float:
    """``value`` to ``digits`` decimals, the same whatever order its sum was added in: a
    sum of floats differs in its last bits with the order the database read the rows in,
    which would move a mean lying on a half (0.0325) to either side; rounded to 9 decimals
    first, it does not.

    >>> from math import nextafter
    >>> round(nextafter(0.0325, 1), 3), round(nextafter(0.0325, 0), 3)
    (0.033, 0.032)
    >>> _rounded(nextafter(0.0325, 1)), _rounded(nextafter(0.0325, 0))
    (0.033, 0.033)
    """
    return round(round(value, 9), digits) + 0.0  # + 0.0 turns -0.0 into 0.0
