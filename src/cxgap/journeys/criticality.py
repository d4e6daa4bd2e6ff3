"""Measured criticality: how strongly customers feel about a touchpoint, from their feedback.

Seed 004 grades a moment of truth by engagement and emotional intensity: *très sensible*
(strong), *sensible* (moderate), *bas / neutre* (weak). Feedback gives two measures of that:

- **emotional intensity**, the mean absolute sentiment of the feedback on the touchpoint, on a
  0–1 scale (0 = flat, 1 = every comment at the extreme of the sentiment scale);
- **strong share**, the share of feedback that is strongly negative *or* strongly positive
  (a polarised touchpoint matters even if its mean sentiment is mild).

Thresholds (documented in docs/journeys.md and tested at their edges):

====================  ======================  =====================
level                 emotional intensity     or strong share
====================  ======================  =====================
critical              ≥ 0.75                  ≥ 0.50
sensitive             ≥ 0.50                  ≥ 0.25
low / neutral         below both
====================  ======================  =====================

Fewer than ``MIN_FEEDBACK`` items give no measured level (``None``): a handful of comments is
not a measure.
"""

from __future__ import annotations

from cxgap.errors import ValidationError
from cxgap.journeys.model import Criticality

MIN_FEEDBACK = 10
# Calibrated on the bundled models (cx-1): their intensity averages about 0.65 on emotional
# customer feedback and about 0.3 on factual statements, and a third to a half of emotional
# feedback scores beyond ±0.8. Lower bars graded nearly every touchpoint of real-looking
# feedback "critical", which made the declared-vs-measured flag meaningless.
CRITICAL_INTENSITY = 0.75
CRITICAL_STRONG_SHARE = 0.50
SENSITIVE_INTENSITY = 0.50
SENSITIVE_STRONG_SHARE = 0.25


def measured_criticality(
    *,
    feedback_count: int,
    emotional_intensity: float,
    strong_negative_share: float,
    strong_positive_share: float,
    min_feedback: int = MIN_FEEDBACK,
) -> Criticality | None:
    """The criticality customers' feedback shows, or None with too little feedback.

    >>> measured_criticality(feedback_count=50, emotional_intensity=0.4,
    ...     strong_negative_share=0.42, strong_positive_share=0.08)
    <Criticality.CRITICAL: 'critical'>
    >>> measured_criticality(feedback_count=50, emotional_intensity=0.55,
    ...     strong_negative_share=0.05, strong_positive_share=0.05)
    <Criticality.SENSITIVE: 'sensitive'>
    >>> measured_criticality(feedback_count=3, emotional_intensity=0.9,
    ...     strong_negative_share=0.9, strong_positive_share=0.0) is None
    True
    """
    _check_share("emotional_intensity", emotional_intensity)
    _check_share("strong_negative_share", strong_negative_share)
    _check_share("strong_positive_share", strong_positive_share)
    strong = strong_negative_share + strong_positive_share
    if strong > 1 + 1e-9:
        raise ValidationError.single(
            "strong_negative_share + strong_positive_share", "must not exceed 1", strong
        )
    if feedback_count < min_feedback:
        return None
    if emotional_intensity >= CRITICAL_INTENSITY or strong >= CRITICAL_STRONG_SHARE:
        return Criticality.CRITICAL
    if emotional_intensity >= SENSITIVE_INTENSITY or strong >= SENSITIVE_STRONG_SHARE:
        return Criticality.SENSITIVE
    return Criticality.LOW_NEUTRAL


def disagrees(declared: Criticality | None, measured: Criticality | None) -> bool:
    """True where both levels are known and differ: the team and the customers disagree."""
    return declared is not None and measured is not None and declared != measured


def _check_share(name: str, value: float) -> None:
    if not 0.0 <= value <= 1.0:
        raise ValidationError.single(name, "must be between 0 and 1", value)
