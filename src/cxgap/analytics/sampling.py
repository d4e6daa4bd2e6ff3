"""How precise a survey is, and how many more answers it needs.

Margins are for a proportion at the worst case p = 0.5 (the widest interval, so the margin
holds for every share the survey reports), expressed in percentage points.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from cxgap.analytics.descriptive import z_value
from cxgap.analytics.results_json import ValidityJson, number, whole
from cxgap.errors import ValidationError

WORST_CASE_VARIANCE = 0.25  # p (1 − p) at p = 0.5
# Guards ceil() against 385.00000000000006 turning into 386.
_CEIL_TOLERANCE = 1e-9


@dataclass(frozen=True)
class Validity:
    """Whether the survey has enough answers for the target margin of error."""

    n: int
    margin_of_error: float | None
    target_moe: float
    responses_required: int
    responses_needed: int
    enough: bool

    def to_dict(self) -> ValidityJson:
        return {
            "n": whole(self.n),
            "margin_of_error": number(self.margin_of_error),
            "target_moe": self.target_moe,
            "responses_required": whole(self.responses_required),
            "responses_needed": whole(self.responses_needed),
            "enough": bool(self.enough),
        }


def _check_population(population: int | None, n: int | None = None) -> None:
    if population is None:
        return
    if population < 1:
        raise ValidationError.single("population", "must be at least 1", population)
    if n is not None and n > population:
        raise ValidationError.single("n", f"exceeds the population of {population}", n)


def _fpc(n: float, population: int | None) -> float:
    """Finite population correction factor √((N − n) / (N − 1))."""
    if population is None:
        return 1.0
    if population == 1:  # a census of one: nothing left to estimate
        return 0.0
    return math.sqrt((population - n) / (population - 1))


def margin_of_error(
    n: int, *, confidence: float = 0.95, population: int | None = None
) -> float | None:
    """Half-width of the interval for a proportion, in percentage points; ``None`` at n = 0.

    Examples
    --------
    >>> round(margin_of_error(385), 2)  # 1.959964 × √(0.25 / 385) × 100
    4.99
    >>> round(margin_of_error(385, population=1000), 2)
    3.92
    """
    if n < 0:
        raise ValidationError.single("n", "must not be negative", n)
    _check_population(population, n)
    if n == 0:
        return None
    return 100.0 * z_value(confidence) * math.sqrt(WORST_CASE_VARIANCE / n) * _fpc(n, population)


def responses_required(
    target_moe_points: float = 5.0, *, confidence: float = 0.95, population: int | None = None
) -> int:
    """Answers needed for a margin of ``±target_moe_points`` at ``confidence``.

    ``ceil(z² × 0.25 / e²)``, reduced by ``n₀ / (1 + (n₀ − 1) / N)`` for a finite population.

    Examples
    --------
    >>> responses_required(5.0)  # the textbook 385: ceil(1.959964² × 0.25 / 0.05²)
    385
    >>> responses_required(3.0), responses_required(5.0, confidence=0.99)
    (1068, 664)
    >>> responses_required(5.0, population=1000)
    278
    """
    if not 0.0 < target_moe_points <= 100.0:
        raise ValidationError.single(
            "target_moe_points", "must be above 0 and at most 100", target_moe_points
        )
    _check_population(population)
    margin = target_moe_points / 100.0
    unlimited = z_value(confidence) ** 2 * WORST_CASE_VARIANCE / margin**2
    if population is not None:
        unlimited = unlimited / (1.0 + (unlimited - 1.0) / population)
    return max(1, math.ceil(unlimited - _CEIL_TOLERANCE))


def responses_needed(n: int, required: int) -> int:
    """Additional answers still needed: ``max(0, required − n)``.

    >>> responses_needed(300, 385), responses_needed(640, 385)
    (85, 0)
    """
    return max(0, required - n)


def assess_validity(
    n: int, *, target_moe_points: float = 5.0, confidence: float = 0.95
) -> Validity:
    """The survey's margin of error against a target, and how many answers are missing.

    >>> v = assess_validity(640)
    >>> round(v.margin_of_error, 2), v.responses_required, v.responses_needed, v.enough
    (3.87, 385, 0, True)
    """
    required = responses_required(target_moe_points, confidence=confidence)
    needed = responses_needed(n, required)
    return Validity(
        n=n,
        margin_of_error=margin_of_error(n, confidence=confidence),
        target_moe=float(target_moe_points),
        responses_required=required,
        responses_needed=needed,
        enough=needed == 0,
    )
